import { describe, expect, it } from 'vitest';
import { generateKeys, makeKey } from '../../src/simulator/generator.js';
import { toRc } from '../../src/simulator/render-rc.js';
import { rcExpiryField } from '../../src/simulator/wire.js';

const USAGE = { amount: 12.5, tokens: 3000, requests: 4 };

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
});

const BARE = makeKey({
  api_key_id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z3',
  name: 'ml-batch-sa',
  owner: { kind: 'service_account', service_account_id: 'sa_1' },
  project_scope: { kind: 'all' },
  permission_mode: 3,
  token_prefix: 'eyJhbGciOi',
  status: 3,
  created_by_id: 'user_1',
  updated_by_id: 'user_1',
  created_at: '2023-01-01T00:00:00Z',
  updated_at: '2023-01-01T00:00:00Z',
  legacy_token_family: 3,
  legacy_key_id: 'legacy-123',
});

describe('toRc', () => {
  it('renders id, lowercase enums, flattened owner and scope, the expiry, the rate limit and consumption', () => {
    const expiry =
      rcExpiryField(FULL) === 'constraints'
        ? { constraints: { expires_at: '2025-07-01T00:00:00Z' } }
        : { expiration: '2025-07-01T00:00:00Z' };
    expect(toRc(FULL, 'ws_1', USAGE)).toEqual({
      id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z2',
      name: 'checkout-prod-2',
      workspace_id: 'ws_1',
      token: 'orq_sk_ab12****************',
      owner: { type: 'user', user_id: 'user_7' },
      project_scope: { mode: 'single', project_id: 'proj_checkout' },
      permission_mode: 'restricted',
      access: { deployments: 'read', datasets: 'write' },
      token_prefix: 'orq_sk_ab12',
      status: 'active',
      active: true,
      is_legacy: false,
      legacy_token_family: 'none',
      source: 'workspace',
      ...expiry,
      rate_limit: { requests_per_minute: 600 },
      created_by_id: 'user_7',
      updated_by_id: 'user_8',
      created: '2024-03-01T10:00:00Z',
      updated: '2024-04-01T10:00:00Z',
      last_used_at: '2025-05-31T23:00:00Z',
      consumption: 12.5,
      token_consumption: 3000,
      requests_per_minute_consumption: 4,
    });
  });

  it('has no budget, names no service account, and leaves unset fields out rather than null', () => {
    const item = toRc(BARE, 'ws_2', { amount: 0, tokens: 0, requests: 0 });
    expect(item).toEqual({
      id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z3',
      name: 'ml-batch-sa',
      workspace_id: 'ws_2',
      token: 'eyJhbGciOi****************',
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
      source: 'workspace',
      created_by_id: 'user_1',
      updated_by_id: 'user_1',
      created: '2023-01-01T00:00:00Z',
      updated: '2023-01-01T00:00:00Z',
      consumption: 0,
      token_consumption: 0,
      requests_per_minute_consumption: 0,
    });
    expect('budget' in toRc(FULL, 'ws', USAGE)).toBe(false);
  });

  it('writes no null anywhere and the expiry in exactly one of its two places, across a workspace', () => {
    const places = new Set<string>();
    for (const key of generateKeys({ count: 1_000, seed: 4, now: Date.UTC(2025, 5, 1) })) {
      const item = toRc(key, 'ws', USAGE);
      expect(JSON.stringify(item)).not.toContain('null');
      const where = [item.constraints?.expires_at === undefined ? [] : ['constraints'], item.expiration === undefined ? [] : ['expiration']].flat();
      expect(where.length).toBe(key.expires_at === null ? 0 : 1);
      for (const w of where) places.add(w);
    }
    expect(places).toEqual(new Set(['constraints', 'expiration']));
  });

  it.each([
    [0, 'unspecified', false],
    [1, 'active', true],
    [2, 'disabled', false],
    [3, 'revoked', false],
    [7, 'unknown_7', false],
  ])('spells status %i as %s (active %s)', (status, spelling, active) => {
    const item = toRc(makeKey({ status }), 'ws', USAGE);
    expect(item.status).toBe(spelling);
    expect(item.active).toBe(active);
  });

  it.each([
    [0, 'none', false, 'workspace'],
    [1, 'router_jwt', true, 'router'],
    [2, 'project_jwt', true, 'workspace'],
    [3, 'workspace_jwt', true, 'workspace'],
  ])('spells legacy family %i as %s (is_legacy %s, source %s)', (family, spelling, legacy, source) => {
    const item = toRc(makeKey({ legacy_token_family: family }), 'ws', USAGE);
    expect(item).toMatchObject({ legacy_token_family: spelling, is_legacy: legacy, source });
  });

  it.each([
    [0, 'unspecified'],
    [1, 'all'],
    [2, 'restricted'],
    [3, 'read_only'],
  ])('spells permission mode %i as %s', (mode, spelling) => {
    expect(toRc(makeKey({ permission_mode: mode }), 'ws', USAGE).permission_mode).toBe(spelling);
  });
});
