/**
 * The running workspaces and how a reload's diff changes them, with real Workspaces on a
 * scripted upstream and timers that never fire on their own: what is kept, started, stopped
 * and forgotten, and the order they are served in. Which workspaces a configuration change
 * keeps or replaces is reload-diff.test.ts's; a reload through a whole exporter is
 * e2e/reload.test.ts's.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { WorkspaceConfig } from '../../src/config.js';
import { diffWorkspaces } from '../../src/config/reload-diff.js';
import { createHealthMetrics } from '../../src/exposition/health.js';
import { silentLogger } from '../../src/log.js';
import type { KeyList } from '../../src/orq/client.js';
import { ProjectsCache } from '../../src/workspace/projects-cache.js';
import { WorkspaceSet } from '../../src/workspace/workspace-set.js';
import { Workspace, type Upstream } from '../../src/workspace/workspace.js';
import { apiKey } from '../support/keys.js';
import { manualTimers } from '../support/timers.js';

/** A token of the form sk-orq-<key_id>-<secret>, so each workspace publishes its own key id. */
const keyId = (c: string): string => `01H${c.repeat(23)}`;
const token = (c: string): string => `sk-orq-${keyId(c)}-secretpart`;
const config = (name: string, changes: Partial<WorkspaceConfig> = {}): WorkspaceConfig => ({ name, token: token('A'), baseUrl: 'https://orq.example', projectId: undefined, ...changes });

const keyList = (id: string): KeyList => ({ keys: [apiKey({ id })], skipped: { missing_id: 0, duplicate_id: 0, not_an_object: 0 }, received: 1, pages: 1, requests: 1, ended: 'last_page' });

interface Made {
  readonly workspace: Workspace;
  /** Key lists asked for: 0 until the workspace is started or refreshed. */
  keys: number;
  closed: boolean;
}

function harness(initial: readonly WorkspaceConfig[]) {
  const now = (): number => Date.UTC(2026, 11, 1);
  const registry = new Registry();
  const health = createHealthMetrics({ registry, workspaces: initial.map((c) => c.name), refreshIntervalSeconds: 60, build: { version: 't', revision: 't' }, processMetrics: false });
  const projects = new ProjectsCache({ ttlMs: 600_000, retentionMs: 86_400_000, max: 10, now });
  // The schedule's next refreshes never come: only start() and refresh() fetch.
  const timers = manualTimers();
  const made: Made[] = [];
  const create = (c: WorkspaceConfig): Workspace => {
    const entry: { workspace?: Workspace; keys: number; closed: boolean } = { keys: 0, closed: false };
    const client: Upstream = {
      listApiKeys: async () => (entry.keys++, keyList(`key-of-${c.name}`)),
      listBudgets: async () => ({ budgets: [], skipped: { invalid: 0, not_key_scoped: 0, inactive: 0 }, pages: 1, requests: 1, ended: 'last_page' }),
      listProjects: async () => ({ projects: [{ id: 'proj', name: `project of ${c.name}`, archived: false }], skipped: 0, pages: 1, requests: 1, ended: 'last_page' }),
      close: async () => void (entry.closed = true),
    };
    entry.workspace = new Workspace(c, {
      settings: { refreshIntervalMs: 60_000, refreshTimeoutMs: 30_000, requestTimeoutMs: 5_000, retries: 0, maxKeys: 1_000, fetchBudgets: true },
      health,
      logger: silentLogger,
      now,
      projects,
      client,
      setTimer: timers.setTimer,
      onRefresh: () => undefined,
    });
    made.push(entry as Made);
    return entry.workspace;
  };
  const set = new WorkspaceSet(initial, { create, health, projects });
  const made1 = (w: Workspace): Made => made.find((m) => m.workspace === w)!;
  /** The value of a health series, undefined when it does not exist. */
  const metric = async (name: string, labels: Record<string, string>): Promise<number | undefined> => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
  };
  /** Applies the diff from the running configuration to `next`, as a reload does. */
  const reload = (next: readonly WorkspaceConfig[]): Promise<void> => set.apply(diffWorkspaces(set.configs, next), next);
  return { set, made, of: made1, metric, projects, reload };
}

