/**
 * The container's health probe against the exporter's HTTP layer served for real, in every
 * shape the web config gives it: plain, basic auth with and without the probe's credentials,
 * TLS, TLS that requires client certificates; and against nothing at all.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { probe, probeHost, probeTargetFrom, runProbe } from '../../src/http/probe.js';
import { makeCerts, type TestCerts } from '../hardening/support/certs.js';
import { serveApp, webConfigIn, type Served } from './support/serve.js';

const certs: TestCerts = makeCerts();
const hash = bcrypt.hashSync('probe-secret', 4);
afterAll(() => certs.remove());
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

const notReady = { workspaces: () => [{ name: 'w', baseUrl: 'https://api.orq.ai', keys: undefined, lastSuccess: undefined, lastError: 'upstream answered 401' }] };

async function serve(yaml: string | undefined, ready = true): Promise<Served> {
  const served = await serveApp(yaml === undefined ? undefined : webConfigIn(certs.dir, yaml), { deps: ready ? {} : notReady });
  cleanup.push(() => served.close());
  return served;
}
const at = (served: Served, path: string, credentials?: string) => probe({ host: '127.0.0.1', port: served.port, path, credentials });
const TLS = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';
const AUTH = `basic_auth_users:\n  probe: ${hash}\n`;

describe('probe', () => {
  it('plain HTTP: healthy on 200, not on 503', async () => {
    expect(await at(await serve(undefined), '/healthz')).toEqual({ healthy: true, reason: 'http /healthz: 200' });
    expect(await at(await serve(undefined, false), '/readyz')).toEqual({ healthy: false, reason: 'http /readyz: 503 not ready: no successful refresh yet for w' });
  });

  it('basic auth: up on a 401 without credentials; the path itself with them; wrong ones fail', async () => {
    const served = await serve(AUTH, false);
    const up = await at(served, '/readyz');
    expect(up.healthy).toBe(true);
    expect(up.reason).toBe('up (http /readyz: 401: basic auth is on; give --credentials-file to check /readyz itself)');
    expect(await at(served, '/healthz', 'probe:probe-secret')).toEqual({ healthy: true, reason: 'http /healthz: 200' });
    expect((await at(served, '/readyz', 'probe:probe-secret')).healthy).toBe(false);
    const wrong = await at(served, '/healthz', 'probe:nope');
    expect(wrong).toEqual({ healthy: false, reason: 'http /healthz: 401 Unauthorized' });
    expect(JSON.stringify(wrong)).not.toContain('nope');
  });

  it('TLS: finds it from the 400 to plain HTTP and asks over TLS, with or without basic auth', async () => {
    expect(await at(await serve(TLS), '/healthz')).toEqual({ healthy: true, reason: 'https /healthz: 200' });
    expect(await at(await serve(TLS, false), '/readyz')).toMatchObject({ healthy: false, reason: expect.stringMatching(/^https \/readyz: 503 /) as unknown as string });
    const both = await serve(`${TLS}${AUTH}`);
    expect(await at(both, '/healthz', 'probe:probe-secret')).toEqual({ healthy: true, reason: 'https /healthz: 200' });
    expect((await at(both, '/healthz')).reason).toMatch(/^up \(https \/healthz: 401/);
  });

  it('TLS that requires a client certificate: up, from its answer to plain HTTP', async () => {
    const served = await serve(`${TLS}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n`);
    const result = await at(served, '/healthz');
    expect(result.healthy).toBe(true);
    expect(result.reason).toMatch(/^up \(answers on TLS; \/healthz not checked: /);
  });

  it('nothing listening, or a server that never answers: unhealthy, saying so', async () => {
    const closed = await serve(undefined);
    await closed.close();
    expect(await probe({ host: '127.0.0.1', port: closed.port, path: '/healthz' })).toEqual({ healthy: false, reason: `no answer on 127.0.0.1:${closed.port}: ECONNREFUSED` });
    const accepted: Socket[] = [];
    const silent: Server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise((resolve) => {
          for (const socket of accepted) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const port = (silent.address() as { port: number }).port;
    const result = await probe({ host: '127.0.0.1', port, path: '/healthz', timeoutMs: 200 });
    expect(result).toEqual({ healthy: false, reason: `no answer on 127.0.0.1:${port}: no answer in 200 ms` });
  });
});

describe('the command line', () => {
  it('reads the path, the port and address the exporter listens on, and the credentials file', () => {
    const file = join(certs.dir, 'probe-credentials');
    writeFileSync(file, 'probe:probe-secret\n');
    expect(probeTargetFrom([], {})).toEqual({ host: '127.0.0.1', port: 9877, path: '/healthz', credentials: undefined });
    expect(probeTargetFrom(['/readyz', '--credentials-file', file], { PORT: '9100', LISTEN_ADDRESS: '10.0.0.5' })).toEqual({ host: '10.0.0.5', port: 9100, path: '/readyz', credentials: 'probe:probe-secret' });
    expect(probeTargetFrom([`--credentials-file=${file}`], {}).credentials).toBe('probe:probe-secret');
  });

  it('asks loopback when the exporter listens everywhere', () => {
    expect(probeHost(undefined)).toBe('127.0.0.1');
    expect(probeHost('0.0.0.0')).toBe('127.0.0.1');
    expect(probeHost('::')).toBe('::1');
    expect(probeHost('[::1]')).toBe('::1');
    expect(probeHost('192.168.1.2')).toBe('192.168.1.2');
  });

  it.each([
    [['--credentials-file'], {}, 'probe: --credentials-file needs a file\n'],
    [['--credentials-file', '/nonexistent/creds'], {}, 'probe: --credentials-file: cannot read "/nonexistent/creds" (ENOENT)\n'],
    [['--credentials-file', '/dev/zero'], {}, 'probe: --credentials-file: cannot read "/dev/zero" (not a regular file)\n'],
    [['healthz'], {}, 'probe: unknown argument "healthz" (usage: probe-cli.js [/path] [--credentials-file FILE])\n'],
    [[], { PORT: 'x' }, 'probe: PORT: must be a port number (got "x")\n'],
    [[], { PORT: '70000' }, 'probe: PORT: must be a port number (got "70000")\n'],
  ] as const)('refuses %j %j with one line and exit code 1', async (argv, env, line) => {
    const out: string[] = [];
    expect(await runProbe(argv, env, (l) => out.push(l))).toBe(1);
    expect(out).toEqual([line]);
  });

  it('a credentials file without a colon is refused, without repeating it', async () => {
    const file = join(certs.dir, 'bad-credentials');
    writeFileSync(file, 'just-a-password');
    const out: string[] = [];
    expect(await runProbe(['--credentials-file', file], {}, (l) => out.push(l))).toBe(1);
    expect(out.join('')).toBe(`probe: --credentials-file: ${JSON.stringify(file)} must hold user:password\n`);
  });

  it('exit code 0 and the reason for a healthy exporter', async () => {
    const served = await serve(undefined);
    const out: string[] = [];
    expect(await runProbe(['/healthz'], { PORT: String(served.port), LISTEN_ADDRESS: '127.0.0.1' }, (l) => out.push(l))).toBe(0);
    expect(out).toEqual(['probe: http /healthz: 200\n']);
  });
});
