/**
 * --web.config.file served by the exporter: TLS from certificates openssl makes at test time,
 * basic auth against bcrypt hashes and security headers. (The file's schema is tested in
 * test/config/, TLS serving in test/http/tls/ and test/http/server.test.ts.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { basicAuthChecker } from '../../src/http/web-config.js';
import { generateKeys } from '../../src/simulator/index.js';
import { makeCerts, type TestCerts } from '../hardening/support/certs.js';
import { warnings } from '../hardening/support/exporter.js';
import { startStack, type Stack } from '../support/stack.js';

const certs: TestCerts = makeCerts();
const aliceHash = bcrypt.hashSync('wonderland', 4);
afterAll(() => certs.remove());

/** Writes a web config next to the certificates, so relative paths resolve against it. */
function writeConfig(name: string, yaml: string): string {
  const path = join(certs.dir, name);
  writeFileSync(path, yaml);
  return path;
}

describe('basic auth checks', () => {
  const header = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('pays bcrypt once per right (user, password), every time for wrong ones', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    try {
      const check = basicAuthChecker(new Map([['alice', aliceHash]]));
      for (let i = 0; i < 10; i++) expect(await check(header('alice', 'wonderland'))).toBe(true);
      expect(compare).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 3; i++) expect(await check(header('alice', 'wrong'))).toBe(false);
      expect(await check(header('mallory', 'wonderland'))).toBe(false);
      // An unknown user costs a comparison too, so timing does not tell users apart.
      expect(compare).toHaveBeenCalledTimes(5);
      expect(await check(null)).toBe(false);
      expect(await check('Bearer abc')).toBe(false);
      expect(await check(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBe(false);
      expect(await check(header('alice', 'wonderland:with:colons'))).toBe(false);
    } finally {
      compare.mockRestore();
    }
  });
});

describe('served for real', () => {
  let stack: Stack | undefined;
  const agents: Agent[] = [];
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    for (const agent of agents.splice(0)) await agent.close();
  });

  const keys = generateKeys({ count: 20, seed: 3, now: Date.now() });
  const start = (yaml: string): Promise<Stack> => startStack({ keys, env: { WEB_CONFIG_FILE: writeConfig(`web-${Math.random()}.yml`, yaml) } });

  /** A client that trusts the test CA, optionally presenting a certificate. */
  function client(options: { cert?: string; key?: string } = {}) {
    const agent = new Agent({ connect: { ca: certs.ca.cert, ...options } });
    agents.push(agent);
    return (url: string, headers: Record<string, string> = {}) => undiciFetch(url, { dispatcher: agent, headers });
  }
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  it('TLS and basic auth: the right password is served on every path, anything else gets 401, plain HTTP a 400', async () => {
    stack = await start(`
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
    const url = stack.exporter.url;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const get = client();
    for (const path of ['/metrics', '/', '/healthz', '/readyz']) {
      const ok = await get(`${url}${path}`, basic('alice', 'wonderland'));
      expect(ok.status, path).toBe(200);
      expect(ok.headers.get('x-frame-options')).toBe('deny');
      await ok.arrayBuffer();
      for (const headers of [{}, basic('alice', 'Wonderland'), basic('bob', 'wonderland'), { authorization: 'Bearer x' }]) {
        const refused = await get(`${url}${path}`, headers);
        expect(refused.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(refused.headers.get('www-authenticate')).toBe('Basic');
        expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await refused.text()).not.toContain('orq_');
      }
    }
    const metrics = await (await get(`${url}/metrics`, basic('alice', 'wonderland'))).text();
    expect(metrics).toContain('orq_api_key_info{workspace="test"');
    // Plain HTTP to the TLS port gets Go's 400; a client that does not trust the certificate, no answer at all.
    expect((await fetch(url.replace('https:', 'http:') + '/metrics', { headers: basic('alice', 'wonderland') })).status).toBe(400);
    await expect(fetch(`${url}/metrics`, { headers: basic('alice', 'wonderland') })).rejects.toThrow();
    // Basic auth over TLS is the safe combination: no warning about passwords in the clear.
    expect(warnings(stack.logs)).toEqual([]);
  });

  it('basic auth without TLS works but warns that passwords cross in the clear', async () => {
    stack = await start(`basic_auth_users:\n  alice: ${aliceHash}\n`);
    expect(stack.exporter.url).toMatch(/^http:/);
    expect((await fetch(`${stack.exporter.url}/healthz`)).status).toBe(401);
    expect((await fetch(`${stack.exporter.url}/healthz`, { headers: basic('alice', 'wonderland') })).status).toBe(200);
    expect(warnings(stack.logs).map((w) => w.msg)).toEqual(['basic auth is on without TLS: passwords cross the network in the clear']);
  });
});
