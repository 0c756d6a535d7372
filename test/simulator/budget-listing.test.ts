import { describe, expect, it } from 'vitest';
import { BudgetIndex, budgetMatches, parseBudgetQuery, type BudgetFilters } from '../../src/simulator/budget-listing.js';
import type { SimBudgetRecord } from '../../src/simulator/budgets.js';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

function budget(id: string, over: Partial<SimBudgetRecord>): SimBudgetRecord {
  return {
    budget_id: id,
    scope: { kind: 'workspace' },
    period: 3,
    amount: 10,
    token_limit: null,
    rate_limit_rpm: null,
    is_active: true,
    expires_at: null,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    usage: { amount: 0, tokens: 0, requests: 0 },
    alerts: [],
    ...over,
  };
}

const B = {
  key: budget('b1', { scope: { kind: 'api_key', api_key_id: 'key_checkout' }, period: 1, updated_at: '2025-03-01T00:00:00Z', created_at: '2025-01-03T00:00:00Z' }),
  keyOff: budget('b2', { scope: { kind: 'api_key', api_key_id: 'key_billing' }, is_active: false, updated_at: '2025-02-01T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' }),
  empty: budget('b3', { scope: { kind: 'api_key', api_key_id: '' }, updated_at: '2025-02-01T00:00:00Z', created_at: '2025-01-05T00:00:00Z' }),
  project: budget('b4', { scope: { kind: 'project', project_id: 'proj_1' }, updated_at: '2025-04-01T00:00:00Z', expires_at: '2025-06-01T00:00:00Z' }),
  custom: budget('b5', { scope: null, cel: 'x', period: 2 }),
};
const names = new Map([
  ['key_checkout', 'checkout-prod-1'],
  ['proj_1', 'Checkout'],
]);
const nameOf = (id: string): string | undefined => names.get(id);

describe('parseBudgetQuery', () => {
  it('reads no filter and the default sort from nothing', () => {
    expect(parseBudgetQuery(q(''))).toEqual({ ok: true, value: { filters: {}, sort: 0 } });
  });

  it('reads every filter the SDK sends', () => {
    expect(
      parseBudgetQuery(q('scope_kind=BUDGET_SCOPE_KIND_API_KEY&scope_kind=BUDGET_SCOPE_KIND_PROJECT&scope_target_id=k1&is_active=false&period=BUDGET_PERIOD_DAILY&query=Check&sort_by=BUDGET_SORT_FIELD_CREATED_AT')),
    ).toEqual({
      ok: true,
      value: { filters: { scopeKinds: [4, 2], scopeTargetId: 'k1', isActive: false, periods: [1], query: 'check' }, sort: 2 },
    });
  });

  it.each(['scope_kind=BUDGET_SCOPE_KIND_TEAM', 'is_active=yes', 'period=fortnightly', 'sort_by=name'])('refuses %s', (query) => {
    expect(parseBudgetQuery(q(query)).ok).toBe(false);
  });
});

describe('budgetMatches', () => {
  it.each<[keyof typeof B, BudgetFilters, boolean]>([
    ['key', { scopeKinds: [4] }, true],
    ['empty', { scopeKinds: [4] }, true],
    ['custom', { scopeKinds: [4] }, false],
    ['project', { scopeKinds: [4, 2] }, true],
    ['key', { scopeTargetId: 'key_checkout' }, true],
    ['empty', { scopeTargetId: '' }, true],
    ['custom', { scopeTargetId: 'x' }, false],
    ['keyOff', { isActive: false }, true],
    ['key', { isActive: false }, false],
    ['key', { periods: [1] }, true],
    ['keyOff', { periods: [1] }, false],
    ['key', { query: 'checkout' }, true],
    ['key', { query: 'key_check' }, true],
    ['project', { query: 'checkout' }, true],
    ['keyOff', { query: 'checkout' }, false],
    ['empty', { query: 'checkout' }, false],
    ['custom', { query: 'x' }, false],
  ])('%s with %j: %s', (which, filters, expected) => {
    expect(budgetMatches(B[which], filters, nameOf)).toBe(expected);
  });
});

describe('BudgetIndex', () => {
  const index = new BudgetIndex(Object.values(B), nameOf);
  const idsOf = (list: readonly SimBudgetRecord[]): string[] => list.map((b) => b.budget_id);

  it('orders by last update, newest first, then by id descending', () => {
    expect(idsOf(index.list(0).order)).toEqual(['b4', 'b1', 'b3', 'b2', 'b5']);
    expect(index.list(3)).toBe(index.list(0));
  });

  it('orders by expiry or creation when asked, never-expiring last', () => {
    expect(idsOf(index.list(1).order)).toEqual(['b2', 'b4', 'b5', 'b3', 'b1']);
    expect(idsOf(index.list(2).order)).toEqual(['b3', 'b1', 'b5', 'b4', 'b2']);
  });

  it('filters a sort order', () => {
    expect(idsOf(index.view(0, { scopeKinds: [4] }))).toEqual(['b1', 'b3', 'b2']);
    expect(index.view(0, {})).toBe(index.list(0).order);
  });
});
