/**
 * Reading an upstream answer within bounds, and naming whatever a request threw. How the
 * records of a body are counted and its list scanned is wire/list-scan.test.ts's; the requests,
 * retries and statuses around these are transport.test.ts's.
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { RefreshError } from '../../src/orq/errors.js';
import { classify, readPage, readText } from '../../src/orq/response.js';

/**
 * An answer whose body arrives in exactly these chunks. Only the body of ResponseData is read,
 * so the rest is left out, and the cast says so.
 */
function answer(chunks: ReadonlyArray<string | Buffer>): { response: Dispatcher.ResponseData; destroyed: () => boolean } {
  const body = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  return { response: { body } as unknown as Dispatcher.ResponseData, destroyed: () => body.destroyed };
}

const limits = { maxBytes: 1024, maxItems: 10 };

async function refusal(reading: Promise<unknown>): Promise<RefreshError> {
  const error = await reading.catch((e: unknown) => e);
  if (!(error instanceof RefreshError)) throw new Error(`expected a RefreshError, got ${String(error)}`);
  return error;
}

/** The body as JSON, as the walk has it: read, then parsed. */
const readJson = async (response: Dispatcher.ResponseData, bounds: typeof limits): Promise<unknown> => (await readPage(response, bounds)).parse();

describe('readPage', () => {
  it('parses a body that arrives in pieces, a character split between two of them too', async () => {
    const bytes = Buffer.from('{"name":"Zoë ✓","data":[1,2]}');
    const cut = bytes.indexOf(Buffer.from('✓')) + 1;
    const { response } = answer([bytes.subarray(0, 5), bytes.subarray(5, cut), bytes.subarray(cut)]);
    await expect(readJson(response, limits)).resolves.toEqual({ name: 'Zoë ✓', data: [1, 2] });
  });

  it('scans the list as it arrives, however the chunks cut it, and leaves the parse for later', async () => {
    const text = '{"object":"list","data":[{"id":"a"},{"id":"ü,]}"}],"has_more":true}';
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut += 3) {
      const page = await readPage(answer([bytes.subarray(0, cut), bytes.subarray(cut)]).response, limits);
      expect(page.peek).toEqual({ form: 'envelope', items: 2, lastItem: '{"id":"ü,]}"}', hasMore: true });
      expect(page.parse()).toEqual(JSON.parse(text));
    }
  });

  it('takes a body of exactly the byte limit, and refuses one byte more without reading on', async () => {
    const exact = `"${'x'.repeat(limits.maxBytes - 2)}"`;
    await expect(readJson(answer([exact]).response, limits)).resolves.toBe('x'.repeat(limits.maxBytes - 2));
    const over = answer([exact.slice(0, 600), `${exact.slice(600)} `, 'never read']);
    const error = await refusal(readJson(over.response, limits));
    expect(error).toMatchObject({ reason: 'invalid_response', message: `response body larger than ${limits.maxBytes} bytes` });
    expect(over.destroyed()).toBe(true);
  });

  it('refuses more records than allowed on the bytes, before the body is whole or parsed', async () => {
    expect(await readJson(answer([`[${Array(limits.maxItems).fill(1).join(',')}]`]).response, limits)).toHaveLength(limits.maxItems);
    // Cut short and never valid JSON: refused for its count, not for its syntax.
    const over = answer([`[${Array(limits.maxItems + 1).fill(1).join(',')},`, '1]']);
    const error = await refusal(readJson(over.response, limits));
    expect(error).toMatchObject({ reason: 'invalid_response', message: `response holds more than ${limits.maxItems} records` });
    expect(over.destroyed()).toBe(true);
  });

  it('refuses a body that is not JSON without repeating any of it, so an echoed token cannot leak in part', async () => {
    const token = 'sk-orq-01HECHOECHOECHOECHOECHOECH-secret';
    for (const body of [`{"message": x ${token}}`, `{"message":"${token}`, `<html>${token}</html>`]) {
      const error = await refusal(readJson(answer([body]).response, limits));
      expect(error.reason).toBe('invalid_response');
      expect(error.message).toMatch(new RegExp(`^response is not valid JSON \\([^"]*; ${body.length} characters\\)$`));
      for (let i = 0; i + 8 <= token.length; i++) expect(error.message).not.toContain(token.slice(i, i + 8));
    }
  });
});

describe('readText', () => {
  it('joins the chunks as UTF-8, and refuses a body past the byte limit', async () => {
    const bytes = Buffer.from('upstream said é');
    await expect(readText(answer([bytes.subarray(0, bytes.length - 1), bytes.subarray(bytes.length - 1)]).response, 100)).resolves.toBe('upstream said é');
    await expect(readText(answer(['12345']).response, 5)).resolves.toBe('12345');
    const over = answer(['12345', '6']);
    expect(await refusal(readText(over.response, 5))).toMatchObject({ reason: 'invalid_response', message: 'response body larger than 5 bytes' });
    expect(over.destroyed()).toBe(true);
  });
});

describe('classify', () => {
  const signal = new AbortController().signal;
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'network'],
    [Object.assign(new Error('headers'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'timeout'],
    [new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }), 'network'],
    [new RangeError('Map maximum size exceeded'), 'invalid_response'],
    [new TypeError('boom'), 'invalid_response'],
  ])('%s is %s', (error, reason) => {
    expect(classify(error, signal).reason).toBe(reason);
  });

  it('says timeout for anything once the signal aborted', () => {
    const abort = new AbortController();
    abort.abort();
    expect(classify(new Error('aborted'), abort.signal).reason).toBe('timeout');
  });

  it('passes a RefreshError through as it is', () => {
    const error = new RefreshError('auth', 'upstream refused the token (401)', 401);
    expect(classify(error, signal)).toBe(error);
  });

  it('names the code in its message, and cuts what the error said', () => {
    expect(classify(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), signal).message).toBe('request failed: ECONNRESET (socket hang up)');
    expect(classify(Object.assign(new Error(''), { code: 'ECONNRESET' }), signal).message).toBe('request failed: ECONNRESET');
    expect(classify(Object.assign(new Error('body'), { code: 'UND_ERR_BODY_TIMEOUT' }), signal).message).toBe('upstream did not answer in time (UND_ERR_BODY_TIMEOUT)');
    const long = classify(new Error('y'.repeat(1_000)), signal).message;
    expect(long).toBe(`unexpected error while reading the answer (${'y'.repeat(160)})`);
  });
});
