import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Client } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebConfig } from '../../src/config/web-config.js';
import { metricsBody, type MetricsBody } from '../../src/exposition/body.js';
import type { Encoding } from '../../src/exposition/exposition.js';
import { allowHeader, createApp, type AppDeps } from '../../src/http/app.js';
import type { BasicAuth } from '../../src/http/auth/basic-auth.js';
import type { WorkspaceStatus } from '../../src/workspace/status.js';
import { silentLogger } from '../../src/log.js';

const TEXT = '# HELP a b\n# TYPE a gauge\na 1\n';
const ROUTES = ['/metrics', '/healthz', '/readyz', '/'];

function app(workspaces: WorkspaceStatus[], body?: (e: Encoding) => Promise<MetricsBody>, extra: Partial<AppDeps> = {}) {
  return createApp({
    // Two chunks (two gzip members), as the exposition serves them.
    metricsBody: body ?? (async (e) => metricsBody([TEXT.slice(0, 10), TEXT.slice(10)].map((part) => (e === 'gzip' ? gzipSync(part) : Buffer.from(part))))),
    workspaces: () => workspaces,
    version: '1.2.3',
    logger: silentLogger,
    ...extra,
  });
}

const ready: WorkspaceStatus = { name: 'acme', baseUrl: 'https://api.orq.ai', keys: 3, lastSuccess: '2026-11-27T00:00:00.000Z', lastError: undefined };
const waiting: WorkspaceStatus = { name: 'late', baseUrl: 'https://api.orq.ai', keys: undefined, lastSuccess: undefined, lastError: 'upstream answered 503' };
const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'deny', 'Content-Security-Policy': "default-src 'none'" };
const web = (users: ReadonlyMap<string, string> = new Map()): WebConfig => ({ tls: undefined, users, headers: HEADERS });

/** A stand-in for basic auth: one right header, a busy queue when asked. */
function fakeAuth(verdict: (header: string | null | undefined) => Awaited<ReturnType<BasicAuth['check']>>): BasicAuth {
  return { check: async (header) => verdict(header), close: async () => undefined };
}

