/**
 * One exporter polling two workspaces listed in ORQ_WORKSPACES_FILE, each its own simulated
 * orq workspace with its own token: series never mix, and one failing workspace neither hides
 * nor stalls the other.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startExporter, type RunningExporter } from '../../src/exporter.js';
import { createLogger } from '../../src/log.js';
import { generateKeys, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { seriesOf, valueOf } from '../support/stack.js';

const NOW = Date.now();
const running: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await ('stop' in r ? r.stop() : r.close());
});

async function twoWorkspaces(): Promise<{ prod: Simulator; staging: Simulator; exporter: RunningExporter; logs: string[] }> {
  const prod = await startSimulator({ keys: generateKeys({ count: 250, seed: 1, now: NOW }), token: 'prod-token-1111-aaaaaaaaaa', variant: 'reference' });
  const staging = await startSimulator({ keys: generateKeys({ count: 40, seed: 2, now: NOW }), token: 'staging-token-2222-bbbbbbbbbb', variant: 'rc' });
  running.push(prod, staging);
  const dir = mkdtempSync(join(tmpdir(), 'orq-workspaces-'));
  writeFileSync(join(dir, 'prod-token'), 'prod-token-1111-aaaaaaaaaa\n');
  writeFileSync(
    join(dir, 'workspaces.yml'),
    ['workspaces:', '  - name: prod', `    api_key_file: ${join(dir, 'prod-token')}`, `    base_url: ${prod.url}`, '  - name: staging', '    api_key_env: STAGING_KEY', `    base_url: ${staging.url}`, ''].join('\n'),
  );
  const result = loadConfig({
    env: { ORQ_WORKSPACES_FILE: join(dir, 'workspaces.yml'), STAGING_KEY: 'staging-token-2222-bbbbbbbbbb', PORT: '0', LISTEN_ADDRESS: '127.0.0.1', REQUEST_RETRIES: '0' },
    argv: [],
  });
  if (result.ok !== true) throw new Error(JSON.stringify(result));
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: result.config.workspaces.map((w) => w.token), write: (l) => logs.push(l) });
  const exporter = await startExporter(result.config, { logger, processMetrics: false });
  running.push(exporter);
  await exporter.refreshAll();
  return { prod, staging, exporter, logs };
}

describe('several workspaces', () => {
  it('exports each workspace under its own label, every family once', async () => {
    const { exporter, prod, staging } = await twoWorkspaces();
    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    const info = seriesOf(text, 'orq_api_key_info');
    expect(info.filter((l) => l.includes('workspace="prod"'))).toHaveLength(250);
    expect(info.filter((l) => l.includes('workspace="staging"'))).toHaveLength(40);
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
    expect(prod.requests.every((r) => r.authorized)).toBe(true);
    expect(staging.requests.every((r) => r.authorized)).toBe(true);
    expect(valueOf(text, 'orq_exporter_last_refresh_success', { workspace: 'prod' })).toBe(1);
    expect(valueOf(text, 'orq_exporter_last_refresh_success', { workspace: 'staging' })).toBe(1);
  });

  it('keeps one workspace fresh while the other fails, each with its own health series', async () => {
    const { exporter, staging, logs } = await twoWorkspaces();
    staging.inject({ kind: 'status', status: 503, times: 5 });
    const outcomes = await exporter.refreshAll();
    expect(outcomes.map((o) => [o.workspace, o.ok])).toEqual([
      ['prod', true],
      ['staging', false],
    ]);
    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    expect(valueOf(text, 'orq_exporter_last_refresh_success', { workspace: 'prod' })).toBe(1);
    expect(valueOf(text, 'orq_exporter_last_refresh_success', { workspace: 'staging' })).toBe(0);
    expect(valueOf(text, 'orq_exporter_refresh_errors_total', { workspace: 'staging', reason: 'server_error' })).toBe(1);
    expect(valueOf(text, 'orq_exporter_refresh_errors_total', { workspace: 'prod', reason: 'server_error' })).toBe(0);
    expect(seriesOf(text, 'orq_api_key_info').filter((l) => l.includes('workspace="staging"'))).toHaveLength(40);
    const warn = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['level'] === 'warn');
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ workspace: 'staging', reason: 'server_error' });
    expect((await fetch(`${exporter.url}/readyz`)).status).toBe(200);
    expect(logs.join('')).not.toMatch(/prod-token-1111-aaaaaaaaaa|staging-token-2222-bbbbbbbbbb/);
  });
});
