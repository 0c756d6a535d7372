import { describe, expect, it } from 'vitest';
import type { SimBudgetRecord, SimBudgetScope } from '../../src/simulator/budgets.js';
import { toBudget, toEmbeddedBudget } from '../../src/simulator/render-budgets.js';

const FULL: SimBudgetRecord = {
  budget_id: '01HBUDGET0000000000000000A',
  scope: { kind: 'api_key', api_key_id: '01HKEY00000000000000000001' },
  period: 3,
  amount: 250,
  token_limit: 1_000_000,
  rate_limit_rpm: 600,
  is_active: true,
  expires_at: '2026-01-01T00:00:00Z',
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-05-01T00:00:00Z',
  usage: { amount: 12.5, tokens: 3000, requests: 4 },
  alerts: [
    { id: 'al_1', threshold_percent: 80, notifier_ids: ['ntf_1'], dimension: 1 },
    { id: 'al_2', threshold_percent: 100, notifier_ids: ['ntf_1', 'ntf_2'], dimension: 2 },
    { id: 'al_3', threshold_percent: 50, notifier_ids: [], dimension: 0 },
  ],
};

const SPARSE: SimBudgetRecord = {
  budget_id: '01HBUDGET0000000000000000B',
  scope: null,
  cel: 'request.model == "x"',
  period: 0,
  amount: null,
  token_limit: null,
  rate_limit_rpm: 30,
  is_active: false,
  expires_at: null,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  usage: { amount: 0, tokens: 0, requests: 0 },
  alerts: [],
};

describe('toBudget', () => {
  it('writes every field in camelCase, enums as protobuf constants, the token limit as a number', () => {
    expect(toBudget(FULL)).toEqual({
      budgetId: '01HBUDGET0000000000000000A',
      scope: { apiKey: { apiKeyId: '01HKEY00000000000000000001' } },
      limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 250, tokenLimit: 1_000_000 },
      rateLimit: { requestsPerMinute: 600 },
      isActive: true,
      expiresAt: '2026-01-01T00:00:00Z',
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-05-01T00:00:00Z',
      usage: { amount: 12.5, tokens: 3000, requests: 4 },
      alerts: [
        { id: 'al_1', thresholdPercent: 80, notifierIds: ['ntf_1'], dimension: 'BUDGET_ALERT_DIMENSION_COST' },
        { id: 'al_2', thresholdPercent: 100, notifierIds: ['ntf_1', 'ntf_2'], dimension: 'BUDGET_ALERT_DIMENSION_TOKENS' },
        { id: 'al_3', thresholdPercent: 50, notifierIds: [] },
      ],
    });
  });

  it('leaves out the scope of a custom budget, its unset limits, period, expiry and empty alerts, and keeps isActive false', () => {
    expect(toBudget(SPARSE)).toEqual({
      budgetId: '01HBUDGET0000000000000000B',
      match: { cel: 'request.model == "x"' },
      limits: {},
      rateLimit: { requestsPerMinute: 30 },
      isActive: false,
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      usage: { amount: 0, tokens: 0, requests: 0 },
    });
  });

  it.each<[SimBudgetScope, unknown]>([
    [{ kind: 'workspace' }, { workspace: {} }],
    [{ kind: 'project', project_id: 'p1' }, { project: { projectId: 'p1' } }],
    [{ kind: 'project' }, { project: {} }],
    [{ kind: 'identity', identity_external_id: 'cust-1' }, { identity: { identityExternalId: 'cust-1' } }],
    [{ kind: 'api_key' }, { apiKey: {} }],
    [{ kind: 'api_key', api_key_id: '' }, { apiKey: { apiKeyId: '' } }],
    [{ kind: 'provider', provider: 'openai' }, { provider: { provider: 'openai' } }],
    [{ kind: 'model', model_id: 'openai/gpt-4o' }, { model: { modelId: 'openai/gpt-4o' } }],
  ])('writes scope %j as exactly one member %j', (scope, expected) => {
    const item = toBudget({ ...FULL, scope });
    expect(item.scope).toEqual(expected);
    expect(Object.keys(item.scope ?? {})).toHaveLength(1);
  });
});

describe('toEmbeddedBudget', () => {
  it('writes snake_case limits, rate limit and the active flag, and no usage, scope or times', () => {
    expect(toEmbeddedBudget(FULL)).toEqual({
      budget_id: '01HBUDGET0000000000000000A',
      limits: { period: 'BUDGET_PERIOD_MONTHLY', amount: 250, token_limit: 1_000_000 },
      rate_limit: { requests_per_minute: 600 },
      is_active: true,
    });
  });

  it('leaves unset limits out', () => {
    expect(toEmbeddedBudget(SPARSE)).toEqual({
      budget_id: '01HBUDGET0000000000000000B',
      limits: {},
      rate_limit: { requests_per_minute: 30 },
      is_active: false,
    });
    expect('rate_limit' in toEmbeddedBudget({ ...FULL, rate_limit_rpm: null })).toBe(false);
  });
});