describe('createApp', () => {
  it('serves /metrics as Prometheus text with its length', async () => {
    const res = await app([ready]).request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(TEXT)));
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe(TEXT);
  });

  it('serves gzip when asked', async () => {
    const res = await app([ready]).request('/metrics', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(TEXT);
  });

  it('answers 500 and stays up when rendering fails', async () => {
    const res = await app([ready], async () => {
      throw new Error('render broke');
    }).request('/metrics');
    expect(res.status).toBe(500);
  });

  it('is healthy at once and ready only after every workspace refreshed', async () => {
    expect((await app([waiting]).request('/healthz')).status).toBe(200);
    const notReady = await app([ready, waiting]).request('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toBe('not ready: no successful refresh yet for late\n');
    expect((await app([ready]).request('/readyz')).status).toBe(200);
  });

  it('links the endpoints from / and escapes what came from upstream or config', async () => {
    const res = await app([{ ...waiting, name: '<script>alert(1)</script>', lastError: 'a "quoted" & <b>' }]).request('/');
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('<a href="metrics">/metrics</a>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;quoted&quot; &amp; &lt;b&gt;');
    expect(html).not.toContain('<script>');
  });

  it('answers 404 elsewhere', async () => {
    for (const path of ['/nope', '/metrics/', '/metricsx', '/healthz/x', '//metrics']) expect((await app([ready]).request(path)).status, path).toBe(404);
  });

  it('answers every other method on its routes with 405 and Allow: GET, HEAD', async () => {
    for (const path of ROUTES) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'PURGE']) {
        const res = await app([ready]).request(path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow'), `${method} ${path}`).toBe('GET, HEAD');
      }
      const head = await app([ready]).request(path, { method: 'HEAD' });
      expect(head.status, `HEAD ${path}`).toBe(200);
      expect(await head.text()).toBe('');
    }
  });

  it('says HEAD wherever GET is allowed, once, and keeps the other methods in order', () => {
    expect(allowHeader(['GET'])).toBe('GET, HEAD');
    expect(allowHeader(['POST', 'PUT'])).toBe('POST, PUT');
    expect(allowHeader(['GET', 'POST'])).toBe('GET, HEAD, POST');
  });

  it('puts the configured security headers on every answer: 200, 404, 405, 500 and 503', async () => {
    const failing = app([waiting], async () => {
      throw new Error('render broke');
    }, { webConfig: web() });
    const answers = [
      await app([ready], undefined, { webConfig: web() }).request('/metrics'),
      await app([ready], undefined, { webConfig: web() }).request('/'),
      await app([ready], undefined, { webConfig: web() }).request('/nope'),
      await app([ready], undefined, { webConfig: web() }).request('/healthz', { method: 'POST' }),
      await failing.request('/metrics'),
      await failing.request('/readyz'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 405, 500, 503]);
    for (const answer of answers) {
      for (const [name, value] of Object.entries(HEADERS)) expect(answer.headers.get(name), `${answer.status} ${name}`).toBe(value);
    }
  });

  it('asks basic auth before any route, method or 404: 401 with WWW-Authenticate, 429 with Retry-After', async () => {
    const auth = fakeAuth((header) => (header === 'Basic right' ? { kind: 'allowed' } : header === 'Basic busy' ? { kind: 'busy', retryAfterSeconds: 7 } : { kind: 'denied' }));
    const guarded = app([ready], undefined, { webConfig: web(new Map([['alice', 'hash']])), basicAuth: auth });
    for (const path of [...ROUTES, '/nope']) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        const refused = await guarded.request(path, { method });
        expect(refused.status, `${method} ${path}`).toBe(401);
        expect(refused.headers.get('www-authenticate')).toBe('Basic');
        expect(refused.headers.get('x-frame-options')).toBe('deny');
        const busy = await guarded.request(path, { method, headers: { authorization: 'Basic busy' } });
        expect(busy.status).toBe(429);
        expect(busy.headers.get('retry-after')).toBe('7');
        expect(busy.headers.get('x-frame-options')).toBe('deny');
      }
      expect(await (await guarded.request(path)).text()).not.toContain('orq_');
    }
    expect((await guarded.request('/metrics', { headers: { authorization: 'Basic right' } })).status).toBe(200);
    expect((await guarded.request('/metrics', { method: 'POST', headers: { authorization: 'Basic right' } })).status).toBe(405);
    expect((await guarded.request('/nope', { headers: { authorization: 'Basic right' } })).status).toBe(404);
  });

  it('without users or headers in the web config, adds nothing', async () => {
    const res = await app([ready], undefined, { webConfig: { tls: undefined, users: new Map(), headers: {} } }).request('/metrics');
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].sort()).toEqual(['cache-control', 'content-length', 'content-type', 'vary']);
  });
});

