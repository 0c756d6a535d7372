/**
 * A workspace of 2,345 keys (so the last page is partial, and the SDK's bare array needs its
 * short-page rule) in each wire variant, end to end over loopback: every key exactly once, its
 * budgets with what they have spent, the projects by name, and requests as predictable as the
 * README says. Expectations come from the simulated workspace's own records, not from the
 * exporter's parsers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGET_PERIODS } from '../../src/orq/api-key.js';
import { generateWorkspace, WIRE_VARIANTS, type SimBudgetRecord, type SimWorkspace } from '../../src/simulator/index.js';
import { seriesOf, startStack, valueOf, type Stack } from '../support/stack.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const COUNT = 2_345;
const PAGE = 200;
const workspace: SimWorkspace = generateWorkspace({ count: COUNT, seed: 8, now: NOW });
const keyIds = new Set(workspace.keys.map((k) => k.api_key_id));
const DIMENSIONS = ['unspecified', 'cost', 'tokens'];

/** Label sets of a family's series, as `api_key_id|period|…` → value. */
function series(text: string, name: string, labels: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of seriesOf(text, name)) {
    const key = labels.map((l) => new RegExp(`[{,]${l}="([^"]*)"`).exec(line)?.[1] ?? '').join('|');
    out.set(key, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

/** What /v2/budgets serves, in its order: most recently updated first, then by id, descending. */
function served(records: readonly SimBudgetRecord[]): SimBudgetRecord[] {
  const at = (r: SimBudgetRecord): number => Date.parse(r.updated_at);
  return [...records].sort((a, b) => at(b) - at(a) || (a.budget_id < b.budget_id ? 1 : a.budget_id > b.budget_id ? -1 : 0));
}

/** The budgets a correct client exports: active, scoped to one listed key, one per key and period. */
function expectedBudgets(records: readonly SimBudgetRecord[]): Map<string, SimBudgetRecord> {
  const byKeyPeriod = new Map<string, SimBudgetRecord>();
  for (const r of served(records)) {
    if (r.scope?.kind !== 'api_key' || !r.scope.api_key_id || !keyIds.has(r.scope.api_key_id) || !r.is_active) continue;
    const key = `${r.scope.api_key_id}|${BUDGET_PERIODS[r.period] ?? 'unknown'}`;
    if (!byKeyPeriod.has(key)) byKeyPeriod.set(key, r);
  }
  return byKeyPeriod;
}

describe.each(WIRE_VARIANTS)('a workspace of 2,345 keys on the %s variant', (variant) => {
  let stack: Stack;
  let text: string;
  beforeAll(async () => {
    stack = await startStack({
      keys: workspace.keys,
      env: { REFRESH_TIMEOUT: '60s', REQUEST_TIMEOUT: '10s' },
      simulator: { variant, projects: workspace.projects, extraBudgets: workspace.extraBudgets },
      now: () => NOW,
    });
    text = await stack.metrics();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('exports every key exactly once, with the same expiry, creation and legacy family', () => {
    const info = seriesOf(text, 'orq_api_key_info');
    expect(info).toHaveLength(COUNT);
    expect(new Set(info.map((l) => /api_key_id="([^"]+)"/.exec(l)?.[1]))).toEqual(keyIds);
    const expiry = series(text, 'orq_api_key_expiry_timestamp_seconds', ['api_key_id']);
    expect(expiry).toEqual(new Map(workspace.keys.filter((k) => k.expires_at !== null).map((k) => [k.api_key_id, Date.parse(k.expires_at!) / 1000])));
    const created = series(text, 'orq_api_key_created_timestamp_seconds', ['api_key_id']);
    expect(created).toEqual(new Map(workspace.keys.map((k) => [k.api_key_id, Date.parse(k.created_at) / 1000])));
    // Every spelling of "no legacy family" is none; the rest keep their family.
    const legacy = series(text, 'orq_api_key_info', ['api_key_id', 'legacy_token_family']);
    const families = ['none', 'router_jwt', 'project_jwt', 'workspace_jwt'];
    expect(new Set(legacy.keys())).toEqual(new Set(workspace.keys.map((k) => `${k.api_key_id}|${families[k.legacy_token_family]}`)));
    const counted = seriesOf(text, 'orq_api_keys').reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(counted).toBe(COUNT);
    expect(valueOf(text, 'orq_exporter_skipped_records_total', { reason: 'duplicate_id' })).toBe(0);
  });

  it('exports what each key budget has spent, per period, never a budget of anything but one listed key', () => {
    const budgets = expectedBudgets(stack.simulator.budgets());
    expect(budgets.size).toBeGreaterThan(500);
    expect(series(text, 'orq_api_key_budget_usage_amount', ['api_key_id', 'period'])).toEqual(new Map([...budgets].map(([k, r]) => [k, r.usage.amount])));
    expect(series(text, 'orq_api_key_budget_usage_tokens', ['api_key_id', 'period'])).toEqual(new Map([...budgets].map(([k, r]) => [k, r.usage.tokens])));
    const requests = new Map<string, number>();
    for (const [k, r] of budgets) {
      const id = k.split('|')[0]!;
      requests.set(id, Math.max(requests.get(id) ?? 0, r.usage.requests));
    }
    expect(series(text, 'orq_api_key_budget_usage_requests', ['api_key_id'])).toEqual(requests);
    // Limits of the budgets API win over what the key list embeds.
    const amounts = series(text, 'orq_api_key_budget_amount', ['api_key_id', 'period']);
    for (const [k, r] of budgets) if (r.amount !== null) expect(amounts.get(k), k).toBe(r.amount);
    const thresholds = new Map<string, number>();
    for (const [k, r] of budgets) {
      for (const a of r.alerts) {
        const key = `${k}|${DIMENSIONS[a.dimension] ?? 'unknown'}`;
        thresholds.set(key, Math.min(thresholds.get(key) ?? 1, a.threshold_percent / 100));
      }
    }
    expect(series(text, 'orq_api_key_budget_alert_threshold_ratio', ['api_key_id', 'period', 'dimension'])).toEqual(thresholds);
  });

  it('names every project, with or without keys, and whether it is archived', () => {
    expect(series(text, 'orq_project_info', ['project_id', 'project_name', 'archived'])).toEqual(
      new Map(workspace.projects.map((p) => [`${p.project_id}|${p.name}|${p.is_archived}`, 1])),
    );
  });

  it('made the predictable number of requests, every source up', () => {
    const paths = stack.simulator.requests.map((r) => r.path);
    const count = (path: string): number => paths.filter((p) => p === path).length;
    const keyPages = variant === 'rc' ? 1 : variant === 'sdk' ? Math.floor(COUNT / PAGE) + 1 : Math.ceil(COUNT / PAGE);
    const keyScoped = stack.simulator.budgets().filter((r) => r.scope?.kind === 'api_key').length;
    expect(count('/v2/api-keys')).toBe(keyPages);
    expect(count('/v2/budgets')).toBe(Math.ceil(keyScoped / PAGE));
    expect(count('/v2/projects')).toBe(Math.ceil(workspace.projects.length / PAGE));
    for (const source of ['api_keys', 'budgets', 'projects']) expect(valueOf(text, 'orq_exporter_source_up', { source }), source).toBe(1);
  });
});
