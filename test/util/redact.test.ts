import { describe, expect, it } from 'vitest';
import { isPlausibleToken, REDACTED, redactor, TOKEN_LENGTH } from '../../src/util/redact.js';

describe('redactor', () => {
  it('leaves text alone when there is nothing to hide', () => {
    expect(redactor([''])('abc')).toBe('abc');
  });

  it('replaces every occurrence, and the JSON-escaped spelling too', () => {
    const secret = 'sk-orq-01HX-"quoted"\\secret';
    const redact = redactor([secret]);
    expect(redact(`${secret} then ${JSON.stringify(secret).slice(1, -1)} and ${secret}`)).toBe(`${REDACTED} then ${REDACTED} and ${REDACTED}`);
  });

  it('looks only for secrets of a token\'s length: shorter or longer ones are never looked for', () => {
    const short = 'x'.repeat(TOKEN_LENGTH.min - 1);
    const long = 'y'.repeat(TOKEN_LENGTH.max + 1);
    expect(redactor([short, long])(`${short} ${long}`)).toBe(`${short} ${long}`);
    expect(isPlausibleToken('z'.repeat(TOKEN_LENGTH.min))).toBe(true);
    expect(isPlausibleToken('z'.repeat(TOKEN_LENGTH.max))).toBe(true);
  });

  it('learns secrets after it is made, short ones ignored, old ones kept', () => {
    const redact = redactor(['sk-orq-known-from-start-0123456789']);
    redact.add('e');
    redact.add('sk-orq-learnt-later-0123456789');
    expect(redact('e sk-orq-learnt-later-0123456789 sk-orq-known-from-start-0123456789')).toBe(`e ${REDACTED} ${REDACTED}`);
  });
});
