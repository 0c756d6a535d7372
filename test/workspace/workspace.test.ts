import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createHealthMetrics } from '../../src/exposition/health.js';
import { createLogger } from '../../src/log.js';
import type { BudgetList, KeyList, ProjectList } from '../../src/orq/client.js';
import type { KeyBudget } from '../../src/orq/budget.js';
import { RefreshError } from '../../src/orq/errors.js';
import type { Project } from '../../src/orq/project.js';
import { ProjectsCache } from '../../src/workspace/projects-cache.js';
import { budgetsRetentionSeconds, Workspace, type Upstream } from '../../src/workspace/workspace.js';
import { apiKey } from '../support/keys.js';

const TOKEN = 'sk-orq-01HZZZZZZZZZZZZZZZZZZZZZZZ-secretpart';
const INTERVAL_MS = 60_000;
const TTL_MS = 10 * 60_000;

const keyList = (...ids: string[]): KeyList => ({
  keys: ids.map((id) => apiKey({ id })),
  skipped: { missing_id: 0, duplicate_id: 0, not_an_object: 0 },
  received: ids.length,
  pages: 1,
  requests: 1,
  ended: 'last_page',
});
const budget = (apiKeyId: string, spent: number, period: KeyBudget['period'] = 'monthly'): KeyBudget => ({
  id: `b-${apiKeyId}-${period}`,
  apiKeyId,
  period,
  amount: 100,
  tokenLimit: null,
  requestsPerMinute: null,
  usage: { amount: spent, tokens: null, requests: null },
  alerts: [],
});
const budgetList = (...budgets: KeyBudget[]): BudgetList => ({ budgets, skipped: { invalid: 0, not_key_scoped: 0, inactive: 0 }, pages: 1, requests: 1, ended: 'last_page' });
const projectList = (...projects: Project[]): ProjectList => ({ projects, skipped: 0, pages: 1, requests: 1, ended: 'last_page' });

type Answer<T> = T | RefreshError;

/** An upstream whose next answers a test sets; it counts what was asked. */
function scripted() {
  const next: { keys: Answer<KeyList>; budgets: Answer<BudgetList>; projects: Answer<ProjectList> } = {
    keys: keyList('a', 'b'),
    budgets: budgetList(budget('a', 40)),
    projects: projectList({ id: 'proj_a', name: 'Checkout', archived: false }),
  };
  const calls = { keys: 0, budgets: 0, projects: 0 };
  const answer = async <T,>(value: Answer<T>): Promise<T> => {
    if (value instanceof RefreshError) throw value;
    return value;
  };
  const upstream: Upstream = {
    listApiKeys: () => (calls.keys++, answer(next.keys)),
    listBudgets: () => (calls.budgets++, answer(next.budgets)),
    listProjects: () => (calls.projects++, answer(next.projects)),
    close: async () => undefined,
  };
  return { next, calls, upstream };
}

function workspace(options: { fetchBudgets?: boolean; projects?: boolean } = {}) {
  let nowMs = Date.UTC(2026, 11, 1);
  const now = (): number => nowMs;
  const registry = new Registry();
  const health = createHealthMetrics({ registry, workspaces: ['w'], refreshIntervalSeconds: 60, build: { version: 't', revision: 't' }, processMetrics: false });
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line), now });
  const upstream = scripted();
  const ws = new Workspace(
    { name: 'w', token: TOKEN, baseUrl: `https://orq.example/${TOKEN}/api`, projectId: undefined },
    {
      settings: { refreshIntervalMs: INTERVAL_MS, refreshTimeoutMs: 30_000, requestTimeoutMs: 5_000, retries: 0, maxKeys: 100_000, fetchBudgets: options.fetchBudgets ?? true },
      health,
      logger,
      now,
      projects: options.projects === false ? undefined : new ProjectsCache({ ttlMs: TTL_MS, retentionMs: 24 * 3_600_000, max: 1, now }),
      client: upstream.upstream,
      onRefresh: () => undefined,
    },
  );
  const logs = () => lines.map((l) => JSON.parse(l) as { level: string; msg: string; [k: string]: unknown });
  const metric = async (name: string, labels: Record<string, string>): Promise<number | undefined> => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
  };
  return { ws, ...upstream, logs, metric, advance: (ms: number) => void (nowMs += ms) };
}

