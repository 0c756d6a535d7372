import { describe, expect, it } from 'vitest';
import type { KeyBudget } from '../src/orq/budget.js';
import { budgetsByKey, budgetsOf, rateLimitOf, type Snapshot } from '../src/snapshot.js';
import { apiKey } from './support/keys.js';

const budget = (apiKeyId: string, period: KeyBudget['period'], extra: Partial<KeyBudget> = {}): KeyBudget => ({
  id: `${apiKeyId}-${period}`,
  apiKeyId,
  period,
  amount: 10,
  tokenLimit: null,
  requestsPerMinute: null,
  usage: { amount: 1, tokens: null, requests: null },
  alerts: [],
  ...extra,
});
const snapshot = (budgets?: KeyBudget[]): Snapshot => ({ workspace: 'w', version: 1, fetchedAt: 0, keys: [], budgets: budgets && budgetsByKey(budgets) });

describe('joining a key with its budgets', () => {
  const embedded = apiKey({ id: 'a', budget: { period: 'weekly', amount: 5, tokenLimit: null } });

  it('takes the budgets API over the embedded budget, never both', () => {
    expect(budgetsOf(snapshot([budget('a', 'monthly')]), embedded).map((b) => b.period)).toEqual(['monthly']);
  });

  it('falls back to the embedded limits, without usage, when the budgets API has nothing for the key', () => {
    expect(budgetsOf(snapshot([budget('z', 'monthly')]), embedded)).toEqual([{ period: 'weekly', amount: 5, tokenLimit: null, usage: null, alerts: [] }]);
    expect(budgetsOf(snapshot(), embedded)).toHaveLength(1);
    expect(budgetsOf(snapshot(), apiKey({ id: 'b' }))).toEqual([]);
  });

  it('keeps one budget per key and period, the most recently updated (listed first)', () => {
    const byKey = budgetsByKey([budget('a', 'monthly', { id: 'new' }), budget('a', 'daily'), budget('a', 'monthly', { id: 'old' })]);
    expect(byKey.get('a')?.map((b) => b.id)).toEqual(['new', 'a-daily']);
  });

  it('takes the key\'s own rate limit, else the lowest of its budgets', () => {
    const s = snapshot([budget('a', 'monthly', { requestsPerMinute: 600 }), budget('a', 'daily', { requestsPerMinute: 60 })]);
    expect(rateLimitOf(s, apiKey({ id: 'a' }))).toBe(60);
    expect(rateLimitOf(s, apiKey({ id: 'a', rateLimitPerMinute: 1_000 }))).toBe(1_000);
    expect(rateLimitOf(s, apiKey({ id: 'b' }))).toBeNull();
  });
});
