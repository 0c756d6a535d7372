/**
 * The wording of a file that could not be read. A refusal by readSmallFile and ENOENT are
 * read-file.test.ts's (through the real reader); here, every other kind of thrown thing.
 */
import { describe, expect, it } from 'vitest';
import { cannotRead } from '../../src/util/cannot-read.js';

describe('cannotRead', () => {
  it('names the error code of a system error', () => {
    expect(cannotRead('/etc/token', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))).toBe('cannot read "/etc/token" (EACCES)');
  });

  it.each<[string, unknown]>([
    ['an error without a code', new Error('boom /etc/token contents')],
    ['a code that is not a string', { code: 13 }],
    ['a thrown string', 'EACCES'],
    ['null', null],
    ['undefined', undefined],
  ])('says "unreadable" for %s, never the error\'s message', (_what, error) => {
    expect(cannotRead('/etc/token', error)).toBe('cannot read "/etc/token" (unreadable)');
  });

  it('quotes the path as JSON, so a newline or quote in it stays on one line', () => {
    expect(cannotRead('/tmp/a"b\nc', { code: 'ENOENT' })).toBe('cannot read "/tmp/a\\"b\\nc" (ENOENT)');
  });
});
