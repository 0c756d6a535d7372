/** The rows of `/`: the active keys expiring soonest and the keys closest to their budget. */
import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/orq/api-key.js';
import type { KeyBudget } from '../../src/orq/budget.js';
import { budgetsByKey, type Snapshot } from '../../src/snapshot.js';
import { buildKeyLists, keyListsOf, LIST_LIMIT } from '../../src/workspace/status.js';
import { apiKey } from '../support/keys.js';

const NOW = 1_800_000_000;
const DAY = 86_400;

const budget = (apiKeyId: string, extra: Partial<KeyBudget> = {}): KeyBudget => ({
  id: `b-${apiKeyId}-${extra.period ?? 'monthly'}`,
  apiKeyId,
  period: 'monthly',
  amount: 100,
  tokenLimit: null,
  requestsPerMinute: null,
  usage: { amount: 10, tokens: null, requests: null },
  alerts: [],
  ...extra,
});

const snapshot = (keys: ApiKey[], extra: Partial<Snapshot> = {}): Snapshot => ({ workspace: 'w', version: 1, fetchedAt: NOW, keys, ...extra });
const inDays = (days: number): number => NOW + days * DAY;

describe('the active keys expiring soonest', () => {
  it('lists them soonest first with days left, project and owner type', () => {
    const keys = [
      apiKey({ id: 'k1', name: 'later', expiresAt: inDays(30) }),
      apiKey({ id: 'k2', name: 'soon', expiresAt: inDays(0.5), ownerType: 'service_account', projectId: 'proj_b' }),
      apiKey({ id: 'k3', name: 'middle', expiresAt: inDays(7) }),
    ];
    const lists = buildKeyLists(snapshot(keys, { projects: [{ id: 'proj_a', name: 'Alpha', archived: false }] }), NOW);
    expect(lists.expiring.map((r) => [r.name, r.daysLeft, r.project, r.ownerType])).toEqual([
      ['soon', 0.5, 'proj_b', 'service_account'],
      ['middle', 7, 'Alpha', 'user'],
      ['later', 30, 'Alpha', 'user'],
    ]);
    expect(lists.expiringTotal).toBe(3);
  });

  it('leaves out keys that never expire, and disabled, revoked and unknown-status keys', () => {
    const keys = [
      apiKey({ id: 'never' }),
      apiKey({ id: 'disabled', status: 'disabled', expiresAt: inDays(1) }),
      apiKey({ id: 'revoked', status: 'revoked', expiresAt: inDays(1) }),
      apiKey({ id: 'unknown', status: 'unknown', expiresAt: inDays(1) }),
      apiKey({ id: 'active', expiresAt: inDays(2) }),
    ];
    const lists = buildKeyLists(snapshot(keys), NOW);
    expect(lists.expiring.map((r) => r.id)).toEqual(['active']);
    expect(lists.expiringTotal).toBe(1);
  });

  it('counts active keys already past their expiry instead of listing them', () => {
    const keys = [apiKey({ id: 'gone', expiresAt: inDays(-3) }), apiKey({ id: 'now', expiresAt: NOW }), apiKey({ id: 'ahead', expiresAt: inDays(1) })];
    const lists = buildKeyLists(snapshot(keys), NOW);
    expect(lists.expiring.map((r) => r.id)).toEqual(['ahead']);
    expect(lists.expiredActive).toBe(2);
  });

  it('keeps the soonest `limit` of many, whatever order they come in, and says how many there were', () => {
    const keys = Array.from({ length: 500 }, (_, i) => apiKey({ id: `k${String(i).padStart(3, '0')}`, expiresAt: inDays(1 + ((i * 7919) % 500)) }));
    const lists = buildKeyLists(snapshot(keys), NOW);
    expect(lists.limit).toBe(LIST_LIMIT);
    expect(lists.expiring).toHaveLength(LIST_LIMIT);
    expect(lists.expiring.map((r) => r.daysLeft)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lists.expiringTotal).toBe(500);
    const reversed = buildKeyLists(snapshot([...keys].reverse()), NOW, 3);
    expect(reversed.expiring.map((r) => r.daysLeft)).toEqual([1, 2, 3]);
  });

  it('breaks ties by name, then id', () => {
    const at = inDays(5);
    const keys = [apiKey({ id: 'b2', name: 'b', expiresAt: at }), apiKey({ id: 'a', name: 'a', expiresAt: at }), apiKey({ id: 'b1', name: 'b', expiresAt: at })];
    expect(buildKeyLists(snapshot(keys), NOW).expiring.map((r) => r.id)).toEqual(['a', 'b1', 'b2']);
  });

  it('names projects from the snapshot, falls back to the id, and spells keys scoped to every project', () => {
    const keys = [
      apiKey({ id: 'named', expiresAt: inDays(1), projectId: 'proj_a' }),
      apiKey({ id: 'unnamed', expiresAt: inDays(2), projectId: 'proj_missing' }),
      apiKey({ id: 'all', expiresAt: inDays(3), projectId: 'all', projectScope: 'all' }),
    ];
    const withProjects = buildKeyLists(snapshot(keys, { projects: [{ id: 'proj_a', name: 'Alpha', archived: false }] }), NOW);
    expect(withProjects.expiring.map((r) => r.project)).toEqual(['Alpha', 'proj_missing', 'all projects']);
    expect(buildKeyLists(snapshot(keys), NOW).expiring.map((r) => r.project)).toEqual(['proj_a', 'proj_missing', 'all projects']);
  });

  it('an empty workspace has empty lists', () => {
    expect(buildKeyLists(snapshot([]), NOW)).toEqual({ limit: LIST_LIMIT, expiring: [], expiringTotal: 0, expiredActive: 0, budgets: [], budgetsTotal: 0 });
  });
});