/** Waits until `check` holds: a started workspace fetches on the next turns of the event loop. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

const byName = (set: WorkspaceSet, name: string): Workspace => set.workspaces.find((w) => w.name === name)!;

describe('WorkspaceSet', () => {
  it('builds one workspace per configuration, in its order, and starts them only with start()', async () => {
    const h = harness([config('a'), config('b')]);
    expect(h.set.workspaces.map((w) => w.name)).toEqual(['a', 'b']);
    expect(h.made.map((m) => m.keys)).toEqual([0, 0]);
    h.set.start();
    await until(() => h.made.every((m) => m.keys === 1), 'both first refreshes');
    expect(h.set.snapshots().map((s) => s?.workspace)).toEqual(['a', 'b']);
  });

  it('keeps an unchanged workspace as it runs: the same object, not stopped, not refreshed again', async () => {
    const h = harness([config('kept'), config('other')]);
    h.set.start();
    await until(() => h.made.every((m) => m.keys === 1), 'the first refreshes');
    const kept = byName(h.set, 'kept');
    await h.reload([config('kept'), config('added')]);
    await until(() => h.of(byName(h.set, 'added')).keys === 1, 'the added workspace started');
    expect(byName(h.set, 'kept')).toBe(kept);
    expect(kept.stopped).toBe(false);
    expect(h.of(kept)).toMatchObject({ keys: 1, closed: false });
    expect(h.made).toHaveLength(3);
  });

  it('hands a kept workspace the new token read from its token file, and its own-key series follows', async () => {
    const tokenFile = join(tmpdir(), 'workspace-set-test-no-such-token');
    const h = harness([config('w', { tokenFile })]);
    const running = h.set.workspaces[0];
    expect(await h.metric('orq_exporter_api_key_info', { workspace: 'w', api_key_id: keyId('A') })).toBe(1);
    await h.reload([config('w', { tokenFile, token: token('B') })]);
    expect(h.set.workspaces[0]).toBe(running);
    expect(h.set.configs[0]?.token).toBe(token('B'));
    expect(await h.metric('orq_exporter_api_key_info', { workspace: 'w', api_key_id: keyId('B') })).toBe(1);
    expect(await h.metric('orq_exporter_api_key_info', { workspace: 'w', api_key_id: keyId('A') })).toBeUndefined();
  });

  it('starts an added workspace, with its health series from the start', async () => {
    const h = harness([config('a')]);
    expect(await h.metric('orq_exporter_last_refresh_success', { workspace: 'b' })).toBeUndefined();
    await h.reload([config('a'), config('b')]);
    const added = byName(h.set, 'b');
    await until(() => h.of(added).keys === 1, 'the added workspace started');
    await until(() => added.snapshot !== undefined, 'its first snapshot');
    expect(await h.metric('orq_exporter_last_refresh_success', { workspace: 'b' })).toBe(1);
    // Set when a workspace is added, not by its refreshes.
    expect(await h.metric('orq_exporter_refresh_interval_seconds', { workspace: 'b' })).toBe(60);
    // The one that was there is not started by the reload: start() was never called on the set.
    expect(h.of(byName(h.set, 'a')).keys).toBe(0);
  });

  it('stops a removed workspace and forgets it: no health series, no cached project names, no status', async () => {
    const h = harness([config('a'), config('gone')]);
    h.set.start();
    const gone = byName(h.set, 'gone');
    await until(() => gone.snapshot !== undefined, 'the first refresh of the one to remove');
    expect(h.projects.current('gone')).toHaveLength(1);
    expect(await h.metric('orq_exporter_last_refresh_success', { workspace: 'gone' })).toBe(1);
    await h.reload([config('a')]);
    expect(gone.stopped).toBe(true);
    expect(h.of(gone).closed).toBe(true);
    expect(h.projects.current('gone')).toBeUndefined();
    for (const name of ['orq_exporter_last_refresh_success', 'orq_exporter_last_refresh_success_timestamp_seconds', 'orq_exporter_refresh_interval_seconds']) {
      expect(await h.metric(name, { workspace: 'gone' }), name).toBeUndefined();
    }
    expect(await h.metric('orq_exporter_api_key_info', { workspace: 'gone' })).toBeUndefined();
    expect(h.set.statuses().map((s) => s.name)).toEqual(['a']);
    expect(h.set.snapshots()).toHaveLength(1);
  });

  it('replaces a changed workspace: the old one stopped before a new one starts, whose series begin afresh', async () => {
    const h = harness([config('w')]);
    h.set.start();
    const old = h.set.workspaces[0]!;
    await until(() => h.of(old).keys === 1, 'the first refresh');
    await old.refresh();
    expect(await h.metric('orq_exporter_refresh_duration_seconds', { workspace: 'w', le: '+Inf' })).toBe(2);

    await h.reload([config('w', { baseUrl: 'https://elsewhere.example' })]);
    const replacement = h.set.workspaces[0]!;
    expect(replacement).not.toBe(old);
    expect(old.stopped).toBe(true);
    expect(h.of(old).closed).toBe(true);
    expect(h.set.configs[0]?.baseUrl).toBe('https://elsewhere.example');
    await until(() => replacement.snapshot !== undefined, 'the replacement\'s first refresh');
    // Counted from nothing: the old workspace's two refreshes were forgotten first.
    expect(await h.metric('orq_exporter_refresh_duration_seconds', { workspace: 'w', le: '+Inf' })).toBe(1);
  });

  it('serves statuses, snapshots and configs in the order of the new configuration', async () => {
    const h = harness([config('a'), config('b'), config('c')]);
    const next = [config('c'), config('d'), config('a', { projectId: 'proj_1' })];
    await h.reload(next);
    expect(h.set.configs).toEqual(next);
    expect(h.set.workspaces.map((w) => w.name)).toEqual(['c', 'd', 'a']);
    expect(h.set.statuses().map((s) => s.name)).toEqual(['c', 'd', 'a']);
    await h.set.refreshAll();
    expect(h.set.snapshots().map((s) => s?.workspace)).toEqual(['c', 'd', 'a']);
  });

  it('stops every workspace with stop()', async () => {
    const h = harness([config('a'), config('b')]);
    h.set.start();
    await h.set.stop();
    expect(h.set.workspaces.map((w) => w.stopped)).toEqual([true, true]);
    expect(h.made.map((m) => m.closed)).toEqual([true, true]);
  });
});
