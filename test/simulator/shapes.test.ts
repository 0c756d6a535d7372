import { describe, expect, it } from 'vitest';
import { generateKeys, makeKey } from '../../src/simulator/generator.js';
import {
  BUDGET_PERIOD_NAMES,
  STATUS_NAMES,
  enumName,
  enumValue,
  toShapeA,
  toShapeB,
} from '../../src/simulator/shapes.js';

const FULL = makeKey({
  api_key_id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z2',
  name: 'checkout-prod-2',
  owner: { kind: 'user', user_id: 'user_7' },
  project_scope: { kind: 'single', project_id: 'proj_checkout' },
  permission_mode: 2,
  access: { deployments: 'read', datasets: 'write' },
  token_prefix: 'orq_sk_ab12',
  status: 1,
  expires_at: '2025-07-01T00:00:00Z',
  budget: { period: 3, amount: 250, token_limit: '1000000' },
  rate_limit_rpm: 600,
  created_by_id: 'user_7',
  updated_by_id: 'user_8',
  created_at: '2024-03-01T10:00:00Z',
  updated_at: '2024-04-01T10:00:00Z',
  last_used_at: '2025-05-31T23:00:00Z',
  legacy_token_family: 0,
  legacy_key_id: null,
});

const BARE = makeKey({
  api_key_id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z3',
  name: 'ml-batch-sa',
  owner: { kind: 'service_account' },
  project_scope: { kind: 'all' },
  permission_mode: 3,
  access: {},
  token_prefix: 'eyJhbGciOi',
  status: 3,
  created_by_id: 'user_1',
  updated_by_id: 'user_1',
  created_at: '2023-01-01T00:00:00Z',
  updated_at: '2023-01-01T00:00:00Z',
  legacy_token_family: 3,
  legacy_key_id: 'legacy-123',
});

describe('toShapeA', () => {
  it('renders every documented field, with constraints nested and integer enums', () => {
    expect(toShapeA(FULL)).toEqual({
      api_key_id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z2',
      name: 'checkout-prod-2',
      owner: { user: { user_id: 'user_7' } },
      project_scope: { single: { project_id: 'proj_checkout' } },
      permission_mode: 2,
      access: { deployments: 'read', datasets: 'write' },
      token_prefix: 'orq_sk_ab12',
      status: 1,
      constraints: {
        expires_at: '2025-07-01T00:00:00Z',
        budget: { period: 3, amount: 250, token_limit: '1000000' },
        rate_limit: { requests_per_minute: 600 },
      },
      created_by_id: 'user_7',
      updated_by_id: 'user_8',
      created_at: '2024-03-01T10:00:00Z',
      updated_at: '2024-04-01T10:00:00Z',
      last_used_at: '2025-05-31T23:00:00Z',
      legacy_token_family: 0,
    });
  });

  it('omits unset constraints, last_used_at and legacy_key_id instead of sending null', () => {
    const item = toShapeA(BARE);
    expect(item).toEqual({
      api_key_id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z3',
      name: 'ml-batch-sa',
      owner: { service_account: {} },
      project_scope: { all: {} },
      permission_mode: 3,
      access: {},
      token_prefix: 'eyJhbGciOi',
      status: 3,
      constraints: {},
      created_by_id: 'user_1',
      updated_by_id: 'user_1',
      created_at: '2023-01-01T00:00:00Z',
      updated_at: '2023-01-01T00:00:00Z',
      legacy_token_family: 3,
      legacy_key_id: 'legacy-123',
    });
    expect('last_used_at' in item).toBe(false);
    expect('legacy_key_id' in toShapeA(FULL)).toBe(false);
  });

  it('puts a service account id inside service_account when there is one', () => {
    const key = makeKey({ owner: { kind: 'service_account', service_account_id: 'sa_9' } });
    expect(toShapeA(key).owner).toEqual({ service_account: { service_account_id: 'sa_9' } });
  });

  it('keeps only the constraint parts that are set', () => {
    expect(toShapeA(makeKey({ rate_limit_rpm: 30 })).constraints).toEqual({ rate_limit: { requests_per_minute: 30 } });
    expect(toShapeA(makeKey({ expires_at: '2026-01-01T00:00:00Z' })).constraints).toEqual({
      expires_at: '2026-01-01T00:00:00Z',
    });
  });

  it('passes enum values it does not know through unchanged', () => {
    const item = toShapeA(makeKey({ status: 7, permission_mode: 9, legacy_token_family: 5 }));
    expect([item.status, item.permission_mode, item.legacy_token_family]).toEqual([7, 9, 5]);
  });

  it('does not share the access map with the key', () => {
    const item = toShapeA(FULL);
    item.access['x'] = 'write';
    expect(FULL.access).toEqual({ deployments: 'read', datasets: 'write' });
  });
});