describe('the keys closest to their budget', () => {
  it('ranks active keys by spent / limit, highest first, over the limit included', () => {
    const keys = ['low', 'over', 'mid', 'off'].map((id) => apiKey({ id, status: id === 'off' ? 'disabled' : 'active' }));
    const budgets = budgetsByKey([
      budget('low', { usage: { amount: 5, tokens: null, requests: null } }),
      budget('over', { amount: 50, usage: { amount: 60, tokens: null, requests: null }, period: 'daily' }),
      budget('mid', { usage: { amount: 50, tokens: null, requests: null } }),
      budget('off', { usage: { amount: 99, tokens: null, requests: null } }),
    ]);
    const lists = buildKeyLists(snapshot(keys, { budgets }), NOW);
    expect(lists.budgets.map((r) => [r.name, r.ratio, r.spent, r.limit, r.period, r.dimension, r.project])).toEqual([
      ['over', 1.2, 60, 50, 'daily', 'cost', 'proj_a'],
      ['mid', 0.5, 50, 100, 'monthly', 'cost', 'proj_a'],
      ['low', 0.05, 5, 100, 'monthly', 'cost', 'proj_a'],
    ]);
    expect(lists.budgetsTotal).toBe(3);
  });

  it('takes per key the budget and dimension closest to its limit: one row per key', () => {
    const keys = [apiKey({ id: 'k' })];
    const budgets = budgetsByKey([
      budget('k', { period: 'monthly', amount: 100, tokenLimit: 1_000, usage: { amount: 10, tokens: 900, requests: null } }),
      budget('k', { period: 'daily', amount: 10, usage: { amount: 5, tokens: null, requests: null } }),
    ]);
    const [row, ...rest] = buildKeyLists(snapshot(keys, { budgets }), NOW).budgets;
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ period: 'monthly', dimension: 'tokens', spent: 900, limit: 1_000, ratio: 0.9 });
  });

  it('has no rows without budgets, for limits without usage, budgets without a limit, or nothing spent', () => {
    const keys = ['none', 'embedded', 'nolimit', 'zero', 'zerolimit'].map((id) =>
      apiKey({ id, budget: id === 'embedded' ? { period: 'monthly', amount: 10, tokenLimit: null } : null }),
    );
    const budgets = budgetsByKey([
      budget('nolimit', { amount: null, tokenLimit: null, usage: { amount: 5, tokens: 5, requests: 3 } }),
      budget('zero', { usage: { amount: 0, tokens: 0, requests: 0 } }),
      budget('zerolimit', { amount: 0, usage: { amount: 5, tokens: null, requests: null } }),
    ]);
    const lists = buildKeyLists(snapshot(keys, { budgets }), NOW);
    expect(lists.budgets).toEqual([]);
    expect(lists.budgetsTotal).toBe(0);
    expect(buildKeyLists(snapshot(keys), NOW).budgets).toEqual([]);
  });

  it('keeps the closest `limit` and breaks ties by name', () => {
    const keys = Array.from({ length: 40 }, (_, i) => apiKey({ id: `k${String(i).padStart(2, '0')}`, name: i % 2 === 0 ? 'even' : 'odd' }));
    const budgets = budgetsByKey(keys.map((k, i) => budget(k.id, { usage: { amount: i % 20, tokens: null, requests: null } })));
    const lists = buildKeyLists(snapshot(keys, { budgets }), NOW, 4);
    expect(lists.budgets.map((r) => [r.id, r.spent])).toEqual([
      ['k19', 19],
      ['k39', 19],
      ['k18', 18],
      ['k38', 18],
    ]);
    expect(lists.budgetsTotal).toBe(38);
  });
});

describe('hostile names', () => {
  it('are carried as they are: escaping is the page\'s job, and nothing here trims or parses them', () => {
    const hostile = '</td><script>alert("x")</script>';
    const keys = [apiKey({ id: 'h', name: hostile, projectId: hostile, expiresAt: inDays(1) })];
    const lists = buildKeyLists(snapshot(keys, { budgets: budgetsByKey([budget('h')]) }), NOW);
    expect(lists.expiring[0]).toMatchObject({ name: hostile, project: hostile });
    expect(lists.budgets[0]).toMatchObject({ name: hostile, project: hostile });
  });
});

describe('keyListsOf: remembered per snapshot', () => {
  const keys = [apiKey({ id: 'a', expiresAt: inDays(1) }), apiKey({ id: 'b', expiresAt: inDays(2) })];

  it('works out the days left again for every clock, and lists anew once the soonest listed key expires', () => {
    const s = snapshot(keys);
    expect(keyListsOf(s, NOW).expiring.map((r) => r.daysLeft)).toEqual([1, 2]);
    expect(keyListsOf(s, inDays(0.5)).expiring.map((r) => r.daysLeft)).toEqual([0.5, 1.5]);
    const later = keyListsOf(s, inDays(1));
    expect(later.expiring.map((r) => [r.id, r.daysLeft])).toEqual([['b', 1]]);
    expect(later.expiredActive).toBe(1);
    // A clock that went back lists the key again.
    expect(keyListsOf(s, NOW).expiring.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('gives what buildKeyLists gives at every step', () => {
    const s = snapshot(keys, { budgets: budgetsByKey([budget('a')]) });
    for (const t of [NOW, inDays(0.2), inDays(0.99), inDays(1), inDays(1.5), inDays(2), inDays(3)]) {
      expect(keyListsOf(s, t)).toEqual(buildKeyLists(s, t));
    }
  });
});
