import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine, deflatePiece, gzipMember } from '../../src/exposition/gzip.js';

describe('crc32Combine', () => {
  it.each([
    [0, 1],
    [1, 0],
    [5, 7],
    [1000, 70_000],
    [3, 300_001],
  ])('equals the CRC of the concatenation (%d + %d bytes)', (lenA, lenB) => {
    const a = randomBytes(lenA);
    const b = randomBytes(lenB);
    expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
  });
});

describe('gzipMember', () => {
  it('joins separately deflated pieces into one member any gzip reader decodes', async () => {
    const texts = ['# HELP a x\n', 'a{x="1"} 1\n'.repeat(5000), '', 'b 2\n'.repeat(10), 'tail 3\n'];
    const pieces = await Promise.all(texts.map((t, i) => deflatePiece(Buffer.from(t), i === texts.length - 1)));
    const body = Buffer.concat(gzipMember(pieces));
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 0x08]));
    expect(gunzipSync(body).toString()).toBe(texts.join(''));
  });

  it('refuses pieces without exactly one final piece at the end', async () => {
    const open = await deflatePiece(Buffer.from('a'), false);
    const closed = await deflatePiece(Buffer.from('b'), true);
    expect(() => gzipMember([open])).toThrow('exactly one final piece');
    expect(() => gzipMember([closed, closed])).toThrow('exactly one final piece');
    expect(gunzipSync(Buffer.concat(gzipMember([open, closed]))).toString()).toBe('ab');
  });
});
