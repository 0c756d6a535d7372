import { describe, expect, it } from 'vitest';
import { keyBudgetRecord, scopeKindOf, type SimBudgetRecord } from '../../src/simulator/budgets.js';
import { drawAlerts, drawExtraBudgets, drawKeyBudget, drawNotifiers, drawUsage, type UsageInput } from '../../src/simulator/generate-budgets.js';
import { generateKeys } from '../../src/simulator/generator.js';
import { createRng } from '../../src/simulator/random.js';
import { MINUTE, DAY, periodStart } from '../../src/simulator/time.js';

const NOW = Date.UTC(2025, 5, 18, 12); // a Wednesday
const usage = (over: Partial<UsageInput>): UsageInput => ({
  period: 3,
  amount: 100,
  tokenLimit: 1_000_000,
  rateLimit: 60,
  createdMs: NOW - 300 * DAY,
  lastUsedMs: NOW - 5 * MINUTE,
  now: NOW,
  ...over,
});

describe('drawUsage', () => {
  it('is nothing for a key never used, or used only before its period began', () => {
    const rng = createRng(1);
    expect(drawUsage(rng, usage({ lastUsedMs: null }))).toEqual({ amount: 0, tokens: 0, requests: 0 });
    for (const period of [1, 2, 3, 4]) {
      const before = periodStart(period, NOW, 0) - 1;
      expect(drawUsage(rng, usage({ period, lastUsedMs: before }))).toEqual({ amount: 0, tokens: 0, requests: 0 });
    }
  });

  it('counts a one-time budget from its creation', () => {
    const rng = createRng(2);
    const spent = Array.from({ length: 50 }, () => drawUsage(rng, usage({ period: 5, lastUsedMs: NOW - 200 * DAY })));
    expect(spent.some((u) => u.amount > 0)).toBe(true);
  });

  it('stays mostly inside the limits, at most 25% past them, and counts requests only for keys used in the last quarter hour', () => {
    const rng = createRng(3);
    let past = 0;
    for (let i = 0; i < 5_000; i++) {
      const recent = i % 2 === 0;
      const u = drawUsage(rng, usage({ lastUsedMs: NOW - (recent ? 3 : 60) * MINUTE }));
      expect(u.amount).toBeGreaterThanOrEqual(0);
      expect(u.amount).toBeLessThanOrEqual(125);
      expect(u.tokens).toBeLessThanOrEqual(1_100_000);
      expect(Number.isInteger(u.tokens) && Number.isInteger(u.requests)).toBe(true);
      if (recent) expect(u.requests).toBeGreaterThanOrEqual(1);
      else expect(u.requests).toBe(0);
      expect(u.requests).toBeLessThanOrEqual(60);
      if (u.amount >= 100) past++;
    }
    expect(past / 5_000).toBeGreaterThan(0.02);
    expect(past / 5_000).toBeLessThan(0.08);
  });
});

describe('drawAlerts', () => {
  it('gives none to three alerts at distinct rising thresholds within 1-100, to the workspace’s notifiers', () => {
    const rng = createRng(4);
    const notifiers = drawNotifiers(rng, NOW);
    expect(notifiers.length).toBeGreaterThanOrEqual(2);
    const counts = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const alerts = drawAlerts(rng, NOW, notifiers);
      counts.add(alerts.length);
      const thresholds = alerts.map((a) => a.threshold_percent);
      expect(thresholds).toEqual([...thresholds].sort((a, b) => a - b));
      expect(new Set(thresholds).size).toBe(thresholds.length);
      for (const a of alerts) {
        expect(a.threshold_percent).toBeGreaterThanOrEqual(1);
        expect(a.threshold_percent).toBeLessThanOrEqual(100);
        expect([1, 2]).toContain(a.dimension);
        expect(a.notifier_ids.length).toBeGreaterThanOrEqual(1);
        for (const n of a.notifier_ids) expect(notifiers).toContain(n);
      }
    }
    expect(counts).toEqual(new Set([0, 1, 2, 3]));
  });
});

