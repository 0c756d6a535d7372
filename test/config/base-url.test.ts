/**
 * The base URL of an orq.ai API: what is accepted and how it is normalised, and the text an
 * error repeats of one that is not. That no token typed into a URL ever shows, through the
 * whole loader, is secrets.test.ts's; the problems reported through loadConfig, config.test.ts's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBaseUrl, withoutSecrets } from '../../src/config/base-url.js';
import type { Fail } from '../../src/config/values.js';

/** parseBaseUrl's result and the problems it reported. */
function parse(text: string): { url: string | undefined; problems: Array<[string, string | undefined]> } {
  const problems: Array<[string, string | undefined]> = [];
  const fail: Fail = (problem, got) => {
    problems.push([problem, got]);
    return undefined;
  };
  return { url: parseBaseUrl(text, fail), problems };
}

describe('parseBaseUrl', () => {
  it.each([
    ['https://api.orq.ai', 'https://api.orq.ai'],
    ['https://api.orq.ai/', 'https://api.orq.ai'],
    // Paths are kept, for an API behind a prefix; the client appends /v2/... to it.
    ['https://gateway.example/orq//', 'https://gateway.example/orq'],
    ['http://127.0.0.1:8080/orq/', 'http://127.0.0.1:8080/orq'],
    ['HTTPS://API.ORQ.AI:443/', 'https://api.orq.ai'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ])('%s is %s', (text, url) => {
    expect(parse(text)).toEqual({ url, problems: [] });
  });

  it.each([
    ['https://api.orq.ai/?', 'must not have a query or fragment', 'https://api.orq.ai/?…'],
    ['https://api.orq.ai/#', 'must not have a query or fragment', 'https://api.orq.ai/#…'],
    ['https://api.orq.ai/v2?region=eu', 'must not have a query or fragment', 'https://api.orq.ai/v2?…'],
    ['file:///etc/passwd', 'must be an http:// or https:// URL', 'file:///etc/passwd'],
    ['', 'must be an http:// or https:// URL', ''],
  ])('refuses %j: %s, repeating %j', (text, problem, got) => {
    expect(parse(text)).toEqual({ url: undefined, problems: [[problem, got]] });
  });

  it('refuses user info without repeating any of the URL', () => {
    expect(parse('https://user@api.orq.ai')).toEqual({ url: undefined, problems: [['must not contain a user name or password; the API key has its own setting', undefined]] });
  });
});

describe('withoutSecrets', () => {
  it.each([
    ['https://api.orq.ai/v2', 'https://api.orq.ai/v2'],
    ['https://u:p@api.orq.ai/v2', 'https://…@api.orq.ai/v2'],
    ['https://api.orq.ai/v2?api_key=k', 'https://api.orq.ai/v2?…'],
    ['https://api.orq.ai/#k', 'https://api.orq.ai/#…'],
    ['u:p@host', '…@host'],
    ['https://h/?u:p@x', 'https://h/?…'],
  ])('%s reads %s', (text, out) => {
    expect(withoutSecrets(text)).toBe(out);
  });

  it('drops a secret from the user info, the query or the fragment of any URL, parsed or not', () => {
    // The secret's alphabet (uppercase, digits) is not the rest's (lowercase), so finding it
    // in the output can only mean it was kept.
    const secret = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'), minLength: 8, maxLength: 40 });
    const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz.:/[]'), maxLength: 20 });
    const scheme = fc.constantFrom('https://', 'http://', 'ftp://', '//', 'http:\\\\', '');
    const url = fc.oneof(
      fc.tuple(scheme, word, secret, word).map(([s, user, sec, rest]) => ({ text: `${s}${user}:${sec}@${rest}`, sec })),
      fc.tuple(scheme, secret, word).map(([s, sec, rest]) => ({ text: `${s}${sec}@${rest}`, sec })),
      fc.tuple(scheme, word, fc.constantFrom('?', '#', '?k=', '#@'), secret, word).map(([s, host, mark, sec, rest]) => ({ text: `${s}${host}${mark}${sec}${rest}`, sec })),
    );
    fc.assert(
      fc.property(url, ({ text, sec }) => {
        expect(withoutSecrets(text)).not.toContain(sec);
      }),
      { seed: 20_260_606, numRuns: 3_000 },
    );
  });
});
