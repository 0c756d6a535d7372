import { describe, expect, it } from 'vitest';
import { makeKey } from '../../src/simulator/generator.js';
import { toReference } from '../../src/simulator/render-reference.js';

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

describe('toReference', () => {
  it('renders every documented field, with constraints nested and integer enums', () => {
    expect(toReference(FULL)).toEqual({
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
    const item = toReference(BARE);
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
    expect('legacy_key_id' in toReference(FULL)).toBe(false);
  });

  it('puts a service account id inside service_account when there is one', () => {
    const key = makeKey({ owner: { kind: 'service_account', service_account_id: 'sa_9' } });
    expect(toReference(key).owner).toEqual({ service_account: { service_account_id: 'sa_9' } });
  });

  it('keeps only the constraint parts that are set', () => {
    expect(toReference(makeKey({ rate_limit_rpm: 30 })).constraints).toEqual({ rate_limit: { requests_per_minute: 30 } });
    expect(toReference(makeKey({ expires_at: '2026-01-01T00:00:00Z' })).constraints).toEqual({
      expires_at: '2026-01-01T00:00:00Z',
    });
  });

  it('passes enum values it does not know through unchanged', () => {
    const item = toReference(makeKey({ status: 7, permission_mode: 9, legacy_token_family: 5 }));
    expect([item.status, item.permission_mode, item.legacy_token_family]).toEqual([7, 9, 5]);
  });

  it('does not share the access map with the key', () => {
    const item = toReference(FULL);
    item.access['x'] = 'write';
    expect(FULL.access).toEqual({ deployments: 'read', datasets: 'write' });
  });

  it('keeps the legacy budget to its three fields, whatever the budgets API adds to it', () => {
    const key = makeKey({
      budget: {
        period: 1,
        amount: 5,
        token_limit: '100',
        budget_id: '01HBUDGET00000000000000000',
        is_active: false,
        rate_limit_rpm: 9,
        usage: { amount: 1, tokens: 2, requests: 3 },
        alerts: [],
      },
    });
    expect(toReference(key).constraints).toEqual({ budget: { period: 1, amount: 5, token_limit: '100' } });
  });
});
