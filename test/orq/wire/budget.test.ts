import { describe, expect, it } from 'vitest';
import { budgetId, parseKeyBudget } from '../../../src/orq/wire/budget.js';

/** A budget as GET /v2/budgets sends it (camelCase). */
const budget = {
  budgetId: 'bud_01',
  scope: { apiKey: { apiKeyId: 'key_1' } },
  match: { cel: 'api_key_id == "key_1"' },
  limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 500, tokenLimit: 25_000_000 },
  rateLimit: { requestsPerMinute: 600 },
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
  usage: { amount: 412.37, tokens: 18_000_000, requests: 42 },
  alerts: [
    { id: 'a1', thresholdPercent: 80, notifierIds: ['n1'], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
    { id: 'a2', thresholdPercent: 50, notifierIds: ['n1'], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' },
  ],
};

describe('parseKeyBudget', () => {
  it('reads a key-scoped budget with its usage and alerts', () => {
    expect(parseKeyBudget(budget)).toEqual({
      ok: true,
      budget: {
        id: 'bud_01',
        apiKeyId: 'key_1',
        period: 'monthly',
        amount: 500,
        tokenLimit: 25_000_000,
        requestsPerMinute: 600,
        usage: { amount: 412.37, tokens: 18_000_000, requests: 42 },
        alerts: [
          { dimension: 'cost', thresholdRatio: 0.8 },
          { dimension: 'tokens', thresholdRatio: 0.5 },
        ],
      },
    });
  });

  it('reads snake_case too', () => {
    const snake = {
      budget_id: 'bud_02',
      scope: { api_key: { api_key_id: 'key_2' } },
      limits: { period: 1, amount: '10.5', token_limit: '1000' },
      rate_limit: { requests_per_minute: 60 },
      is_active: true,
      usage: { amount: 1, tokens: 2, requests: 3 },
      alerts: [{ threshold_percent: 95, dimension: 'cost' }],
    };
    expect(parseKeyBudget(snake)).toMatchObject({
      ok: true,
      budget: { id: 'bud_02', apiKeyId: 'key_2', period: 'daily', amount: 10.5, tokenLimit: 1000, requestsPerMinute: 60, alerts: [{ dimension: 'cost', thresholdRatio: 0.95 }] },
    });
  });

  it.each([
    ['a workspace budget', { scope: { workspace: {} } }],
    ['a project budget', { scope: { project: { projectId: 'p' } } }],
    ['a provider budget', { scope: { provider: { provider: 'openai' } } }],
    ['a custom CEL budget with no scope', { scope: undefined }],
    ['a null scope', { scope: null }],
    ['an api-key scope without an id', { scope: { apiKey: {} } }],
    ['an api-key scope with an empty id', { scope: { apiKey: { apiKeyId: '' } } }],
    ['two scopes at once', { scope: { apiKey: { apiKeyId: 'key_1' }, project: { projectId: 'p' } } }],
    ['a scope that is a string', { scope: 'apiKey' }],
  ])('never attributes %s to a key', (_what, fields) => {
    expect(parseKeyBudget({ ...budget, ...fields })).toEqual({ ok: false, reason: 'not_key_scoped' });
  });

  it('skips inactive budgets, and budgets that do not say they are active', () => {
    expect(parseKeyBudget({ ...budget, isActive: false })).toEqual({ ok: false, reason: 'inactive' });
    expect(parseKeyBudget({ ...budget, isActive: undefined })).toEqual({ ok: false, reason: 'inactive' });
  });

  it.each([[null], [1], ['b'], [[]], [{ ...budget, budgetId: '' }], [{ ...budget, budgetId: undefined }]])('refuses %j as invalid', (item) => {
    expect(parseKeyBudget(item)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps only thresholds between 1 and 100 percent', () => {
    const alerts = [0, -5, 101, 'x', null, 100, 1].map((thresholdPercent) => ({ thresholdPercent, dimension: 'BUDGET_ALERT_DIMENSION_COST' }));
    const r = parseKeyBudget({ ...budget, alerts: [...alerts, 'not an alert'] });
    expect(r.ok && r.budget.alerts.map((a) => a.thresholdRatio)).toEqual([1, 0.01]);
  });

  it('treats absent usage as none and odd numbers as absent', () => {
    expect(parseKeyBudget({ ...budget, usage: undefined })).toMatchObject({ budget: { usage: null } });
    expect(parseKeyBudget({ ...budget, usage: { amount: 'NaN', tokens: Infinity } })).toMatchObject({ budget: { usage: { amount: null, tokens: null, requests: null } } });
  });

  it('finds the cursor id in either case', () => {
    expect(budgetId(budget)).toBe('bud_01');
    expect(budgetId({ budget_id: 'b2' })).toBe('b2');
    expect(budgetId([])).toBe('');
  });
});
