/** Where the exporter listens: LISTEN_ADDRESS, and a failure to listen. */
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
    ['127.0.0.1:9100', 'must be an address without a port: give the port in PORT'],
    ['[::1]:9100', 'must be an address without a port: give the port in PORT'],
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
    const line = listenFailure(await failure('exporter.invalid', 0), 'exporter.invalid', 0, { address: '--listen-address', port: 'PORT' });
    expect(line).toMatch(/^--listen-address: the host name "exporter\.invalid" does not resolve \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\)$/);
  });

  it('leaves other errors to the caller', () => {
    expect(listenFailure(new Error('boom'), '0.0.0.0', 1, labels)).toBeUndefined();
    expect(listenFailure(Object.assign(new Error('x'), { code: 'EIO', syscall: 'read' }), '0.0.0.0', 1, labels)).toBeUndefined();
    expect(listenFailure(Object.assign(new Error('x'), { code: 'EMFILE', syscall: 'listen' }), '::', 1, labels)).toBe('LISTEN_ADDRESS, PORT: cannot listen on [::]:1 (EMFILE)');
  });
});
