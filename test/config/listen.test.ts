/** Where the exporter listens: LISTEN_ADDRESS, PORT, --web.listen-address, the metrics path, and a failure to listen. */
import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { listenFailure } from '../../src/config/listen.js';

const TOKEN = 'orq-listen-test-token-0b3e5f1c9a';
const load = (env: Record<string, string>, argv: string[] = []) => loadConfig({ env: { ORQ_API_KEY: TOKEN, ...env }, argv });
const errorsOf = (env: Record<string, string>, argv: string[] = []): readonly string[] => {
  const result = load(env, argv);
  return result.ok === false ? result.errors : [];
};
const listenOf = (env: Record<string, string>, argv: string[] = []) => {
  const result = load(env, argv);
  if (result.ok !== true) throw new Error(JSON.stringify(result));
  return { address: result.config.listenAddress, port: result.config.port, labels: result.listenLabels };
};

describe('LISTEN_ADDRESS', () => {
  it.each([
    ['0.0.0.0', '0.0.0.0'],
    ['127.0.0.1', '127.0.0.1'],
    ['::', '::'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['localhost', 'localhost'],
    ['exporter.monitoring.svc.cluster.local', 'exporter.monitoring.svc.cluster.local'],
    ['my_service', 'my_service'],
    ['host.', 'host.'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ])('accepts %s', (text, address) => {
    expect(listenOf({ LISTEN_ADDRESS: text }).address).toBe(address);
  });

  it.each([
    ['127.0.0.1:9100', 'must be an address without a port: give the port in PORT, or both in --web.listen-address=host:port'],
    ['[::1]:9100', 'must be an address without a port: give the port in PORT, or both in --web.listen-address=host:port'],
    ['[localhost]', 'must be an IPv6 address inside [ and ], or an address without them'],
    ['http://localhost', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    ['999.1.1.1', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    ['1.2.3', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    ['exporter host', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    ['-leading.dash', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    [`${'a'.repeat(64)}.example`, 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    [`${'a.'.repeat(127)}ab`, 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    ['a..b', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    ['hôte', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
    ['::1::', 'must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost'],
  ])('refuses %j in one line naming the setting', (text, problem) => {
    const lines = errorsOf({ LISTEN_ADDRESS: text });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`LISTEN_ADDRESS: ${problem} (got `)).toBe(true);
  });
});

describe('--web.listen-address', () => {
  it.each([
    ['127.0.0.1:9100', '127.0.0.1', 9100],
    ['[::1]:9100', '::1', 9100],
    [':9100', '0.0.0.0', 9100],
    ['localhost:0', 'localhost', 0],
  ])('reads %s as an address and a port', (value, address, port) => {
    expect(listenOf({}, [`--web.listen-address=${value}`])).toEqual({ address, port, labels: { address: '--web.listen-address', port: '--web.listen-address' } });
  });

  it('wins over LISTEN_ADDRESS and PORT, as every flag wins over the environment', () => {
    expect(listenOf({ LISTEN_ADDRESS: '10.0.0.1', PORT: '1' }, ['--web.listen-address', '127.0.0.1:2'])).toMatchObject({ address: '127.0.0.1', port: 2 });
  });

  it.each([
    [['--web.listen-address=:1', '--port=2'], '--web.listen-address: sets the same as --port; give one'],
    [['--listen-address=::', '--web.listen-address=:1'], '--web.listen-address: sets the same as --listen-address; give one'],
  ])('cannot be combined with the flag it overlaps: %j', (argv, line) => {
    expect(errorsOf({}, argv)).toEqual([line]);
  });

  it.each(['9100', '127.0.0.1', '::1:9100', '127.0.0.1:', '[::1]', 'a:b:c', ''])('refuses %j, saying the form', (value) => {
    expect(errorsOf({}, [`--web.listen-address=${value}`])).toEqual([
      '--web.listen-address: must be host:port, such as 127.0.0.1:9877, [::1]:9877 or :9877 for every address',
    ]);
  });

  it('labels a bad port or host with the flag', () => {
    expect(errorsOf({}, ['--web.listen-address=:99999'])).toEqual(['--web.listen-address: must be a whole number from 0 to 65535 (got "99999")']);
    expect(errorsOf({}, ['--web.listen-address=[nope]:1'])[0]).toMatch(/^--web\.listen-address: must be an IPv6 address inside \[ and \]/);
  });
});

describe('WEB_TELEMETRY_PATH', () => {
  it.each(['/metrics', '/probe/metrics', '/metrics/', "/a-b_c.d~!$&'()*+,;=:@", `/${'m'.repeat(255)}`])('accepts %j', (path) => {
    const result = load({ WEB_TELEMETRY_PATH: path });
    expect(result.ok === true && result.config.telemetryPath).toBe(path);
  });

  it.each([
    ['metrics', 'must start with /'],
    ['/', 'must not be /, which the exporter serves itself'],
    ['/healthz', 'must not be /healthz, which the exporter serves itself'],
    ['/readyz', 'must not be /readyz, which the exporter serves itself'],
    ['/-/reload', 'must not be under /-/, kept for lifecycle endpoints such as /-/reload'],
    ['/-/metrics', 'must not be under /-/, kept for lifecycle endpoints such as /-/reload'],
    ['//metrics', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/metrics?x=1', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/metrics#x', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/met rics', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/m%65trics', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/a/../healthz', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/./metrics', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/métriques', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    ['/metrics\u0000', 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
    [`/${'m'.repeat(256)}`, 'must be a plain path of letters, digits and -._~ such as /metrics, at most 256 characters'],
  ])('refuses %j', (path, problem) => {
    const lines = errorsOf({ WEB_TELEMETRY_PATH: path });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`WEB_TELEMETRY_PATH: ${problem} (got `)).toBe(true);
  });

  it('labels its errors with the flag when given as one', () => {
    expect(errorsOf({}, ['--web.telemetry-path=/healthz'])).toEqual(['--web.telemetry-path: must not be /healthz, which the exporter serves itself (got "/healthz")']);
  });
});

describe('listenFailure', () => {
  const labels = { address: 'LISTEN_ADDRESS', port: 'PORT' };
  const failure = async (host: string, port: number): Promise<unknown> => {
    const server = createServer();
    server.listen({ host, port });
    const [error] = (await once(server, 'error')) as [unknown];
    return error;
  };

  it('names PORT for a port in use', async () => {
    const holder = createServer().listen({ host: '127.0.0.1', port: 0 });
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      expect(listenFailure(await failure('127.0.0.1', port), '127.0.0.1', port, labels)).toBe(`PORT: port ${port} is already in use on 127.0.0.1 (EADDRINUSE)`);
    } finally {
      holder.close();
    }
  });

  it('names LISTEN_ADDRESS for an address this machine does not have', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never a local address.
    expect(listenFailure(await failure('192.0.2.1', 0), '192.0.2.1', 0, labels)).toBe('LISTEN_ADDRESS: 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL)');
  });

  it('names LISTEN_ADDRESS, the spelling the user used, for a name that does not resolve', async () => {
    const line = listenFailure(await failure('exporter.invalid', 0), 'exporter.invalid', 0, { address: '--web.listen-address', port: '--web.listen-address' });
    expect(line).toMatch(/^--web\.listen-address: the host name "exporter\.invalid" does not resolve \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\)$/);
  });

  it('leaves other errors to the caller', () => {
    expect(listenFailure(new Error('boom'), '0.0.0.0', 1, labels)).toBeUndefined();
    expect(listenFailure(Object.assign(new Error('x'), { code: 'EIO', syscall: 'read' }), '0.0.0.0', 1, labels)).toBeUndefined();
    expect(listenFailure(Object.assign(new Error('x'), { code: 'EMFILE', syscall: 'listen' }), '::', 1, labels)).toBe('LISTEN_ADDRESS, PORT: cannot listen on [::]:1 (EMFILE)');
  });
});
