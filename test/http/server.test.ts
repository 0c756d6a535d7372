/**
 * listen(): the app served as the exporter serves it, plain or with the web config's TLS, over
 * real sockets: basic auth and security headers on every path, the certificate checked by
 * clients, the TLS version floor, and a close that does not wait for keep-alive clients.
 */
import bcrypt from 'bcryptjs';
import { Client } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeCerts, type TestCerts } from '../hardening/support/certs.js';
import { basic, httpsClient, METRICS_TEXT, serveApp, webConfigIn, type Served } from './support/serve.js';

const certs: TestCerts = makeCerts();
const aliceHash = bcrypt.hashSync('wonderland', 4);
afterAll(() => certs.remove());

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function serve(yaml: string | undefined): Promise<Served> {
  const served = await serveApp(yaml === undefined ? undefined : webConfigIn(certs.dir, yaml));
  cleanup.push(() => served.close());
  return served;
}
function client(options: Parameters<typeof httpsClient>[1] = {}) {
  const c = httpsClient(certs.ca.cert, options);
  cleanup.push(() => c.close());
  return c.get;
}

describe('listen', () => {
  it('TLS and basic auth: the right password is served on every path with the headers, anything else gets 401', async () => {
    const served = await serve(`
tls_server_config:
  cert_file: server.crt
  key_file: server.key
basic_auth_users:
  alice: ${aliceHash}
http_server_config:
  headers:
    X-Content-Type-Options: nosniff
    X-Frame-Options: deny
`);
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const get = client();
    for (const path of ['/metrics', '/', '/healthz', '/readyz']) {
      const ok = await get(`${served.url}${path}`, basic('alice', 'wonderland'));
      expect(ok.status, path).toBe(200);
      expect(ok.headers.get('x-frame-options')).toBe('deny');
      expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
      await ok.arrayBuffer();
      for (const headers of [{}, basic('alice', 'Wonderland'), basic('bob', 'wonderland'), basic('alice', ''), { authorization: 'Bearer x' }]) {
        const refused = await get(`${served.url}${path}`, headers);
        expect(refused.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(refused.headers.get('www-authenticate')).toBe('Basic');
        expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await refused.text()).not.toContain('a 1');
      }
    }
    expect(await (await get(`${served.url}/metrics`, basic('alice', 'wonderland'))).text()).toBe(METRICS_TEXT);
    // A client that does not trust the certificate gets no answer at all.
    await expect(fetch(`${served.url}/metrics`, { headers: basic('alice', 'wonderland') })).rejects.toThrow();
  });

  it('min_version TLS13 refuses a TLS 1.2 client', async () => {
    const served = await serve('tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n');
    expect((await client()(`${served.url}/healthz`)).status).toBe(200);
    await expect(client({ maxVersion: 'TLSv1.2' })(`${served.url}/healthz`)).rejects.toThrow();
  });

  it('without a web config serves plain HTTP; with an empty one too', async () => {
    for (const yaml of [undefined, '']) {
      const served = await serve(yaml);
      expect(served.url).toMatch(/^http:/);
      const res = await fetch(`${served.url}/metrics`);
      expect(await res.text()).toBe(METRICS_TEXT);
    }
  });

  it('close() does not wait for keep-alive clients, plain or TLS', async () => {
    for (const yaml of [undefined, 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n']) {
      const served = await serveApp(yaml === undefined ? undefined : webConfigIn(certs.dir, yaml));
      const keepAlive = new Client(served.url, { connect: { ca: certs.ca.cert }, keepAliveTimeout: 60_000 });
      await (await keepAlive.request({ path: '/healthz', method: 'GET' })).body.text();
      const started = performance.now();
      await served.close();
      expect(performance.now() - started).toBeLessThan(2_000);
      await keepAlive.close().catch(() => undefined);
    }
  });

  it('a port in use rejects instead of throwing later', async () => {
    const first = await serve(undefined);
    const { listen } = await import('../../src/http/server.js');
    const { silentLogger } = await import('../../src/log.js');
    await expect(listen({ fetch: () => new Response('x'), port: first.port, hostname: '127.0.0.1', logger: silentLogger })).rejects.toThrow(/EADDRINUSE/);
  });
});
