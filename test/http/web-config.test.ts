/**
 * --web.config.file: the exporter-toolkit format parsed with errors that name the field, and
 * then served for real: TLS from certificates openssl makes at test time, basic auth against
 * bcrypt hashes, client certificates, security headers, and certificate rotation.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import bcrypt from 'bcryptjs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { basicAuthChecker, loadWebConfig, parseWebConfig, type WebConfig } from '../../src/http/web-config.js';
import { generateKeys } from '../../src/simulator/index.js';
import { makeCerts, type TestCerts } from '../hardening/support/certs.js';
import { warnings } from '../hardening/support/exporter.js';
import { startStack, type Stack } from '../support/stack.js';

// Made when the file loads, not in a hook: the table of bad configs below names their paths.
const certs: TestCerts = makeCerts();
const aliceHash = bcrypt.hashSync('wonderland', 4);
afterAll(() => certs.remove());

/** Writes a web config next to the certificates, so relative paths resolve against it. */
function writeConfig(name: string, yaml: string): string {
  const path = join(certs.dir, name);
  writeFileSync(path, yaml);
  return path;
}

function errorsOf(yaml: string): readonly string[] {
  const result = loadWebConfig(writeConfig('web.yml', yaml));
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
}

function configOf(yaml: string): WebConfig {
  const result = loadWebConfig(writeConfig('web.yml', yaml));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

describe('parsing and validation', () => {
  it('reads the toolkit format with relative paths, defaults and headers', () => {
    const config = configOf(`
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  client_allowed_sans: [scraper.example]
  min_version: TLS13
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: ${aliceHash}
`);
    expect(config.tls).toMatchObject({
      certFile: certs.server.certFile,
      keyFile: certs.server.keyFile,
      clientCaFile: certs.ca.certFile,
      clientAuth: 'RequireAndVerifyClientCert',
      clientAllowedSans: ['scraper.example'],
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
      ecdhCurve: 'X25519:P-256',
      honorCipherOrder: true,
    });
    expect(config.tls?.cert).toBe(certs.server.cert);
    expect(config.users).toEqual(new Map([['alice', aliceHash]]));
    expect(config.headers).toEqual({ 'X-Frame-Options': 'deny', 'Strict-Transport-Security': 'max-age=31536000' });
  });

  it('an empty file, or a TLS section with nothing in it, means plain HTTP and no auth', () => {
    expect(configOf('')).toEqual({ tls: undefined, users: new Map(), headers: {} });
    expect(configOf('tls_server_config: {}\nbasic_auth_users: {}\n')).toEqual({ tls: undefined, users: new Map(), headers: {} });
  });

  it('a missing file names the setting and the path', () => {
    expect(loadWebConfig('/nonexistent/web.yml')).toEqual({ ok: false, errors: ['WEB_CONFIG_FILE: cannot read "/nonexistent/web.yml" (ENOENT)'] });
    expect(loadWebConfig('/nonexistent/web.yml', { label: '--web.config.file' })).toEqual({
      ok: false,
      errors: ['--web.config.file: cannot read "/nonexistent/web.yml" (ENOENT)'],
    });
  });

  const table: ReadonlyArray<readonly [string, () => string, readonly string[]]> = [
    ['a certificate file that is not there', () => 'tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key\n', [`WEB_CONFIG_FILE: tls_server_config.cert_file: cannot read "${join(certs.dir, 'missing.crt')}" (ENOENT)`]],
    ['a certificate without a key', () => 'tls_server_config:\n  cert_file: server.crt\n', ['WEB_CONFIG_FILE: tls_server_config: needs key_file (or key) to serve TLS']],
    ['both a file and inline', () => `tls_server_config:\n  cert_file: server.crt\n  cert: inline\n  key_file: server.key\n`, ['WEB_CONFIG_FILE: tls_server_config: set either cert_file or cert, not both']],
    ['an unknown top-level field', () => 'tls_config: {}\n', ['WEB_CONFIG_FILE: tls_config: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)']],
    ['a toolkit field this exporter does not implement', () => 'rate_limit:\n  burst: 10\n', ['WEB_CONFIG_FILE: rate_limit: not supported by this exporter (scrapes are served from a per-second cache)']],
    ['an unknown TLS field', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  certfile: x\n', [expect.stringMatching(/^WEB_CONFIG_FILE: tls_server_config\.certfile: unknown field \(expected one of cert_file, key_file, /) as unknown as string]],
    ['an unknown client auth type', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: Yes\n', ['WEB_CONFIG_FILE: tls_server_config.client_auth_type: must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert (got "Yes")']],
    ['a client CA without a client auth policy', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: ca.crt\n', ['WEB_CONFIG_FILE: tls_server_config.client_ca_file: a client CA without client_auth_type would never be used; set client_auth_type']],
    ['verification without a CA', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n', ['WEB_CONFIG_FILE: tls_server_config.client_auth_type: RequireAndVerifyClientCert needs client_ca_file (or client_ca) to verify against']],
    ['allowed SANs where a certificate is optional', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n  client_allowed_sans: [a]\n', ['WEB_CONFIG_FILE: tls_server_config.client_allowed_sans: needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert']],
    ['an unknown TLS version, and min above max', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS14\n  max_version: TLS11\n', ['WEB_CONFIG_FILE: tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13 (got "TLS14")', 'WEB_CONFIG_FILE: tls_server_config.min_version: is above max_version']],
    ['an unknown cipher suite and curve', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher_suites: [RC4]\n  curve_preferences: [P256]\n', [expect.stringMatching(/^WEB_CONFIG_FILE: tls_server_config\.cipher_suites: unknown cipher suite "RC4" \(known: /) as unknown as string, expect.stringMatching(/^WEB_CONFIG_FILE: tls_server_config\.curve_preferences: unknown curve "P256" \(known: CurveP256, CurveP384, CurveP521, X25519\)$/) as unknown as string]],
    ['a certificate and a key that do not belong together', () => 'tls_server_config:\n  cert_file: server.crt\n  key_file: self.key\n', [expect.stringMatching(/^WEB_CONFIG_FILE: tls_server_config: cert_file and key_file are not a usable certificate and key pair \(.+\)$/) as unknown as string]],
    ['TLS settings without TLS', () => 'tls_server_config:\n  min_version: TLS13\n', ['WEB_CONFIG_FILE: tls_server_config.min_version: set without cert_file and key_file, so TLS is off']],
    ['a password instead of a hash, and a user with a colon', () => 'basic_auth_users:\n  alice: wonderland\n  "bob:x": $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n', ['WEB_CONFIG_FILE: basic_auth_users.alice: must be a bcrypt hash such as the output of htpasswd -nBC 10 "" | tr -d \':\\n\'', 'WEB_CONFIG_FILE: basic_auth_users.bob:x: a user name cannot contain ":"']],
    ['a header the toolkit does not allow, and a value it does not allow', () => 'http_server_config:\n  headers:\n    X-Powered-By: me\n    X-Frame-Options: allow\n', ['WEB_CONFIG_FILE: http_server_config.headers.X-Powered-By: cannot be configured (allowed: Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy)', 'WEB_CONFIG_FILE: http_server_config.headers.X-Frame-Options: must be one of "deny", "sameorigin" (got "allow")']],
    ['a list where a mapping belongs', () => '- tls_server_config\n', ['WEB_CONFIG_FILE: must be a YAML mapping of tls_server_config, http_server_config and basic_auth_users']],
    ['a key given twice', () => 'basic_auth_users: {}\nbasic_auth_users: {}\n', [expect.stringMatching(/^WEB_CONFIG_FILE: not valid YAML: Map keys must be unique/) as unknown as string]],
  ];

  it.each(table)('refuses %s, naming the field', (_name, yaml, expected) => {
    expect(errorsOf(yaml())).toEqual(expected);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf('tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n  min_version: SSL3\nbasic_auth_users:\n  eve: hunter2\n');
    expect(errors).toHaveLength(4);
    expect(errors.every((e) => e.startsWith('WEB_CONFIG_FILE: '))).toBe(true);
  });

  it('parseWebConfig uses the label it is given', () => {
    expect(parseWebConfig('x: 1', { label: '--web.config.file' })).toEqual({
      ok: false,
      errors: ['--web.config.file: x: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)'],
    });
  });
});

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

  /** A client that trusts the test CA, optionally presenting a certificate or capping the TLS version. */
  function client(options: { cert?: string; key?: string; maxVersion?: ConnectionOptions['maxVersion'] } = {}) {
    const agent = new Agent({ connect: { ca: certs.ca.cert, ...options } });
    agents.push(agent);
    return (url: string, headers: Record<string, string> = {}) => undiciFetch(url, { dispatcher: agent, headers });
  }
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  it('TLS and basic auth: the right password is served on every path, anything else gets 401, plain HTTP gets nothing', async () => {
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
    // Plain HTTP to the TLS port, and a client that does not trust the certificate: no answer at all.
    await expect(fetch(url.replace('https:', 'http:') + '/metrics', { headers: basic('alice', 'wonderland') })).rejects.toThrow();
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

  it('RequireAndVerifyClientCert: only a certificate from the client CA gets through', async () => {
    stack = await start('tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n');
    const url = `${stack.exporter.url}/healthz`;
    expect((await client({ cert: certs.client.cert, key: certs.client.key })(url)).status).toBe(200);
    await expect(client()(url)).rejects.toThrow();
    await expect(client({ cert: certs.strangerClient.cert, key: certs.strangerClient.key })(url)).rejects.toThrow();
  });

  it('RequireAnyClientCert with client_allowed_sans: any certificate, but only with an allowed SAN', async () => {
    stack = await start('tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAnyClientCert\n  client_allowed_sans: [scraper.example]\n');
    const url = `${stack.exporter.url}/healthz`;
    expect((await client({ cert: certs.client.cert, key: certs.client.key })(url)).status).toBe(200);
    await expect(client({ cert: certs.strangerClient.cert, key: certs.strangerClient.key })(url)).rejects.toThrow();
    await expect(client()(url)).rejects.toThrow();
  });

  it('VerifyClientCertIfGiven: no certificate is fine, an unverifiable one is not', async () => {
    stack = await start('tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n');
    const url = `${stack.exporter.url}/healthz`;
    expect((await client()(url)).status).toBe(200);
    expect((await client({ cert: certs.client.cert, key: certs.client.key })(url)).status).toBe(200);
    await expect(client({ cert: certs.strangerClient.cert, key: certs.strangerClient.key })(url)).rejects.toThrow();
  });

  it('min_version TLS13 refuses a TLS 1.2 client', async () => {
    stack = await start('tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n');
    const url = `${stack.exporter.url}/healthz`;
    expect((await client()(url)).status).toBe(200);
    await expect(client({ maxVersion: 'TLSv1.2' })(url)).rejects.toThrow();
  });

  it('a rotated certificate file is served to new connections without a restart', async () => {
    copyFileSync(certs.server.certFile, join(certs.dir, 'rotating.crt'));
    copyFileSync(certs.server.keyFile, join(certs.dir, 'rotating.key'));
    stack = await start('tls_server_config:\n  cert_file: rotating.crt\n  key_file: rotating.key\n');
    const port = Number(new URL(stack.exporter.url).port);
    const presented = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          resolve(String(socket.getPeerCertificate().subject.CN));
          socket.end();
        });
        socket.on('error', reject);
      });
    expect(await presented()).toBe('server');
    writeFileSync(join(certs.dir, 'rotating.crt'), certs.selfSigned.cert);
    writeFileSync(join(certs.dir, 'rotating.key'), certs.selfSigned.key);
    // Certificates are looked at no more than once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await presented();
    expect(await presented()).toBe('127.0.0.1');
  });

  it('an invalid web config is refused with the settings, naming every problem', () => {
    const path = writeConfig('bad.yml', 'tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\nbasic_auth_users:\n  eve: hunter2\n');
    const result = loadConfig({ env: { ORQ_API_KEY: 'orq-web-config-test-token-0000', WEB_CONFIG_FILE: path, PORT: '0', LISTEN_ADDRESS: '127.0.0.1' }, argv: [] });
    expect(result).toEqual({
      ok: false,
      errors: [
        `WEB_CONFIG_FILE: tls_server_config.cert_file: cannot read "${join(certs.dir, 'nope.crt')}" (ENOENT)`,
        'WEB_CONFIG_FILE: basic_auth_users.eve: must be a bcrypt hash such as the output of htpasswd -nBC 10 "" | tr -d \':\\n\'',
      ],
    });
  });
});
