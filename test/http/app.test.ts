import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Client } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import type { Encoding } from '../../src/exposition/exposition.js';
import { createApp } from '../../src/http/app.js';
import type { WorkspaceStatus } from '../../src/http/landing.js';
import { silentLogger } from '../../src/log.js';

const TEXT = '# HELP a b\n# TYPE a gauge\na 1\n';

function app(workspaces: WorkspaceStatus[], body?: (e: Encoding) => Promise<Buffer[]>) {
  return createApp({
    // Two chunks (two gzip members), as the exposition serves them.
    metricsBody: body ?? (async (e) => [TEXT.slice(0, 10), TEXT.slice(10)].map((part) => (e === 'gzip' ? gzipSync(part) : Buffer.from(part)))),
    workspaces: () => workspaces,
    version: '1.2.3',
    logger: silentLogger,
  });
}

const ready: WorkspaceStatus = { name: 'acme', baseUrl: 'https://api.orq.ai', keys: 3, lastSuccess: '2026-11-27T00:00:00.000Z', lastError: undefined };
const waiting: WorkspaceStatus = { name: 'late', baseUrl: 'https://api.orq.ai', keys: undefined, lastSuccess: undefined, lastError: 'upstream answered 503' };

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
    expect((await app([ready]).request('/nope')).status).toBe(404);
  });

  it('writes /metrics straight to the socket under node:http, GET and HEAD on one connection', async () => {
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app([ready]).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { pipelining: 1 });
    // @hono/node-server reports a response written twice on console.error, then drops the socket.
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const get = async (method: 'GET' | 'HEAD', encoding: string) => {
        const res = await client.request({ path: '/metrics', method, headers: { 'accept-encoding': encoding } });
        const body = Buffer.from(await res.body.arrayBuffer());
        return { status: res.statusCode, headers: res.headers, body };
      };
      const plain = await get('GET', 'identity');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-length']).toBe(String(Buffer.byteLength(TEXT)));
      expect(plain.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(plain.body.toString()).toBe(TEXT);
      const head = await get('HEAD', 'identity');
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String(Buffer.byteLength(TEXT)));
      expect(head.body.length).toBe(0);
      const gzip = await get('GET', 'gzip');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers['vary']).toBe('Accept-Encoding');
      expect(gunzipSync(gzip.body).toString()).toBe(TEXT);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