describe('drawKeyBudget', () => {
  it('keeps the limits, and is created with the key or later, updated after, switched off about one time in eight', () => {
    const rng = createRng(5);
    const ws = { now: NOW, notifiers: ['ntf_1'] };
    const keyCreated = NOW - 100 * DAY;
    const budgets = Array.from({ length: 2_000 }, (_, i) =>
      drawKeyBudget(
        rng,
        { period: i % 2 === 0 ? 5 : 3, amount: 50, token_limit: '1000' },
        { rateLimit: null, createdMs: keyCreated, createdAt: 'the key’s own', lastUsedMs: null },
        ws,
      ),
    );
    for (const b of budgets) {
      expect(b).toMatchObject({ amount: 50, token_limit: '1000', usage: { amount: 0, tokens: 0, requests: 0 } });
      if (b.created_at !== 'the key’s own') expect(Date.parse(b.created_at ?? '')).toBeGreaterThanOrEqual(keyCreated - 1000);
      expect(Date.parse(b.updated_at ?? '')).toBeLessThanOrEqual(NOW);
      if (b.period !== 5) expect(b.expires_at).toBeNull();
    }
    expect(budgets.filter((b) => b.created_at === 'the key’s own').length / 2_000).toBeCloseTo(0.5, 1);
    expect(budgets.filter((b) => b.is_active === false).length / 2_000).toBeCloseTo(0.12, 1);
    expect(budgets.some((b) => b.period === 5 && b.expires_at !== null)).toBe(true);
    expect(new Set(budgets.map((b) => b.budget_id)).size).toBe(2_000);
  });
});

describe('drawExtraBudgets', () => {
  const keys = generateKeys({ count: 3_000, seed: 9, now: NOW });
  const projects = [
    { project_id: 'p_archived', name: 'Old', key: 'old', is_archived: true, is_default: false, teams: [], created_at: '', updated_at: '' },
    ...['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => ({ project_id: id, name: id, key: id, is_archived: false, is_default: false, teams: [], created_at: '', updated_at: '' })),
  ];
  const extra = drawExtraBudgets(createRng(10), { keys, projects, now: NOW });
  const keyIds = new Set(keys.map((k) => k.api_key_id));
  const byId = new Map(keys.map((k) => [k.api_key_id, k]));
  const second = extra.filter((b) => b.scope?.kind === 'api_key' && b.scope.api_key_id !== undefined && keyIds.has(b.scope.api_key_id));

  it('gives about one budgeted key in eight a second budget, daily beside monthly or monthly beside daily', () => {
    const budgeted = keys.filter((k) => k.budget !== null).length;
    expect(second.length / budgeted).toBeGreaterThan(0.09);
    expect(second.length / budgeted).toBeLessThan(0.16);
    for (const b of second) {
      const key = byId.get(b.scope?.kind === 'api_key' ? (b.scope.api_key_id ?? '') : '');
      expect(key?.budget).not.toBeNull();
      expect(b.period).toBe(key?.budget?.period === 1 ? 3 : 1);
      // Never older than the key it belongs to (times are whole seconds, floored).
      expect(Date.parse(b.created_at)).toBeGreaterThanOrEqual(Date.parse(key?.created_at ?? '') - 999);
    }
    expect(second.some((b) => b.period === 1) && second.some((b) => b.period === 3)).toBe(true);
  });

  it('holds every budget a client must not give to a key', () => {
    const others = extra.filter((b) => !second.includes(b));
    const has = (f: (b: SimBudgetRecord) => boolean): boolean => others.some(f);
    expect(has((b) => b.scope?.kind === 'workspace')).toBe(true);
    expect(others.filter((b) => b.scope?.kind === 'project').map((b) => (b.scope?.kind === 'project' ? b.scope.project_id : ''))).toEqual(['p1', 'p2', 'p3', 'p4']);
    const custom = others.filter((b) => b.scope === null);
    expect(custom).toHaveLength(2);
    expect(custom.every((b) => (b.cel ?? '') !== '')).toBe(true);
    expect(custom.some((b) => b.cel?.includes(keys[0]!.api_key_id))).toBe(true);
    expect(has((b) => b.scope?.kind === 'api_key' && b.scope.api_key_id === undefined)).toBe(true);
    expect(has((b) => b.scope?.kind === 'api_key' && b.scope.api_key_id === '')).toBe(true);
    expect(has((b) => b.scope?.kind === 'api_key' && b.scope.api_key_id !== undefined && b.scope.api_key_id !== '' && !keyIds.has(b.scope.api_key_id))).toBe(true);
    for (const kind of [3, 5, 6]) expect(has((b) => scopeKindOf(b.scope) === kind)).toBe(true);
  });

  it('never reuses a budget id, its own or a key’s', () => {
    const ids = [...keys.flatMap((k) => keyBudgetRecord(k)?.budget_id ?? []), ...extra.map((b) => b.budget_id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('still holds the non-key budgets in a workspace without keys', () => {
    const none = drawExtraBudgets(createRng(1), { keys: [], projects: [], now: NOW });
    expect(none.map((b) => b.scope?.kind ?? 'custom').sort()).toEqual(['api_key', 'api_key', 'api_key', 'custom', 'identity', 'model', 'provider', 'workspace']);
  });
});