describe('Workspace', () => {
  it('publishes keys, their budgets and the projects in one snapshot, each source up', async () => {
    const w = workspace();
    const outcome = await w.ws.refresh();
    expect(outcome.ok).toBe(true);
    const snapshot = w.ws.snapshot!;
    expect(snapshot.keys.map((k) => k.id)).toEqual(['a', 'b']);
    expect(snapshot.budgets?.get('a')?.[0]?.usage?.amount).toBe(40);
    expect(snapshot.projects).toEqual([{ id: 'proj_a', name: 'Checkout', archived: false }]);
    for (const source of ['api_keys', 'budgets', 'projects']) expect(await w.metric('orq_exporter_source_up', { source })).toBe(1);
  });

  it('keeps every key when budgets are forbidden, says so once naming the permission, and says when they are back', async () => {
    const w = workspace();
    w.next.budgets = new RefreshError('auth', 'upstream forbids listing budgets with this token (403; it needs the Budgets permission)', 403);
    await w.ws.refresh();
    await w.ws.refresh();
    expect(w.ws.snapshot?.keys).toHaveLength(2);
    expect(w.ws.snapshot?.budgets).toBeUndefined();
    expect(await w.metric('orq_exporter_source_up', { source: 'budgets' })).toBe(0);
    expect(await w.metric('orq_exporter_source_up', { source: 'api_keys' })).toBe(1);
    expect(await w.metric('orq_exporter_last_refresh_success', { workspace: 'w' })).toBe(1);
    const warns = w.logs().filter((l) => l.level === 'warn');
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ msg: 'budgets could not be read; keys are exported without budget spending', source: 'budgets', status: 403 });
    expect(String(warns[0]?.['hint'])).toContain('Budgets permission');
    w.next.budgets = budgetList(budget('b', 7));
    await w.ws.refresh();
    expect(w.logs().filter((l) => l.msg === 'budgets are read again')).toHaveLength(1);
    expect(w.ws.snapshot?.budgets?.get('b')?.[0]?.usage?.amount).toBe(7);
  });

  it('serves the last good budgets while recent, and drops them once past retention', async () => {
    const w = workspace();
    await w.ws.refresh();
    w.next.budgets = new RefreshError('server_error', 'upstream answered 503', 503);
    w.advance(INTERVAL_MS);
    await w.ws.refresh();
    expect(w.ws.snapshot?.budgets?.get('a')).toHaveLength(1);
    w.advance(budgetsRetentionSeconds(INTERVAL_MS) * 1000);
    await w.ws.refresh();
    expect(w.ws.snapshot?.budgets).toBeUndefined();
    expect(w.ws.snapshot?.keys).toHaveLength(2);
  });

  it('joins fresh budgets with the last good keys when the key list fails', async () => {
    const w = workspace();
    await w.ws.refresh();
    w.next.keys = new RefreshError('server_error', 'upstream answered 502', 502);
    w.next.budgets = budgetList(budget('a', 99));
    const outcome = await w.ws.refresh();
    expect(outcome.ok).toBe(false);
    expect(w.ws.snapshot?.keys.map((k) => k.id)).toEqual(['a', 'b']);
    expect(w.ws.snapshot?.budgets?.get('a')?.[0]?.usage?.amount).toBe(99);
  });

  it('fetches projects once per TTL, not with every refresh, and keeps names through a failure', async () => {
    const w = workspace();
    await w.ws.refresh();
    w.advance(INTERVAL_MS);
    await w.ws.refresh();
    expect(w.calls).toEqual({ keys: 2, budgets: 2, projects: 1 });
    w.advance(TTL_MS);
    w.next.projects = new RefreshError('server_error', 'upstream answered 500', 500);
    await w.ws.refresh();
    expect(w.calls.projects).toBe(2);
    expect(w.ws.snapshot?.projects).toEqual([{ id: 'proj_a', name: 'Checkout', archived: false }]);
    expect(await w.metric('orq_exporter_source_up', { source: 'projects' })).toBe(0);
    // Failing, it is asked again at the next refresh rather than a TTL later.
    w.advance(INTERVAL_MS);
    w.next.projects = projectList({ id: 'proj_a', name: 'Checkout v2', archived: true });
    await w.ws.refresh();
    expect(w.calls.projects).toBe(3);
    expect(w.ws.snapshot?.projects).toEqual([{ id: 'proj_a', name: 'Checkout v2', archived: true }]);
  });

  it('reads neither budgets nor projects when they are switched off', async () => {
    const w = workspace({ fetchBudgets: false, projects: false });
    await w.ws.refresh();
    expect(w.calls).toEqual({ keys: 1, budgets: 0, projects: 0 });
    expect(w.ws.snapshot?.budgets).toBeUndefined();
    expect(w.ws.snapshot?.projects).toBeUndefined();
  });

  it('refuses a list that lost every key, or is mostly unusable records, keeping the last good snapshot', async () => {
    const w = workspace();
    await w.ws.refresh();
    const good = w.ws.snapshot;
    w.next.keys = { ...keyList(), received: 5_000, skipped: { missing_id: 0, duplicate_id: 0, not_an_object: 5_000 } };
    const lost = await w.ws.refresh();
    expect(lost).toMatchObject({ ok: false, error: { reason: 'invalid_response' } });
    expect(lost.error?.message).toMatch(/^upstream listed no usable key \(5000 records, 5000 unusable\) where the last good snapshot had 2/);
    w.next.keys = { ...keyList('a', 'b', 'c'), received: 10, skipped: { missing_id: 6, duplicate_id: 0, not_an_object: 1 } };
    const mostlyBad = await w.ws.refresh();
    expect(mostlyBad.error?.message).toMatch(/^7 of 10 records have no id or are not objects/);
    expect(w.ws.snapshot?.keys).toBe(good?.keys);
    expect(await w.metric('orq_exporter_refresh_errors_total', { reason: 'invalid_response' })).toBe(2);
  });

  it('shows no token on its status line, even one placed in the base URL', async () => {
    const w = workspace();
    w.next.keys = new RefreshError('auth', `upstream refused the token (401): echoed ${TOKEN}`, 401);
    await w.ws.refresh();
    const status = JSON.stringify(w.ws.status());
    expect(status).not.toContain(TOKEN);
    expect(w.ws.status().baseUrl).toBe('https://orq.example/[REDACTED]/api');
  });
});

describe('the key the workspace is polled with', () => {
  it('is published from a token of the form sk-orq-<key_id>-<secret>, never the secret', async () => {
    const w = workspace();
    expect(await w.metric('orq_exporter_api_key_info', { workspace: 'w' })).toBe(1);
    expect(await w.metric('orq_exporter_api_key_info', { api_key_id: '01HZZZZZZZZZZZZZZZZZZZZZZZ' })).toBe(1);
  });
});
