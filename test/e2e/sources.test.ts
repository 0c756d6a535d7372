/**
 * One source failing never blanks another, end to end: a management key without the Budgets
 * permission (403 on /v2/budgets) and a projects endpoint answering 5xx leave every key
 * exported exactly, keep the last good budgets and names, say so once per source in the log
 * and in orq_exporter_source_up, and leave readiness to the key list alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateWorkspace } from '../../src/simulator/index.js';
import { seriesOf, startStack, valueOf, type Stack } from '../support/stack.js';
import { warnings } from '../hardening/support/exporter.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const workspace = generateWorkspace({ count: 450, seed: 5, now: NOW });

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** The exporter's clock, moved by the tests past the projects TTL. */
let nowMs = NOW;
const start = (simulator: Parameters<typeof startStack>[0]['simulator'] = {}): Promise<Stack> => {
  nowMs = NOW;
  return startStack({
    keys: workspace.keys,
    now: () => nowMs,
    simulator: { variant: 'sdk', projects: workspace.projects, extraBudgets: workspace.extraBudgets, ...simulator },
  });
};

describe('sources', () => {
  it('a key without the Budgets permission: every key, no spending, one warning naming the permission, ready', async () => {
    stack = await start({ budgetsPermission: false });
    await stack.exporter.refreshAll();
    const text = await stack.metrics();
    expect(seriesOf(text, 'orq_api_key_info')).toHaveLength(workspace.keys.length);
    expect(seriesOf(text, 'orq_api_key_budget_usage_amount')).toEqual([]);
    // Limits still come with the key list (include_budget), spending only from /v2/budgets.
    expect(seriesOf(text, 'orq_api_key_budget_amount').length).toBeGreaterThan(0);
    expect(valueOf(text, 'orq_exporter_source_up', { source: 'budgets' })).toBe(0);
    expect(valueOf(text, 'orq_exporter_source_up', { source: 'api_keys' })).toBe(1);
    expect(valueOf(text, 'orq_exporter_last_refresh_success')).toBe(1);
    expect(valueOf(text, 'orq_exporter_api_requests_total', { endpoint: 'budgets', code: '403' })).toBe(2);
    const warns = warnings(stack.logs);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ source: 'budgets', status: 403 });
    expect(String(warns[0]?.['hint'])).toContain('Budgets permission');
    expect((await fetch(`${stack.exporter.url}/readyz`)).status).toBe(200);

    // Granted: spending shows at the next refresh, and one line says budgets are back.
    stack.simulator.setBudgetsPermission(true);
    await stack.exporter.refreshAll();
    const after = await stack.metrics();
    expect(seriesOf(after, 'orq_api_key_budget_usage_amount').length).toBeGreaterThan(0);
    expect(valueOf(after, 'orq_exporter_source_up', { source: 'budgets' })).toBe(1);
    expect(stack.logs.filter((l) => l.includes('budgets are read again'))).toHaveLength(1);
  });

  it('a 5xx on projects and then on budgets keeps every key, the names and the spending already read', async () => {
    stack = await start();
    const good = await stack.metrics();
    const names = seriesOf(good, 'orq_project_info');
    const spending = seriesOf(good, 'orq_api_key_budget_usage_amount');
    expect(names).toHaveLength(workspace.projects.length);
    expect(spending.length).toBeGreaterThan(0);

    // Past the projects TTL (10m by default), so projects are asked for again, and fail too.
    nowMs += 11 * 60_000;
    stack.simulator.injectFor('budgets', { kind: 'status', status: 503, times: 20 });
    stack.simulator.injectFor('projects', { kind: 'status', status: 502, times: 20 });
    await stack.exporter.refreshAll();
    const text = await stack.metrics();
    expect(seriesOf(text, 'orq_api_key_info')).toHaveLength(workspace.keys.length);
    expect(seriesOf(text, 'orq_project_info')).toEqual(names);
    expect(seriesOf(text, 'orq_api_key_budget_usage_amount')).toEqual(spending);
    expect(valueOf(text, 'orq_exporter_source_up', { source: 'budgets' })).toBe(0);
    expect(valueOf(text, 'orq_exporter_source_up', { source: 'projects' })).toBe(0);
    expect(valueOf(text, 'orq_exporter_last_refresh_success')).toBe(1);
    expect(warnings(stack.logs).map((w) => w['source'])).toEqual(['budgets', 'projects']);
    expect(stack.simulator.requests.filter((r) => r.path === '/v2/projects' && r.status === 502).length).toBeGreaterThan(0);
  });
});