describe('createApp under @hono/node-server', () => {
  const servers: Array<ReturnType<typeof serve>> = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Serves the app with `fetch: app.fetch`, recording whether each answer was written straight to the socket. */
  async function served(deps: Partial<AppDeps> = {}) {
    const built = app([ready], undefined, deps);
    const direct: boolean[] = [];
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve(
        {
          fetch: async (request, env) => {
            const res = await built.fetch(request, env);
            direct.push(res.headers.get('x-hono-already-sent') === 'true');
            return res;
          },
          port: 0,
          hostname: '127.0.0.1',
        },
        () => resolve(s),
      );
    });
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, direct };
  }

  it('writes GET /metrics straight to the socket with the security headers, plain and gzip; HEAD too, on one connection', async () => {
    const { url, direct } = await served({ webConfig: web() });
    const client = new Client(url, { pipelining: 1 });
    // @hono/node-server reports a response written twice on console.error, then drops the socket.
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const get = async (method: 'GET' | 'HEAD', encoding: string) => {
        const res = await client.request({ path: '/metrics', method, headers: { 'accept-encoding': encoding } });
        const body = Buffer.from(await res.body.arrayBuffer());
        return { status: res.statusCode, headers: res.headers, body };
      };
      const plain = await get('GET', 'identity');
      const head = await get('HEAD', 'identity');
      const gzip = await get('GET', 'gzip');
      const headGzip = await get('HEAD', 'gzip');
      expect(direct).toEqual([true, false, true, false]);
      for (const answer of [plain, head, gzip, headGzip]) {
        expect(answer.status).toBe(200);
        expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
        expect(answer.headers['cache-control']).toBe('no-store');
        expect(answer.headers['vary']).toBe('Accept-Encoding');
        for (const [name, value] of Object.entries(HEADERS)) expect(answer.headers[name.toLowerCase()], name).toBe(value);
        expect(answer.headers['x-hono-already-sent']).toBeUndefined();
      }
      expect(plain.headers['content-length']).toBe(String(Buffer.byteLength(TEXT)));
      expect(plain.body.toString()).toBe(TEXT);
      expect(head.headers['content-length']).toBe(String(Buffer.byteLength(TEXT)));
      expect(head.body.length).toBe(0);
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(headGzip.headers['content-encoding']).toBe('gzip');
      expect(headGzip.headers['content-length']).toBe(gzip.headers['content-length']);
      expect(gunzipSync(gzip.body).toString()).toBe(TEXT);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      await client.close();
    }
  });

  it('writes straight to the socket without a web config too, and only /metrics', async () => {
    const { url, direct } = await served();
    for (const path of ['/metrics', '/healthz', '/']) await (await fetch(`${url}${path}`)).arrayBuffer();
    expect(direct).toEqual([true, false, false]);
  });
});

describe('createApp: the metrics path and /-/reload', () => {
  it('serves the metrics at WEB_TELEMETRY_PATH instead of /metrics', async () => {
    const a = app([ready], undefined, { metricsPath: '/probe/metrics' });
    expect((await a.request('/probe/metrics')).status).toBe(200);
    expect(await (await a.request('/probe/metrics')).text()).toBe(TEXT);
    expect((await a.request('/metrics')).status).toBe(404);
  });

  it('answers 403 without the lifecycle API, as Prometheus does, and 405 to other methods', async () => {
    const res = await app([ready]).request('/-/reload', { method: 'POST' });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Lifecycle API is not enabled.\n');
    const get = await app([ready], undefined, { reload: async () => ({ ok: true }) }).request('/-/reload');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('answers 200 on a reload, and 500 with one line per problem on a refused one', async () => {
    let answer: { ok: true } | { ok: false; errors: string[] } = { ok: true };
    const a = app([ready], undefined, { reload: async () => answer });
    const ok = await a.request('/-/reload', { method: 'POST' });
    expect(ok.status).toBe(200);
    answer = { ok: false, errors: ['ORQ_WORKSPACES_FILE: workspaces[0].name: required', 'ORQ_WORKSPACES_FILE: workspaces[1].base_url: must be an http:// or https:// URL (got "x")'] };
    const refused = await a.request('/-/reload', { method: 'POST' });
    expect(refused.status).toBe(500);
    expect(await refused.text()).toBe(`${answer.errors.join('\n')}\n`);
  });

  it('applies a reloaded web config to later requests: headers and basic auth', async () => {
    let current: WebConfig | undefined;
    let auth: BasicAuth | undefined;
    const a = app([ready], undefined, { webConfig: () => current, basicAuth: () => auth });
    const before = await a.request('/healthz');
    expect(before.status).toBe(200);
    expect(before.headers.get('x-frame-options')).toBeNull();

    current = web(new Map([['alice', 'hash']]));
    auth = fakeAuth((header) => (header === 'Basic YWxpY2U6cGFzcw==' ? { kind: 'allowed' } : { kind: 'denied' }));
    const refused = await a.request('/healthz');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-frame-options')).toBe('deny');
    expect((await a.request('/healthz', { headers: { authorization: 'Basic YWxpY2U6cGFzcw==' } })).status).toBe(200);

    current = undefined;
    auth = undefined;
    expect((await a.request('/healthz')).status).toBe(200);
  });
});