describe('toShapeB', () => {
  it('renders id, string enums, flattened owner and scope, expiration and consumption', () => {
    expect(toShapeB(FULL, 'ws_1')).toEqual({
      id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z2',
      name: 'checkout-prod-2',
      workspace_id: 'ws_1',
      owner: { type: 'user', user_id: 'user_7' },
      project_scope: { mode: 'single', project_id: 'proj_checkout' },
      permission_mode: 'restricted',
      access: { deployments: 'read', datasets: 'write' },
      token_prefix: 'orq_sk_ab12',
      status: 'active',
      active: true,
      is_legacy: false,
      legacy_token_family: 'none',
      legacy_key_id: null,
      expiration: '2025-07-01T00:00:00Z',
      rate_limit: { requests_per_minute: 600 },
      created_by_id: 'user_7',
      updated_by_id: 'user_8',
      created: '2024-03-01T10:00:00Z',
      updated: '2024-04-01T10:00:00Z',
      last_used_at: '2025-05-31T23:00:00Z',
      // Derived from the id, so the same key always reports the same consumption.
      consumption: 174.88,
      token_consumption: 1094285,
      requests_per_minute_consumption: 527,
    });
  });

  it('has no budget, no rate_limit when unset, nulls for absent times and zero consumption when never used', () => {
    const item = toShapeB(BARE, 'ws_2');
    expect(item).toEqual({
      id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z3',
      name: 'ml-batch-sa',
      workspace_id: 'ws_2',
      owner: { type: 'service_account' },
      project_scope: { mode: 'all' },
      permission_mode: 'read_only',
      access: {},
      token_prefix: 'eyJhbGciOi',
      status: 'revoked',
      active: false,
      is_legacy: true,
      legacy_token_family: 'workspace_jwt',
      legacy_key_id: 'legacy-123',
      expiration: null,
      created_by_id: 'user_1',
      updated_by_id: 'user_1',
      created: '2023-01-01T00:00:00Z',
      updated: '2023-01-01T00:00:00Z',
      last_used_at: null,
      consumption: 0,
      token_consumption: 0,
      requests_per_minute_consumption: 0,
    });
    expect('budget' in toShapeB(FULL, 'ws')).toBe(false);
    expect('rate_limit' in item).toBe(false);
  });

  it.each([
    [0, 'unspecified', false],
    [1, 'active', true],
    [2, 'disabled', false],
    [3, 'revoked', false],
    [7, 'unknown_7', false],
  ])('spells status %i as %s (active %s)', (status, spelling, active) => {
    const item = toShapeB(makeKey({ status }), 'ws');
    expect(item.status).toBe(spelling);
    expect(item.active).toBe(active);
  });

  it.each([
    [0, 'none', false],
    [1, 'router_jwt', true],
    [2, 'project_jwt', true],
    [3, 'workspace_jwt', true],
  ])('spells legacy family %i as %s (is_legacy %s)', (family, spelling, legacy) => {
    const item = toShapeB(makeKey({ legacy_token_family: family }), 'ws');
    expect(item.legacy_token_family).toBe(spelling);
    expect(item.is_legacy).toBe(legacy);
  });

  it.each([
    [0, 'unspecified'],
    [1, 'all'],
    [2, 'restricted'],
    [3, 'read_only'],
  ])('spells permission mode %i as %s', (mode, spelling) => {
    expect(toShapeB(makeKey({ permission_mode: mode }), 'ws').permission_mode).toBe(spelling);
  });

  it('keeps consumption within the key’s own limits across a generated workspace', () => {
    for (const key of generateKeys({ count: 500, seed: 4, now: Date.UTC(2025, 5, 1) })) {
      const item = toShapeB(key, 'ws');
      expect(item.consumption).toBeGreaterThanOrEqual(0);
      expect(item.consumption).toBeLessThanOrEqual(key.budget?.amount ?? 100);
      expect(item.requests_per_minute_consumption).toBeLessThanOrEqual(key.rate_limit_rpm ?? 120);
      expect(Number.isInteger(item.token_consumption)).toBe(true);
    }
  });
});

describe('enum tables', () => {
  it('name budget periods in API order', () => {
    expect(BUDGET_PERIOD_NAMES.map((_, i) => enumName(BUDGET_PERIOD_NAMES, i))).toEqual([
      'unspecified',
      'daily',
      'weekly',
      'monthly',
      'yearly',
      'one_time',
    ]);
  });

  it('turn a spelling back into its value, and an unknown spelling into undefined', () => {
    expect(enumValue(STATUS_NAMES, 'disabled')).toBe(2);
    expect(enumValue(STATUS_NAMES, 'Disabled')).toBeUndefined();
    expect(enumName(STATUS_NAMES, -1)).toBe('unknown_-1');
  });
});
