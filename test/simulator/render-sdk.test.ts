import { describe, expect, it } from 'vitest';
import { generateKeys, makeKey, type SimKey } from '../../src/simulator/generator.js';
import { toSdk } from '../../src/simulator/render-sdk.js';
import { sdkExpiryField, zeroFamilySpelling } from '../../src/simulator/wire.js';

/** A key with every field set; which expiry field and zero spelling it gets is the key id's. */
function full(id: string): SimKey {
  return makeKey({
    api_key_id: id,
    name: 'checkout-prod-2',
    owner: { kind: 'user', user_id: 'user_7' },
    project_scope: { kind: 'single', project_id: 'proj_checkout' },
    permission_mode: 2,
    access: { deployments: 'read' },
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
}

describe('toSdk', () => {
  it('renders id, workspace, masked token, protobuf-constant enums, owner and scope objects, created/updated', () => {
    const key = full('01HV5XQ2Z6M8N0P2R4T6V8X0Z2');
    const item = toSdk(key, 'ws_1');
    const { legacy_token_family: family, ...rest } = item;
    expect(rest).toEqual({
      id: '01HV5XQ2Z6M8N0P2R4T6V8X0Z2',
      name: 'checkout-prod-2',
      workspace_id: 'ws_1',
      token: 'orq_sk_ab12****************',
      owner: { user: { user_id: 'user_7' } },
      project_scope: { single: { project_id: 'proj_checkout' } },
      permission_mode: 'PERMISSION_MODE_RESTRICTED',
      access: { deployments: 'read' },
      token_prefix: 'orq_sk_ab12',
      status: 'API_KEY_STATUS_ACTIVE',
      active: true,
      is_legacy: false,
      source: 'workspace',
      [sdkExpiryField(key)]: '2025-07-01T00:00:00Z',
      created_by_id: 'user_7',
      updated_by_id: 'user_8',
      created: '2024-03-01T10:00:00Z',
      updated: '2024-04-01T10:00:00Z',
      last_used_at: '2025-05-31T23:00:00Z',
    });
    expect(family).toBe(zeroFamilySpelling(key));
  });

  it('has no budget, constraints or consumption of its own: those come with include_budget or /v2/budgets', () => {
    const item = toSdk(full('01HV5XQ2Z6M8N0P2R4T6V8X0Z2'), 'ws');
    for (const field of ['budget', 'constraints', 'rate_limit', 'consumption', 'api_key_id', 'created_at']) {
      expect(field in item).toBe(false);
    }
  });

  it('leaves every unset field out, never null, across a generated workspace', () => {
    for (const key of generateKeys({ count: 1_000, seed: 8, now: Date.UTC(2025, 5, 1) })) {
      const item = toSdk(key, 'ws');
      expect(Object.values(item)).not.toContain(null);
      expect(Object.values(item)).not.toContain(undefined);
      expect('expiration' in item || 'expires_at' in item).toBe(key.expires_at !== null);
      expect('last_used_at' in item).toBe(key.last_used_at !== null);
      expect('legacy_key_id' in item).toBe(key.legacy_key_id !== null);
    }
  });

  it('puts the expiry in `expiration` for some keys and `expires_at` for others, never both', () => {
    const keys = generateKeys({ count: 400, seed: 2, now: Date.UTC(2025, 5, 1) }).filter((k) => k.expires_at !== null);
    const fields = keys.map((k) => Object.keys(toSdk(k, 'ws')).filter((f) => f === 'expiration' || f === 'expires_at'));
    expect(fields.every((f) => f.length === 1)).toBe(true);
    expect(new Set(fields.flat())).toEqual(new Set(['expiration', 'expires_at']));
  });

  it.each([
    [1, 'LEGACY_TOKEN_FAMILY_ROUTER_JWT', 'router'],
    [2, 'LEGACY_TOKEN_FAMILY_PROJECT_JWT', 'workspace'],
    [3, 'LEGACY_TOKEN_FAMILY_WORKSPACE_JWT', 'workspace'],
    [6, 'LEGACY_TOKEN_FAMILY_UNKNOWN_6', 'workspace'],
  ])('spells legacy family %i as %s, is_legacy, source %s', (family, spelling, source) => {
    const item = toSdk(makeKey({ legacy_token_family: family, legacy_key_id: 'legacy-1' }), 'ws');
    expect(item).toMatchObject({ legacy_token_family: spelling, is_legacy: true, source, legacy_key_id: 'legacy-1' });
  });

  it('lists a legacy single-project key’s project in `projects`, and no list for new or all-project keys', () => {
    const single = { kind: 'single', project_id: 'p1' } as const;
    expect(toSdk(makeKey({ legacy_token_family: 2, project_scope: single }), 'ws').projects).toEqual(['p1']);
    expect('projects' in toSdk(makeKey({ legacy_token_family: 3, project_scope: { kind: 'all' } }), 'ws')).toBe(false);
    expect('projects' in toSdk(makeKey({ project_scope: single }), 'ws')).toBe(false);
  });

  it.each([
    [0, 'API_KEY_STATUS_UNSPECIFIED', false],
    [2, 'API_KEY_STATUS_DISABLED', false],
    [3, 'API_KEY_STATUS_REVOKED', false],
    [7, 'API_KEY_STATUS_UNKNOWN_7', false],
  ])('spells status %i as %s (active %s)', (status, spelling, active) => {
    expect(toSdk(makeKey({ status }), 'ws')).toMatchObject({ status: spelling, active });
  });

  it('writes a service account as {service_account:{...}}, with its id when it has one, and all projects as {all:{}}', () => {
    const item = toSdk(makeKey({ owner: { kind: 'service_account', service_account_id: 'sa_1' }, project_scope: { kind: 'all' } }), 'ws');
    expect(item.owner).toEqual({ service_account: { service_account_id: 'sa_1' } });
    expect(item.project_scope).toEqual({ all: {} });
    expect(toSdk(makeKey({ owner: { kind: 'service_account' } }), 'ws').owner).toEqual({ service_account: {} });
  });
});
