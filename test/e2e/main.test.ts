/**
 * The built program as a user runs it: `node dist/src/main.js`, with settings in the
 * environment, stopped by SIGTERM.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeys, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { TOKEN } from '../support/stack.js';

const MAIN = 'dist/src/main.js';

function run(env: Record<string, string>, args: string[] = []) {
  return spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function exit(child: ReturnType<typeof run>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

let simulator: Simulator;
beforeAll(async () => {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  simulator = await startSimulator({ keys: generateKeys({ count: 50, seed: 1, now: Date.now() }), token: TOKEN });
}, 120_000);
afterAll(async () => {
  await simulator?.close();
});

describe('main', () => {
  it('exits 2 before listening, one line per bad setting', async () => {
    const result = await exit(run({ REFRESH_INTERVAL: '5s', PORT: 'x' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'ORQ_API_KEY: required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API',
        'REFRESH_INTERVAL: must be at least 10s (got "5s")',
        'PORT: must be a whole number from 0 to 65535 (got "x")',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a bad web config, one line per problem naming the field', async () => {
    const result = await exit(run({ ORQ_API_KEY: TOKEN, ORQ_BASE_URL: simulator.url, PORT: '0' }, ['--web.config.file', '/nonexistent/web.yml']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--web\.config\.file: .*"\/nonexistent\/web\.yml".*\n$/);
    expect(result.stdout).toBe('');
  });

  it('lists every flag with --help', async () => {
    const result = await exit(run({}, ['--help']));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--refresh-interval');
    expect(result.stdout).toContain('REFRESH_INTERVAL');
  });

  it('serves metrics, logs JSON, and stops cleanly on SIGTERM', async () => {
    const child = run({ ORQ_API_KEY: TOKEN, ORQ_BASE_URL: simulator.url, PORT: '0', LISTEN_ADDRESS: '127.0.0.1', ORQ_WORKSPACE: 'proc' });
    const done = exit(child);
    let url: string | undefined;
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      url ??= /"metrics_url":"([^"]+)"/.exec(buffered)?.[1];
    });
    const deadline = Date.now() + 10_000;
    while ((url === undefined || !buffered.includes('refresh succeeded')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(url).toBeDefined();
    const text = await (await fetch(url!)).text();
    expect(text).toContain('orq_api_key_info{workspace="proc"');

    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(3_000);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.map((l) => l.msg)).toEqual(['exporter started', 'refresh succeeded', 'stopping', 'exporter stopped']);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });
});
