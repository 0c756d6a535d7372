/**
 * The probe as the image runs it: `node dist/src/http/probe-cli.js /healthz`. What the probe
 * decides is probe.test.ts's; here, that the built program hands it its arguments and
 * environment, prints its one line, and exits with its code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileEntries } from '../support/compile.js';

let dir: string;
let server: Server;
let port: number;
const asked: string[] = [];

beforeAll(async () => {
  dir = compileEntries(['src/http/probe-cli.ts'], { name: 'orq-api-keys-exporter', version: '0.0.0', type: 'module' });
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    if (req.url === '/healthz') res.writeHead(200).end('ok\n');
    else res.writeHead(503).end('not ready: no snapshot yet\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(dir, 'dist/src/http/probe-cli.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('probe-cli', () => {
  it('exits 0 with one line for a healthy exporter, asking the path and port it is given', async () => {
    asked.length = 0;
    expect(await run(['/healthz'], { PORT: String(port), LISTEN_ADDRESS: '127.0.0.1' })).toEqual({ code: 0, stdout: 'probe: http /healthz: 200\n', stderr: '' });
    expect(asked).toEqual(['/healthz']);
  });

  it('exits 1 with the exporter\'s own first line for an unhealthy one', async () => {
    expect(await run(['/readyz'], { PORT: String(port), LISTEN_ADDRESS: '0.0.0.0' })).toEqual({ code: 1, stdout: 'probe: http /readyz: 503 not ready: no snapshot yet\n', stderr: '' });
  });

  it('exits 1 with the reason for arguments it does not take', async () => {
    const result = await run(['healthz'], { PORT: String(port) });
    expect(result).toEqual({ code: 1, stdout: 'probe: unknown argument "healthz" (usage: probe-cli.js [/path] [--credentials-file FILE])\n', stderr: '' });
  });
});
