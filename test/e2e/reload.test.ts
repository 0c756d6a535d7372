/**
 * Reload and token rotation on loopback against the simulator: a token file swapped as a
 * Kubernetes secret is (its ..data symlink) is used from the next refresh on without a
 * signal, and POST /-/reload follows the workspaces file or refuses it whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeys, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startExporterOn, valueOf, type ExporterRun } from '../support/stack.js';
import { secretMount } from '../support/secret-mount.js';

const OLD = 'sk-orq-01HOLDKEYOLDKEYOLDKEYOLDKEY-oldsecret';
const NEW = 'sk-orq-01HNEWKEYNEWKEYNEWKEYNEWKEY-newsecret';
const NOW = Date.now();

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orq-reload-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function simulator(token: string, count = 20): Promise<Simulator> {
  const sim = await startSimulator({ keys: generateKeys({ count, seed: 3, now: NOW }), token, variant: 'reference' });
  cleanup.push(() => sim.close());
  return sim;
}

async function exporterOn(url: string, env: Record<string, string>): Promise<ExporterRun> {
  const run = await startExporterOn(url, env, { processMetrics: false });
  cleanup.push(() => run.stop());
  return run;
}

/** Polls until `check` holds, or fails at the deadline with what it last saw. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  throw new Error(`timed out waiting for ${what}`);
}

describe('a rotated token file', () => {
  it('is used from the next refresh on, without a restart, and the own-key series follows it', async () => {
    const sim = await simulator(OLD);
    const mount = secretMount(tempDir(), OLD);
    const run = await exporterOn(sim.url, { ORQ_API_KEY: '', ORQ_API_KEY_FILE: mount.path });
    const before = await run.metrics();
    expect(valueOf(before, 'orq_exporter_last_refresh_success', { workspace: 'test' })).toBe(1);
    expect(valueOf(before, 'orq_exporter_api_key_info', { workspace: 'test', api_key_id: '01HOLDKEYOLDKEYOLDKEYOLDKEY' })).toBe(1);

    // The old key is revoked upstream and the secret updated, as an operator rotating it would.
    sim.setToken(NEW);
    mount.swap(NEW);
    const [outcome] = await run.exporter.refreshAll();
    expect(outcome).toMatchObject({ ok: true });

    const after = await run.metrics();
    expect(valueOf(after, 'orq_exporter_last_refresh_success', { workspace: 'test' })).toBe(1);
    expect(valueOf(after, 'orq_exporter_api_key_info', { workspace: 'test', api_key_id: '01HNEWKEYNEWKEYNEWKEYNEWKEY' })).toBe(1);
    expect(valueOf(after, 'orq_exporter_api_key_info', { workspace: 'test', api_key_id: '01HOLDKEYOLDKEYOLDKEYOLDKEY' })).toBeUndefined();
    expect(valueOf(after, 'orq_exporter_api_requests_total', { workspace: 'test', endpoint: 'api_keys', code: '401' })).toBeUndefined();
    expect(sim.requests.at(-1)?.authorized).toBe(true);

    const logs = run.logs.join('');
    expect(logs).toContain('the token file changed; using the new token');
    expect(logs).not.toContain('oldsecret');
    expect(logs).not.toContain('newsecret');
  });

  it('keeps the current token when the new file holds no valid key, and says so without the content', async () => {
    const sim = await simulator(OLD);
    const mount = secretMount(tempDir(), OLD);
    const run = await exporterOn(sim.url, { ORQ_API_KEY: '', ORQ_API_KEY_FILE: mount.path });
    mount.swap('sk-orq-01HBAD two words-in-a-key');
    const [outcome] = await run.exporter.refreshAll();
    expect(outcome).toMatchObject({ ok: true });
    const logs = run.logs.join('');
    expect(logs).toContain('the token file changed but cannot be used; keeping the current token');
    expect(logs).not.toContain('two words');
  });
});

describe('POST /-/reload', () => {
  const workspacesFile = (dir: string, tokenFile: string, url: string, names: readonly string[]): string => {
    const path = join(dir, 'workspaces.yml');
    writeFileSync(path, ['workspaces:', ...names.flatMap((n) => [`  - name: ${n}`, `    api_key_file: ${tokenFile}`, `    base_url: ${url}`]), ''].join('\n'));
    return path;
  };
  const post = (run: ExporterRun): Promise<Response> => fetch(`${run.exporter.url}/-/reload`, { method: 'POST' });

  it('answers 403 without WEB_ENABLE_LIFECYCLE, as Prometheus does', async () => {
    const sim = await simulator(OLD);
    const run = await exporterOn(sim.url, { ORQ_API_KEY: OLD });
    const res = await post(run);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Lifecycle API is not enabled.\n');
  });

  it('follows the workspaces file with the lifecycle API on, and refuses a bad one with one line per problem', async () => {
    const sim = await simulator(OLD);
    const dir = tempDir();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, OLD);
    const file = workspacesFile(dir, tokenFile, sim.url, ['one']);
    const run = await exporterOn(sim.url, { ORQ_API_KEY: '', ORQ_WORKSPACE: '', ORQ_WORKSPACES_FILE: file, WEB_ENABLE_LIFECYCLE: 'true' });
    const one = run.exporter.workspaces()[0];

    const get = await fetch(`${run.exporter.url}/-/reload`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');

    workspacesFile(dir, tokenFile, sim.url, ['one', 'two']);
    const ok = await post(run);
    expect(ok.status).toBe(200);
    expect(run.exporter.workspaces()[0]).toBe(one);
    await eventually(run.metrics, (t) => valueOf(t, 'orq_exporter_last_refresh_success', { workspace: 'two' }) === 1, 'workspace two refreshed');

    writeFileSync(file, ['workspaces:', '  - name: one', '    api_key_file: /nonexistent/token', '  - api_key_env: NOT_SET_ANYWHERE', ''].join('\n'));
    const refused = await post(run);
    expect(refused.status).toBe(500);
    expect((await refused.text()).split('\n')).toEqual([
      'ORQ_WORKSPACES_FILE: workspaces[0].api_key_file: cannot read "/nonexistent/token" (ENOENT)',
      'ORQ_WORKSPACES_FILE: workspaces[1].name: required',
      'ORQ_WORKSPACES_FILE: workspaces[1].api_key_env: NOT_SET_ANYWHERE is not set',
      '',
    ]);
    const text = await run.metrics();
    expect(valueOf(text, 'orq_exporter_config_last_reload_successful')).toBe(0);
    expect(valueOf(text, 'orq_exporter_last_refresh_success', { workspace: 'two' })).toBe(1);
    expect(run.exporter.workspaces()).toHaveLength(2);
    expect(run.logs.join('')).toContain('configuration reload refused; the running configuration is kept');
  });

  it('a stop during a reload waits for it: no workspace the reload adds outlives the stop', async () => {
    const sim = await simulator(OLD);
    const dir = tempDir();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, OLD);
    const file = workspacesFile(dir, tokenFile, sim.url, ['one']);
    const run = await startExporterOn(sim.url, { ORQ_API_KEY: '', ORQ_WORKSPACE: '', ORQ_WORKSPACES_FILE: file, WEB_ENABLE_LIFECYCLE: 'true' }, { processMetrics: false });
    workspacesFile(dir, tokenFile, sim.url, ['one', 'two', 'three']);
    const [reloaded] = await Promise.all([run.exporter.reloadConfig('test'), run.exporter.stop()]);
    expect(reloaded.ok).toBe(true);
    expect(run.exporter.workspaces().map((w) => [w.name, w.stopped])).toEqual([
      ['one', true],
      ['two', true],
      ['three', true],
    ]);
  });
});
