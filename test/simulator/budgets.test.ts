import { describe, expect, it } from 'vitest';
import {
  SCOPE_KIND_VALUES,
  derivedBudgetId,
  derivedUsage,
  keyBudgetRecord,
  scopeKindOf,
  scopeTargetOf,
  type SimBudgetScope,
} from '../../src/simulator/budgets.js';
import { SCOPE_KIND_NAMES } from '../../src/simulator/enums.js';
import { generateKeys, makeKey } from '../../src/simulator/generator.js';
import { encodeUlidTime } from '../../src/simulator/random.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('keyBudgetRecord', () => {
  it('is null for a key with neither a budget nor a rate limit', () => {
    expect(keyBudgetRecord(makeKey())).toBeNull();
  });

  it('turns a budget written as limits only into a full API-key budget, details derived from the key', () => {
    const key = makeKey({
      api_key_id: '01HKEY0000000000000000000A',
      budget: { period: 3, amount: 250, token_limit: '1000000' },
      rate_limit_rpm: 60,
      created_at: '2024-02-01T00:00:00Z',
      updated_at: '2024-03-01T00:00:00Z',
    });
    expect(keyBudgetRecord(key)).toEqual({
      budget_id: derivedBudgetId(key),
      scope: { kind: 'api_key', api_key_id: '01HKEY0000000000000000000A' },
      period: 3,
      amount: 250,
      token_limit: 1_000_000,
      rate_limit_rpm: 60,
      is_active: true,
      expires_at: null,
      created_at: '2024-02-01T00:00:00Z',
      updated_at: '2024-03-01T00:00:00Z',
      usage: { amount: 0, tokens: 0, requests: 0 },
      alerts: [],
    });
  });

  it('makes a rate limit alone a budget: the API requires one of amount, token limit or rate limit', () => {
    const record = keyBudgetRecord(makeKey({ rate_limit_rpm: 30 }));
    expect(record).toMatchObject({ period: 0, amount: null, token_limit: null, rate_limit_rpm: 30 });
  });

  it('takes every detail the budget carries over the derived ones', () => {
    const usage = { amount: 1, tokens: 2, requests: 3 };
    const alerts = [{ id: 'a', threshold_percent: 90, notifier_ids: ['n'], dimension: 2 }];
    const key = makeKey({
      rate_limit_rpm: 60,
      budget: {
        period: 1,
        amount: 5,
        token_limit: '100',
        budget_id: 'b1',
        is_active: false,
        rate_limit_rpm: 10,
        usage,
        alerts,
        created_at: '2025-01-01T00:00:00Z',
        updated_at: '2025-01-02T00:00:00Z',
        expires_at: '2026-01-01T00:00:00Z',
      },
    });
    expect(keyBudgetRecord(key)).toMatchObject({
      budget_id: 'b1',
      is_active: false,
      rate_limit_rpm: 10,
      usage,
      alerts,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-02T00:00:00Z',
      expires_at: '2026-01-01T00:00:00Z',
    });
    // An explicit null rate limit on the budget is "none", not "the key's".
    expect(keyBudgetRecord(makeKey({ rate_limit_rpm: 60, budget: { period: 1, amount: 5, token_limit: '1', rate_limit_rpm: null } }))?.rate_limit_rpm).toBeNull();
  });

  it.each(['', ' ', 'lots', '1e400'])('has no token limit when the legacy one is %j', (tokenLimit) => {
    expect(keyBudgetRecord(makeKey({ budget: { period: 3, amount: 1, token_limit: tokenLimit } }))?.token_limit).toBeNull();
  });
});

describe('derivedBudgetId', () => {
  const keys = generateKeys({ count: 100_000, seed: 31, now: Date.UTC(2025, 5, 1) });

  it('is a ULID stamped with the key’s creation, stable, and unique across 100,000 keys', () => {
    const ids = keys.map(derivedBudgetId);
    expect(new Set(ids).size).toBe(keys.length);
    for (const [i, id] of ids.slice(0, 1_000).entries()) {
      expect(id).toMatch(ULID);
      expect(id.slice(0, 10)).toBe(encodeUlidTime(Date.parse(keys[i]!.created_at)));
      expect(id).not.toBe(keys[i]!.api_key_id);
      expect(derivedBudgetId(keys[i]!)).toBe(id);
    }
  });
});

describe('derivedUsage', () => {
  it('is nothing for a key never used', () => {
    expect(derivedUsage(makeKey({ budget: { period: 3, amount: 10, token_limit: '5' } }))).toEqual({ amount: 0, tokens: 0, requests: 0 });
  });

  it('stays within the key’s amount and rate limit, in cents and whole numbers, and is stable', () => {
    for (const key of generateKeys({ count: 2_000, seed: 4, now: Date.UTC(2025, 5, 1) })) {
      const usage = derivedUsage(key);
      expect(derivedUsage(key)).toEqual(usage);
      expect(usage.amount).toBeGreaterThanOrEqual(0);
      expect(usage.amount).toBeLessThanOrEqual(key.budget?.amount ?? 100);
      expect(Math.round(usage.amount * 100)).toBeCloseTo(usage.amount * 100, 6);
      expect(usage.requests).toBeLessThanOrEqual(key.rate_limit_rpm ?? 120);
      expect(Number.isInteger(usage.tokens) && Number.isInteger(usage.requests)).toBe(true);
    }
  });
});

describe('scopes', () => {
  it('give each kind its API value, and a custom budget 0', () => {
    for (const [kind, value] of Object.entries(SCOPE_KIND_VALUES)) expect(SCOPE_KIND_NAMES[value]).toBe(kind);
    expect(scopeKindOf(null)).toBe(0);
    expect(scopeKindOf({ kind: 'model', model_id: 'm' })).toBe(6);
  });

  it.each<[SimBudgetScope | null, string | undefined]>([
    [{ kind: 'api_key', api_key_id: 'k1' }, 'k1'],
    [{ kind: 'api_key', api_key_id: '' }, ''],
    [{ kind: 'api_key' }, undefined],
    [{ kind: 'project', project_id: 'p1' }, 'p1'],
    [{ kind: 'identity', identity_external_id: 'c1' }, 'c1'],
    [{ kind: 'provider', provider: 'openai' }, 'openai'],
    [{ kind: 'model', model_id: 'm1' }, 'm1'],
    [{ kind: 'workspace' }, undefined],
    [null, undefined],
  ])('target of %j is %j', (scope, target) => {
    expect(scopeTargetOf(scope)).toBe(target);
  });
});
