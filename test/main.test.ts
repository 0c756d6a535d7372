/**
 * The exporter's process as a user runs it: `node dist/src/main.js`, with settings in the
 * environment; its exit codes, its logs, and the signals it answers (SIGTERM, SIGHUP).
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeys, startSimulator, type Simulator } from '../src/simulator/index.js';
import { buildProgram, exit, type Built } from './support/programs.js';
import { TOKEN, valueOf } from './support/stack.js';

let main: Built;
const run = (env: Record<string, string>, args: string[] = []) => main.run(env, args);

let simulator: Simulator;
const dir = mkdtempSync(join(tmpdir(), 'main-'));
beforeAll(async () => {
  main = buildProgram('main');
  simulator = await startSimulator({ keys: generateKeys({ count: 50, seed: 1, now: Date.now() }), token: TOKEN });
}, 120_000);
afterAll(async () => {
  await simulator?.close();
  main?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** Settings that would start the exporter, for tests that spoil one of them. */
const good = (): Record<string, string> => ({ ORQ_API_KEY: TOKEN, ORQ_BASE_URL: simulator.url, PORT: '0', LISTEN_ADDRESS: '127.0.0.1' });

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

  it.each([
    ['--web.config.file', ['--web.config.file', '/nonexistent/web.yml'], {}],
    ['WEB_CONFIG_FILE', [], { WEB_CONFIG_FILE: '/nonexistent/web.yml' }],
  ])('exits 2 on a bad web config, one line labelled %s', async (label, args, env) => {
    const result = await exit(run({ ...good(), ...env }, args));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${label}: cannot read "/nonexistent/web.yml" (ENOENT)\n`);
    expect(result.stdout).toBe('');
  });

  it.each([
    ['a token file that never ends', { ORQ_API_KEY: '', ORQ_API_KEY_FILE: '/dev/zero' }, 'ORQ_API_KEY_FILE: cannot read "/dev/zero" (not a regular file)'],
    ['a refresh interval past what a timer holds', { REFRESH_INTERVAL: '30d' }, 'REFRESH_INTERVAL: must be at most 24d, the longest a timer holds (got "30d")'],
    ['a refresh deadline past what a timer holds', { REFRESH_TIMEOUT: '25d' }, 'REFRESH_TIMEOUT: must be at most 24d, the longest a timer holds (got "25d")'],
    ['a token with a zero-width space', { ORQ_API_KEY: `${TOKEN.slice(0, 10)}\u200b${TOKEN.slice(10)}` }, 'ORQ_API_KEY: holds an invisible character (U+200B); an API key is printable ASCII in one word, as an HTTP header needs'],
    ['a one-character token', { ORQ_API_KEY: 'e' }, 'ORQ_API_KEY: is 1 character long; an API key is 20 to 4096'],
    ['a listen address with a port', { LISTEN_ADDRESS: '127.0.0.1:9100' }, 'LISTEN_ADDRESS: must be an address without a port: give the port in PORT, or both in --web.listen-address=host:port (got "127.0.0.1:9100")'],
  ])('exits 2 at once on %s, in one line', async (_what, env, line) => {
    const result = await exit(run({ ...good(), ...env }));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
  });

  it('exits 2 at once on a token file that is a FIFO nobody writes to', async () => {
    const fifo = join(dir, 'token-fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await exit(run({ ...good(), ORQ_API_KEY: '', ORQ_API_KEY_FILE: fifo }));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`ORQ_API_KEY_FILE: cannot read ${JSON.stringify(fifo)} (not a regular file)\n`);
  });

  it('never echoes a token typed where it does not belong', async () => {
    const result = await exit(
      run({ ...good(), ORQ_BASE_URL: `http://user:${TOKEN}@host:99999/?api_key=${TOKEN}`, LOG_LEVEL: TOKEN }, ['--orq-api-key', TOKEN, TOKEN, `-${TOKEN}`]),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        '--orq-api-key: not accepted, since a flag shows the token in process listings; use ORQ_API_KEY or --orq-api-key-file',
        'argument 3: not a flag (see --help)',
        'argument 4: unknown flag (see --help)',
        '',
      ].join('\n'),
    );
    const settings = await exit(run({ ...good(), ORQ_BASE_URL: `http://user:${TOKEN}@host:99999/?api_key=${TOKEN}`, LOG_LEVEL: TOKEN }));
    expect(settings.stderr).toBe(
      ['ORQ_BASE_URL: must be an http:// or https:// URL (got "http://…@host:99999/?…")', 'LOG_LEVEL: must be one of debug, info, warn, error (got "[REDACTED]")', ''].join('\n'),
    );
  });

  describe('a failure to listen: exit 2, one line naming the setting', () => {
    it('names PORT for a port already in use', async () => {
      const holder = createServer().listen({ host: '127.0.0.1', port: 0 });
      await once(holder, 'listening');
      const port = (holder.address() as { port: number }).port;
      try {
        const result = await exit(run({ ...good(), PORT: String(port) }));
        expect(result.code).toBe(2);
        expect(result.stderr).toBe(`PORT: port ${port} is already in use on 127.0.0.1 (EADDRINUSE)\n`);
        expect(result.stdout).toBe('');
      } finally {
        holder.close();
      }
    });

    it('names LISTEN_ADDRESS for an address this machine does not have', async () => {
      const result = await exit(run({ ...good(), LISTEN_ADDRESS: '192.0.2.1' }));
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('LISTEN_ADDRESS: 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL)\n');
    });

    it('names the flag the user gave for a name that does not resolve', async () => {
      const result = await exit(run(good(), ['--web.listen-address=exporter.invalid:0']));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^--web\.listen-address: the host name "exporter\.invalid" does not resolve \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\)\n$/);
    });
  });

  it('lists every flag with --help, the exporter-toolkit spellings too', async () => {
    const result = await exit(run({}, ['--help']));
    expect(result.code).toBe(0);
    for (const flag of ['--refresh-interval', '--web.listen-address', '--web.telemetry-path', '--web.config.file', '--web.enable-lifecycle', '--log.level', '--max-keys']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('REFRESH_INTERVAL');
  });

  it('prints its version', async () => {
    const result = await exit(run({}, ['--version']));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^orq-api-keys-exporter \d+\.\d+\.\d+\n$/);
  });

  it('serves metrics, logs JSON, and stops cleanly on SIGTERM', async () => {
    const child = run({ ...good(), ORQ_WORKSPACE: 'proc' });
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

describe('main: SIGHUP', () => {
  /** Polls /metrics until `check` holds, failing at the deadline. */
  async function metricsUntil(url: string, check: (text: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const text = await (await fetch(url)).text();
      if (check(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('reloads the workspaces file: adds, removes and keeps workspaces; refuses a bad file and keeps running', async () => {
    const tokenFile = join(dir, 'sighup-token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const file = join(dir, 'sighup-workspaces.yml');
    const write = (names: readonly string[]): void =>
      writeFileSync(file, ['workspaces:', ...names.flatMap((n) => [`  - name: ${n}`, `    api_key_file: ${tokenFile}`, `    base_url: ${simulator.url}`]), ''].join('\n'));
    write(['kept', 'dropped']);
    const child = run({ ORQ_WORKSPACES_FILE: file, PORT: '0', LISTEN_ADDRESS: '127.0.0.1', REFRESH_INTERVAL: '1h' });
    const done = exit(child);
    let url: string | undefined;
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      url ??= /"metrics_url":"([^"]+)"/.exec(buffered)?.[1];
    });
    try {
      const deadline = Date.now() + 10_000;
      while (url === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(url).toBeDefined();
      const before = await metricsUntil(url!, (t) => valueOf(t, 'orq_exporter_last_refresh_success', { workspace: 'kept' }) === 1 && valueOf(t, 'orq_exporter_last_refresh_success', { workspace: 'dropped' }) === 1, 'the first refreshes');
      const keptAt = valueOf(before, 'orq_exporter_last_refresh_success_timestamp_seconds', { workspace: 'kept' });
      const keptRequests = valueOf(before, 'orq_exporter_api_requests_total', { workspace: 'kept', endpoint: 'api_keys', code: '200' });
      expect(keptAt).toBeGreaterThan(0);

      write(['kept', 'added']);
      child.kill('SIGHUP');
      const after = await metricsUntil(
        url!,
        (t) => valueOf(t, 'orq_exporter_last_refresh_success', { workspace: 'added' }) === 1 && !t.includes('workspace="dropped"'),
        'the added workspace, and the removed one gone',
      );
      // The kept workspace was not restarted: no new refresh, same snapshot, counters not reset.
      expect(valueOf(after, 'orq_exporter_last_refresh_success_timestamp_seconds', { workspace: 'kept' })).toBe(keptAt);
      expect(valueOf(after, 'orq_exporter_api_requests_total', { workspace: 'kept', endpoint: 'api_keys', code: '200' })).toBe(keptRequests);
      expect(after).toContain('orq_api_key_info{workspace="kept"');
      expect(valueOf(after, 'orq_exporter_config_last_reload_successful')).toBe(1);

      writeFileSync(file, 'workspaces:\n  - name: kept\n');
      child.kill('SIGHUP');
      const refused = await metricsUntil(url!, (t) => valueOf(t, 'orq_exporter_config_last_reload_successful') === 0, 'the refused reload');
      expect(valueOf(refused, 'orq_exporter_last_refresh_success', { workspace: 'added' })).toBe(1);
      expect(valueOf(refused, 'orq_exporter_last_refresh_success', { workspace: 'kept' })).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; problems?: string[] });
    expect(lines.find((l) => l.msg === 'configuration reload refused; the running configuration is kept')?.problems).toEqual([
      'ORQ_WORKSPACES_FILE: workspaces[0]: needs exactly one of api_key_file and api_key_env',
    ]);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });
});
