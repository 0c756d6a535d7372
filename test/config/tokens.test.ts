/**
 * Which API tokens start-up accepts, wherever they come from, and that the log redactor
 * scrubs exactly those: the two follow one rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isPlausibleToken, TOKEN_LENGTH, tokenProblem } from '../../src/config/tokens.js';
import { redactor, REDACTED } from '../../src/log.js';
import { MAX_ECHOED_FLAG_NAME } from '../../src/util/flags.js';

const GOOD = 'sk-orq-01J9ZQ4X8V7M2K3N5P6R8S9T0W-Zx9aQ2mN7pL4vB8cK1dF';
const at = (index: number, char: string): string => `${GOOD.slice(0, index)}${char}${GOOD.slice(index)}`;

/** Every way a token reaches the exporter, each with the label its errors carry. */
const sources: ReadonlyArray<readonly [string, (token: string) => readonly string[] | 'accepted']> = [
  ['ORQ_API_KEY', (token) => run({ ORQ_API_KEY: token })],
  ['ORQ_API_KEY_FILE', (token) => run({ ORQ_API_KEY_FILE: '/run/token' }, { '/run/token': `${token}\n` })],
  ['api_key_env', (token) => run({ ORQ_WORKSPACES_FILE: '/etc/ws.yml', KEY: token }, { '/etc/ws.yml': 'workspaces:\n  - {name: a, api_key_env: KEY}\n' })],
  ['api_key_file', (token) => run({ ORQ_WORKSPACES_FILE: '/etc/ws.yml' }, { '/etc/ws.yml': 'workspaces:\n  - {name: a, api_key_file: /run/token}\n', '/run/token': token })],
];

function run(env: Record<string, string>, files: Record<string, string> = {}): readonly string[] | 'accepted' {
  const result = loadConfig({
    env,
    argv: [],
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return content;
    },
  });
  return result.ok === true ? 'accepted' : result.ok === false ? result.errors : [];
}

/** Characters that cannot go in a header, and ones a copy-and-paste carries along unseen. */
const REFUSED_CHARS: ReadonlyArray<readonly [string, string]> = [
  ...Array.from({ length: 0x20 }, (_, c) => [`U+${c.toString(16).padStart(4, '0')}`, String.fromCharCode(c)] as const),
  ['DEL', '\u007f'],
  ['a C1 control', '\u0085'],
  ['a space', ' '],
  ['a non-breaking space', '\u00a0'],
  ['a zero-width space', '\u200b'],
  ['a zero-width joiner', '\u200d'],
  ['a byte-order mark inside', '\ufeff'],
  ['a soft hyphen', '\u00ad'],
  ['a right-to-left override', '\u202e'],
  ['a Latin-1 letter', 'é'],
  ['a Cyrillic letter that looks like a Latin one', 'а'],
  ['a CJK letter', '鍵'],
  ['an emoji', '🔑'],
  ['a lone surrogate', '\ud800'],
  ['the replacement character (bytes that were not UTF-8)', '\ufffd'],
];

describe('the token rule', () => {
  it.each(sources)('%s drops whitespace around the key', (_name, given) => {
    expect(given(`\ufeff \t${GOOD}\r\n`)).toBe('accepted');
  });

  it.each(sources)('%s accepts a real-looking key, the demo key and the shortest and longest allowed', (_name, given) => {
    for (const token of [GOOD, `demo-${'ab12'.repeat(6)}`, 'x'.repeat(TOKEN_LENGTH.min), 'J'.repeat(TOKEN_LENGTH.max), '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~']) {
      expect(given(token), JSON.stringify(token.slice(0, 20))).toBe('accepted');
    }
  });

  it.each(sources)('%s refuses every character a header cannot carry, in one line that does not quote the key', (name, given) => {
    for (const [what, char] of REFUSED_CHARS) {
      // Whitespace around the key is dropped (a file ends in a newline); inside, it is refused.
      const places = char.trim() === '' ? [20] : [0, 20, GOOD.length];
      for (const token of places.map((i) => at(i, char))) {
        const errors = given(token);
        expect(errors, what).not.toBe('accepted');
        expect(errors, what).toHaveLength(1);
        const line = (errors as string[])[0]!;
        expect(line, what).toContain(name);
        expect(line, what).not.toContain(GOOD.slice(0, 10));
        expect(line, what).not.toContain(GOOD.slice(-10));
        expect(line, what).not.toMatch(/[\n\r]/);
      }
    }
  });

  it.each(sources)('%s refuses a key of an implausible length, saying the range', (name, given) => {
    for (const token of ['e', 'x'.repeat(TOKEN_LENGTH.min - 1), 'x'.repeat(TOKEN_LENGTH.max + 1)]) {
      const errors = given(token) as string[];
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(name);
      expect(errors[0]).toMatch(new RegExp(`is ${token.length} characters? long; an API key is ${TOKEN_LENGTH.min} to ${TOKEN_LENGTH.max}$`));
    }
  });

  it('names the character by its code point, and what kind it is', () => {
    expect(tokenProblem(at(5, '\u200b'))).toBe('holds an invisible character (U+200B); an API key is printable ASCII in one word, as an HTTP header needs');
    expect(tokenProblem(at(5, '\u0000'))).toMatch(/^holds a control character \(U\+0000\)/);
    expect(tokenProblem(at(5, 'é'))).toMatch(/^holds a character beyond ASCII \(U\+00E9\)/);
    expect(tokenProblem(at(5, '🔑'))).toMatch(/^holds a character beyond ASCII \(U\+1F511\)/);
  });

  it('accepts exactly what an HTTP header can carry as a Bearer token, and nothing a person cannot see', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: TOKEN_LENGTH.min, maxLength: 60 }), (token) => {
        if (tokenProblem(token) !== undefined) return;
        // Accepted: a header must take it.
        expect(() => new Headers({ authorization: `Bearer ${token}` })).not.toThrow();
        expect(token).toMatch(/^[\x21-\x7e]+$/);
      }),
      { numRuns: 3_000 },
    );
  });

  it('repeats no unknown flag as long as a token', () => {
    expect(MAX_ECHOED_FLAG_NAME).toBeLessThan(TOKEN_LENGTH.min);
  });
});

describe('the redactor follows the same rule', () => {
  it('scrubs every token start-up would accept, of any length in the range', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{20,300}$/), (token) => {
        expect(tokenProblem(token)).toBeUndefined();
        expect(redactor([token])(`before ${token} after`)).toBe(`before ${REDACTED} after`);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves text alone for a secret no token could be', () => {
    const line = '{"msg":"exporter started","level":"info"}';
    for (const short of ['e', 'r', 'exporter', 'x'.repeat(TOKEN_LENGTH.min - 1)]) {
      expect(isPlausibleToken(short)).toBe(false);
      expect(redactor([short])(line)).toBe(line);
    }
    const long = 'x'.repeat(TOKEN_LENGTH.max + 1);
    expect(redactor([long])(`a ${long}`)).toBe(`a ${long}`);
  });
});
