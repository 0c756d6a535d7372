import { describe, expect, it } from 'vitest';
import { generateKeys, makeKey, type SimKey } from '../../src/simulator/generator.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const DAY = 86_400_000;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const ms = (iso: string): number => Date.parse(iso);
const share = (keys: SimKey[], pred: (k: SimKey) => boolean): number => keys.filter(pred).length / keys.length;

describe('generateKeys', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const a = generateKeys({ count: 300, seed: 11, now: NOW });
    expect(generateKeys({ count: 300, seed: 11, now: NOW })).toEqual(a);
    const b = generateKeys({ count: 300, seed: 12, now: NOW });
    expect(b.map((k) => k.api_key_id)).not.toEqual(a.map((k) => k.api_key_id));
  });

  it('pins the first key of seed 1, so an accidental change to the generator shows', () => {
    const [first] = generateKeys({ count: 1, seed: 1, now: NOW });
    expect(first).toEqual({
      api_key_id: '01H5N9S921KNS8A9QMCSN0NZPC',
      name: 'billing-dev-2',
      owner: { kind: 'user', user_id: '01HKSKWQG0BG9CJEF38J147KB1' },
      project_scope: { kind: 'single', project_id: '01H86TN7G0J171Q2W6C1MNVX2X' },
      permission_mode: 2,
      access: { evaluators: 'read' },
      token_prefix: 'orq_sk_9g6x',
      status: 1,
      expires_at: '2026-03-14T00:49:26Z',
      budget: null,
      rate_limit_rpm: 60,
      created_by_id: '01HKSKWQG0BG9CJEF38J147KB1',
      updated_by_id: '01HKSKWQG0BG9CJEF38J147KB1',
      created_at: '2023-07-18T20:06:37Z',
      updated_at: '2023-07-18T20:06:37Z',
      last_used_at: '2025-06-01T05:26:05Z',
      legacy_token_family: 0,
      legacy_key_id: null,
    });
  });

  it('returns nothing for count 0 and refuses a negative or fractional count', () => {
    expect(generateKeys({ count: 0, seed: 1, now: NOW })).toEqual([]);
    expect(() => generateKeys({ count: -1, seed: 1, now: NOW })).toThrow(RangeError);
    expect(() => generateKeys({ count: 1.5, seed: 1, now: NOW })).toThrow(RangeError);
  });

  it('makes 100,000 keys with unique ULIDs quickly', () => {
    // CPU time, not wall time: on a loaded machine the wall clock also counts the time other
    // processes held the cores (5.5 s seen with both cores busy, against a bound of 2.5 s).
    const started = process.cpuUsage();
    const keys = generateKeys({ count: 100_000, seed: 3, now: NOW });
    const used = process.cpuUsage(started);
    const cpuMs = (used.user + used.system) / 1000;
    expect(keys).toHaveLength(100_000);
    expect(new Set(keys.map((k) => k.api_key_id)).size).toBe(100_000);
    expect(keys.every((k) => ULID.test(k.api_key_id))).toBe(true);
    // About 1 s of CPU (0.9-1.6 s seen on a machine loaded well past its two cores, where the
    // wall clock read 6-12 s); the bound is ten times that and still catches an accidentally
    // quadratic generator, which would take minutes.
    expect(cpuMs).toBeLessThan(10_000);
  });

  describe('a 3,000-key workspace', () => {
    const keys = generateKeys({ count: 3_000, seed: 7, now: NOW });
    const expiring = keys.filter((k) => k.expires_at !== null);
    const expiry = (k: SimKey): number => ms(k.expires_at ?? '') - NOW;

    it('uses 8 to 40 projects, with ULID, UUID and proj_ ids', () => {
      const projects = new Set(
        keys.flatMap((k) => (k.project_scope.kind === 'single' ? [k.project_scope.project_id] : [])),
      );
      expect(projects.size).toBeGreaterThanOrEqual(8);
      expect(projects.size).toBeLessThanOrEqual(40);
      const ids = [...projects];
      expect(ids.some((id) => ULID.test(id))).toBe(true);
      expect(ids.some((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
      expect(ids.some((id) => /^proj_[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    });

    it('names keys like checkout-prod-2 and ml-batch-sa', () => {
      for (const k of keys) expect(k.name).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
      expect(keys.some((k) => /-(prod|staging|dev|test)-\d$/.test(k.name))).toBe(true);
      expect(keys.some((k) => /-sa$/.test(k.name))).toBe(true);
      expect(keys.some((k) => /-legacy-jwt$/.test(k.name))).toBe(true);
    });

    it('is mostly active, with some disabled and some revoked keys', () => {
      expect(share(keys, (k) => k.status === 1)).toBeGreaterThan(0.8);
      expect(share(keys, (k) => k.status === 2)).toBeGreaterThan(0.04);
      expect(share(keys, (k) => k.status === 3)).toBeGreaterThan(0.02);
      expect(keys.every((k) => [1, 2, 3].includes(k.status))).toBe(true);
    });

    it('gives ~60% an expiry between 30 days ago and 400 days ahead, some within 14 and within 3 days', () => {
      expect(expiring.length / keys.length).toBeGreaterThan(0.55);
      expect(expiring.length / keys.length).toBeLessThan(0.65);
      for (const k of expiring) {
        expect(expiry(k)).toBeGreaterThanOrEqual(-30 * DAY - 1000);
        expect(expiry(k)).toBeLessThanOrEqual(400 * DAY);
      }
      const within3 = expiring.filter((k) => expiry(k) > 0 && expiry(k) <= 3 * DAY).length;
      const within14 = expiring.filter((k) => expiry(k) > 3 * DAY && expiry(k) <= 14 * DAY).length;
      const past = expiring.filter((k) => expiry(k) <= 0).length;
      expect(within3).toBeGreaterThanOrEqual(20);
      expect(within14).toBeGreaterThanOrEqual(40);
      expect(past).toBeGreaterThanOrEqual(100);
    });

    it('has ~80% used keys, last used between minutes and 200 days ago and never before creation', () => {
      const used = keys.filter((k) => k.last_used_at !== null);
      expect(used.length / keys.length).toBeGreaterThan(0.75);
      expect(used.length / keys.length).toBeLessThan(0.85);
      for (const k of used) {
        const last = ms(k.last_used_at ?? '');
        expect(last).toBeLessThanOrEqual(NOW);
        expect(last).toBeGreaterThanOrEqual(NOW - 200 * DAY - 1000);
        expect(last).toBeGreaterThanOrEqual(ms(k.created_at));
      }
      expect(used.some((k) => NOW - ms(k.last_used_at ?? '') < 60 * 60_000)).toBe(true);
      expect(used.some((k) => NOW - ms(k.last_used_at ?? '') > 100 * DAY)).toBe(true);
    });

    it('gives ~30% a budget and ~40% a rate limit, with valid periods', () => {
      const budgets = keys.flatMap((k) => (k.budget === null ? [] : [k.budget]));
      expect(budgets.length / keys.length).toBeGreaterThan(0.25);
      expect(budgets.length / keys.length).toBeLessThan(0.35);
      expect(new Set(budgets.map((b) => b.period))).toEqual(new Set([1, 2, 3, 4, 5]));
      for (const b of budgets) {
        expect(b.amount).toBeGreaterThan(0);
        expect(b.token_limit).toMatch(/^[1-9]\d*$/);
      }
      expect(share(keys, (k) => k.rate_limit_rpm !== null)).toBeGreaterThan(0.35);
      expect(share(keys, (k) => k.rate_limit_rpm !== null)).toBeLessThan(0.45);
    });

    it('gives every budget what /v2/budgets adds: a unique id, an active flag, usage this period, alerts, times', () => {
      const budgeted = keys.filter((k) => k.budget !== null);
      const ids = budgeted.map((k) => k.budget?.budget_id);
      expect(new Set(ids).size).toBe(budgeted.length);
      for (const id of ids) expect(id).toMatch(ULID);
      expect(share(budgeted, (k) => k.budget?.is_active === false)).toBeGreaterThan(0.06);
      expect(share(budgeted, (k) => k.budget?.is_active === false)).toBeLessThan(0.2);
      expect(share(budgeted, (k) => (k.budget?.usage?.amount ?? 0) > 0)).toBeGreaterThan(0.2);
      expect(share(budgeted, (k) => (k.budget?.alerts?.length ?? 0) > 0)).toBeGreaterThan(0.3);
      for (const k of budgeted) {
        const b = k.budget;
        if (b === null) continue;
        expect(b.usage).toBeDefined();
        if (k.last_used_at === null) expect(b.usage).toEqual({ amount: 0, tokens: 0, requests: 0 });
        expect(ms(b.created_at ?? '')).toBeGreaterThanOrEqual(ms(k.created_at));
        expect(ms(b.updated_at ?? '')).toBeGreaterThanOrEqual(ms(b.created_at ?? ''));
        expect(ms(b.updated_at ?? '')).toBeLessThanOrEqual(NOW);
        // The key's rate limit stays the budget's: the generator sets none of its own.
        expect('rate_limit_rpm' in b).toBe(false);
      }
    });

    it('has ~10% legacy JWT keys, each with a legacy id and a JWT prefix; new keys have neither', () => {
      const legacy = keys.filter((k) => k.legacy_token_family !== 0);
      expect(legacy.length / keys.length).toBeGreaterThan(0.07);
      expect(legacy.length / keys.length).toBeLessThan(0.13);
      expect(new Set(legacy.map((k) => k.legacy_token_family))).toEqual(new Set([1, 2, 3]));
      for (const k of legacy) {
        expect(k.legacy_key_id).not.toBeNull();
        expect(k.token_prefix).toBe('eyJhbGciOi');
      }
      for (const k of keys.filter((k) => k.legacy_token_family === 0)) {
        expect(k.legacy_key_id).toBeNull();
        expect(k.token_prefix).toMatch(/^orq_sk_[a-z0-9]{4}$/);
      }
      // Workspace JWTs are workspace-wide.
      expect(legacy.filter((k) => k.legacy_token_family === 3).every((k) => k.project_scope.kind === 'all')).toBe(true);
    });

    it('has user- and service-account-owned keys, some accounts without an id, and a few all-project keys', () => {
      expect(share(keys, (k) => k.owner.kind === 'user')).toBeGreaterThan(0.6);
      const sa = keys.filter((k) => k.owner.kind === 'service_account');
      expect(sa.length).toBeGreaterThan(0);
      expect(sa.some((k) => k.owner.kind === 'service_account' && k.owner.service_account_id === undefined)).toBe(true);
      expect(sa.some((k) => k.owner.kind === 'service_account' && k.owner.service_account_id?.startsWith('sa_'))).toBe(true);
      const all = share(keys, (k) => k.project_scope.kind === 'all');
      expect(all).toBeGreaterThan(0.03);
      expect(all).toBeLessThan(0.15);
    });

    it('only gives restricted and read-only keys an access map', () => {
      expect(new Set(keys.map((k) => k.permission_mode))).toEqual(new Set([1, 2, 3]));
      for (const k of keys) {
        if (k.permission_mode === 1) expect(k.access).toEqual({});
        else expect(Object.keys(k.access).length).toBeGreaterThan(0);
        for (const level of Object.values(k.access)) expect(['read', 'write']).toContain(level);
      }
    });

    it('writes whole-second RFC 3339 times, created in the past and updated no earlier', () => {
      for (const k of keys) {
        for (const t of [k.created_at, k.updated_at, k.expires_at, k.last_used_at]) {
          if (t !== null) expect(t).toMatch(RFC3339_SECONDS);
        }
        expect(ms(k.created_at)).toBeLessThan(NOW);
        expect(ms(k.created_at)).toBeGreaterThan(NOW - 3 * 366 * DAY);
        expect(ms(k.updated_at)).toBeGreaterThanOrEqual(ms(k.created_at));
      }
    });
  });
});

describe('makeKey', () => {
  it('fills a plain active key with no constraints', () => {
    const key = makeKey({ api_key_id: '01HZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect(key).toEqual({
      api_key_id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      name: 'key-zzzzzz',
      owner: { kind: 'user', user_id: 'user_01HQ0000000000000000000000' },
      project_scope: { kind: 'single', project_id: 'proj_default' },
      permission_mode: 1,
      access: {},
      token_prefix: 'orq_sk_test',
      status: 1,
      expires_at: null,
      budget: null,
      rate_limit_rpm: null,
      created_by_id: 'user_01HQ0000000000000000000000',
      updated_by_id: 'user_01HQ0000000000000000000000',
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
      last_used_at: null,
      legacy_token_family: 0,
      legacy_key_id: null,
    });
  });

  it('gives every key made without an id a unique ULID', () => {
    const ids = Array.from({ length: 100 }, () => makeKey().api_key_id);
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) expect(id).toMatch(ULID);
  });

  it('applies overrides, but an explicit undefined keeps the default', () => {
    const key = makeKey({ status: 3, name: 'x', budget: { period: 3, amount: 10, token_limit: '5' }, api_key_id: undefined });
    expect(key.status).toBe(3);
    expect(key.name).toBe('x');
    expect(key.budget).toEqual({ period: 3, amount: 10, token_limit: '5' });
    expect(key.api_key_id).toMatch(ULID);
    expect(makeKey({ expires_at: undefined }).expires_at).toBeNull();
  });
});
