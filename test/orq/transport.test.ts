/** Requests to the upstream: tokens, logs, counts and retries. Reading a body and naming what a request threw are response.test.ts's. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RefreshError } from '../../src/orq/errors.js';
import { Transport } from '../../src/orq/transport.js';
import type { PageBody } from '../../src/orq/wire/list-scan.js';

const parsed = (page: PageBody): unknown => page.parse();

let server: Server | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  await transport?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = transport = undefined;
});

async function upstream(answer: (n: number) => { status: number; body: string; headers?: Record<string, string> }): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  let n = 0;
  server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    const a = answer(n++);
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const limits = { maxBytes: 1024 * 1024, maxItems: 1000 };

function make(url: string, token: string, extra: Partial<ConstructorParameters<typeof Transport>[0]> = {}): Transport {
  transport = new Transport({
    baseUrl: url,
    token,
    requestTimeoutMs: 2_000,
    maxRetries: 2,
    backoffBaseMs: 1,
    userAgent: 'test',
    redact: (t) => t.split(token).join('[REDACTED]'),
    sleep: async () => undefined,
    ...extra,
  });
  return transport;
}

describe('Transport', () => {
  it.each([
    ['a non-Latin-1 letter', 'sk-orq-ключ-1234567890abcdef'],
    ['a zero-width space', 'sk-orq-abc\u200bdef-1234567890'],
    ['a NUL', 'sk-orq-abc\u0000def-1234567890'],
    ['a control character', 'sk-orq-abc\u001bdef-1234567890'],
    ['a space', 'sk-orq-abc def-1234567890'],
  ])('refuses a token with %s at once, without sending it (undici would never settle)', async (_what, token) => {
    const { url, seen } = await upstream(() => ({ status: 200, body: '[]' }));
    const error = await make(url, token).getPage('api_keys', '/v2/api-keys', AbortSignal.timeout(5_000), limits).then(parsed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshError);
    expect(error).toMatchObject({ reason: 'auth', message: 'the API token holds characters an HTTP header cannot carry (only visible ASCII)' });
    expect(seen).toEqual([]);
  });

  it('logs each request, retry and rate-limit wait at debug, never the token', async () => {
    const token = 'sk-orq-01HZZZZZZZZZZZZZZZZZZZZZZZ-secret';
    const { url } = await upstream((n) =>
      n === 0
        ? { status: 503, body: `{"message":"busy ${token}"}` }
        : n === 1
          ? { status: 200, body: '[]', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' } }
          : { status: 200, body: '[]' },
    );
    const lines: Array<[string, Record<string, unknown>]> = [];
    const t = make(url, token, { debug: (msg, fields) => lines.push([msg, fields]) });
    await t.getPage('budgets', '/v2/budgets', AbortSignal.timeout(5_000), limits).then(parsed);
    await t.getPage('budgets', '/v2/budgets', AbortSignal.timeout(5_000), limits).then(parsed);
    expect(lines.map(([msg, f]) => `${msg} ${String(f['result'] ?? f['reason'] ?? '')}`)).toEqual([
      'upstream request 503',
      'retrying upstream request server_error',
      'upstream request 200',
      'waiting for the upstream rate-limit window ',
      'upstream request 200',
    ]);
    expect(lines[0]?.[1]).toMatchObject({ endpoint: 'budgets', attempt: 1 });
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('hands the body over scanned and unparsed, and its parse never names the token', async () => {
    const token = 'sk-orq-01HECHOECHOECHOECHOECHOECH-secret';
    const { url } = await upstream((n) => (n === 0 ? { status: 200, body: '[{"id":"a"},{"id":"b"}]' } : { status: 200, body: `{"echo": ${token}}` }));
    const t = make(url, token);
    const page = await t.getPage('api_keys', '/v2/api-keys', AbortSignal.timeout(5_000), limits);
    expect(page.peek).toEqual({ form: 'array', items: 2, lastItem: '{"id":"b"}', hasMore: false });
    expect(page.parse()).toEqual([{ id: 'a' }, { id: 'b' }]);
    const broken = await t.getPage('api_keys', '/v2/api-keys', AbortSignal.timeout(5_000), limits);
    let error: unknown;
    try {
      broken.parse();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RefreshError);
    expect(error).toMatchObject({ reason: 'invalid_response' });
    expect((error as RefreshError).message).not.toContain(token.slice(0, 12));
  });

  it('counts every request with its endpoint and code', async () => {
    const { url } = await upstream((n) => (n === 0 ? { status: 500, body: '{}' } : { status: 200, body: '[]' }));
    const codes: string[] = [];
    await make(url, 'tok-0123456789abcdef', { onRequest: (endpoint, code) => codes.push(`${endpoint} ${code}`) }).getPage('projects', '/v2/projects', AbortSignal.timeout(5_000), limits).then(parsed);
    expect(codes).toEqual(['projects 500', 'projects 200']);
  });
});

describe('Transport with a rotated token', () => {
  const OLD = 'sk-orq-01HOLDOLDOLDOLDOLDOLDOLDOL-old';
  const NEW = 'sk-orq-01HNEWNEWNEWNEWNEWNEWNEWN-new';

  it('retries a 401 once, at once, when a look at the token file finds a new token', async () => {
    const { url, seen } = await upstream((n) => (n === 0 ? { status: 401, body: '{"message":"invalid api key"}' } : { status: 200, body: '[]' }));
    let token = OLD;
    const supplier = { current: () => token, recheck: () => ((token = NEW), true) };
    await expect(make(url, OLD, { token: supplier, maxRetries: 0 }).getPage('api_keys', '/v2/api-keys', AbortSignal.timeout(5_000), limits).then(parsed)).resolves.toEqual([]);
    expect(seen).toEqual([`Bearer ${OLD}`, `Bearer ${NEW}`]);
  });

  it('retries once when the token changed while the request was out, even if the look finds nothing newer', async () => {
    let token = OLD;
    // The token changes while the first request is out (another refresh looked at the file).
    const { url, seen } = await upstream((n) => (n === 0 ? ((token = NEW), { status: 401, body: '{}' }) : { status: 200, body: '[]' }));
    const supplier = { current: () => token, recheck: () => false };
    await expect(make(url, OLD, { token: supplier, maxRetries: 0 }).getPage('api_keys', '/v2/api-keys', AbortSignal.timeout(5_000), limits).then(parsed)).resolves.toEqual([]);
    expect(seen).toEqual([`Bearer ${OLD}`, `Bearer ${NEW}`]);
  });

  it('fails on a 401 when the token did not change, and retries a new token only once', async () => {
    const { url, seen } = await upstream(() => ({ status: 401, body: '{}' }));
    let checks = 0;
    const same = { current: () => OLD, recheck: () => (checks++, false) };
    await expect(make(url, OLD, { token: same }).getPage('api_keys', '/v2/api-keys', AbortSignal.timeout(5_000), limits).then(parsed)).rejects.toMatchObject({ reason: 'auth', status: 401 });
    expect(seen).toEqual([`Bearer ${OLD}`]);
    expect(checks).toBe(1);
    await transport?.close();

    let token = OLD;
    const rotating = { current: () => token, recheck: () => ((token = token === OLD ? NEW : OLD), true) };
    const again = await upstream(() => ({ status: 401, body: '{}' }));
    await expect(make(again.url, OLD, { token: rotating }).getPage('api_keys', '/v2/api-keys', AbortSignal.timeout(5_000), limits).then(parsed)).rejects.toMatchObject({ status: 401 });
    expect(again.seen).toHaveLength(2);
  });
});
