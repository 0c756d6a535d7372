import { describe, expect, it } from 'vitest';
import { parseApiKey as parseRecord } from '../../../src/orq/wire/api-key.js';
import { MAX_LABEL_LENGTH } from '../../../src/orq/wire/values.js';

const shapeA = {
  api_key_id: '01HZY3K8Q4T9V6W2X7Y5Z0A1B2',
  name: 'checkout-prod',
  owner: { user: { user_id: 'user_1' } },
  project_scope: { single: { project_id: 'proj_a' } },
  permission_mode: 2,
  access: { deployments: 'write' },
  token_prefix: 'orq_sk_ab12',
  status: 1,
  constraints: {
    expires_at: '2027-01-01T00:00:00Z',
    budget: { period: 3, amount: 250.5, token_limit: '1000000' },
    rate_limit: { requests_per_minute: 600 },
  },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-02-01T00:00:00Z',
  last_used_at: '2026-11-26T12:00:00.500Z',
  legacy_token_family: 0,
};

const shapeB = {
  id: '01HZY3K8Q4T9V6W2X7Y5Z0A1B3',
  name: 'ml-batch-sa',
  owner: { type: 'service_account' },
  project_scope: { mode: 'all' },
  permission_mode: 'read_only',
  status: 'disabled',
  active: false,
  is_legacy: true,
  legacy_token_family: 'project_jwt',
  workspace_id: 'ws_1',
  expiration: null,
  created: '2025-06-01T10:00:00+02:00',
  updated: '2025-06-02T10:00:00Z',
  rate_limit: { requests_per_minute: 60 },
  consumption: 12.5,
};

describe('parseRecord', () => {
  it('normalises a shape A record', () => {
    expect(parseRecord(shapeA)).toEqual({
      ok: true,
      key: {
        id: '01HZY3K8Q4T9V6W2X7Y5Z0A1B2',
        name: 'checkout-prod',
        status: 'active',
        ownerType: 'user',
        ownerId: 'user_1',
        projectScope: 'single',
        projectId: 'proj_a',
        permissionMode: 'restricted',
        legacyTokenFamily: 'none',
        tokenPrefix: 'orq_sk_ab12',
        createdAt: Date.parse('2026-01-01T00:00:00Z') / 1000,
        expiresAt: Date.parse('2027-01-01T00:00:00Z') / 1000,
        lastUsedAt: Date.parse('2026-11-26T12:00:00.500Z') / 1000,
        budget: { period: 'monthly', amount: 250.5, tokenLimit: 1_000_000 },
        rateLimitPerMinute: 600,
      },
    });
  });

  it('normalises a shape B record', () => {
    expect(parseRecord(shapeB)).toEqual({
      ok: true,
      key: {
        id: '01HZY3K8Q4T9V6W2X7Y5Z0A1B3',
        name: 'ml-batch-sa',
        status: 'disabled',
        ownerType: 'service_account',
        ownerId: '',
        projectScope: 'all',
        projectId: 'all',
        permissionMode: 'read_only',
        legacyTokenFamily: 'project_jwt',
        tokenPrefix: '',
        createdAt: Date.parse('2025-06-01T08:00:00Z') / 1000,
        expiresAt: null,
        lastUsedAt: null,
        budget: null,
        rateLimitPerMinute: 60,
      },
    });
  });

  it('takes the expiry from the top level too (newer revision)', () => {
    const r = parseRecord({ api_key_id: 'k', expires_at: '2030-01-01T00:00:00Z' });
    expect(r.ok && r.key.expiresAt).toBe(Date.parse('2030-01-01T00:00:00Z') / 1000);
  });

  it('reads protobuf JSON with zero values omitted as the zero names', () => {
    const r = parseRecord({ api_key_id: 'k' });
    expect(r).toMatchObject({
      ok: true,
      key: { status: 'unspecified', permissionMode: 'unspecified', legacyTokenFamily: 'none', ownerType: 'unspecified', projectScope: 'unspecified', projectId: '' },
    });
  });

  it('derives status from the shape B boolean when status is absent', () => {
    expect(parseRecord({ id: 'a', active: true })).toMatchObject({ key: { status: 'active' } });
    expect(parseRecord({ id: 'a', active: false })).toMatchObject({ key: { status: 'disabled' } });
  });

  it('marks a legacy key of unnamed family as unknown', () => {
    expect(parseRecord({ id: 'a', is_legacy: true })).toMatchObject({ key: { legacyTokenFamily: 'unknown' } });
  });

  it('keeps keys with unknown enum values, as unknown', () => {
    expect(parseRecord({ api_key_id: 'k', status: 9, permission_mode: 'superuser', legacy_token_family: -1 })).toMatchObject({
      ok: true,
      key: { status: 'unknown', permissionMode: 'unknown', legacyTokenFamily: 'unknown' },
    });
  });

  it('keeps a record with odd optional fields', () => {
    const r = parseRecord({
      api_key_id: 'k',
      name: 42,
      owner: 'someone',
      project_scope: [],
      constraints: { expires_at: 'soon', budget: { amount: 'lots' }, rate_limit: { requests_per_minute: Infinity } },
      last_used_at: {},
      created_at: true,
    });
    expect(r).toEqual({
      ok: true,
      key: expect.objectContaining({ name: '42', ownerType: 'unspecified', expiresAt: null, lastUsedAt: null, createdAt: null, budget: null, rateLimitPerMinute: null }),
    });
  });

  it.each([
    [null, 'not_an_object'],
    [[1], 'not_an_object'],
    ['k', 'not_an_object'],
    [{ name: 'no id' }, 'missing_id'],
    [{ api_key_id: '' }, 'missing_id'],
    [{ api_key_id: null, id: null }, 'missing_id'],
  ])('skips %j as %s', (item, reason) => {
    expect(parseRecord(item)).toEqual({ ok: false, reason });
  });

  it('bounds absurdly long strings', () => {
    const r = parseRecord({ api_key_id: 'k', name: 'x'.repeat(5000) });
    expect(r.ok && r.key.name.length).toBe(MAX_LABEL_LENGTH);
  });
});


/** A key as @orq-ai/node 4.15.11 receives it (bare-array list, protobuf constants). */
const sdkItem = {
  id: '01HZY3K8Q4T9V6W2X7Y5Z0A1C4',
  name: 'support-bot-prod-2',
  workspace_id: 'ws_1',
  token: 'sk-orq-…a1c4',
  owner: { user: { user_id: 'user_7' } },
  project_scope: { single: { project_id: 'proj_b' } },
  permission_mode: 'PERMISSION_MODE_READ_ONLY',
  status: 'API_KEY_STATUS_ACTIVE',
  active: true,
  is_legacy: false,
  legacy_token_family: 'LEGACY_TOKEN_FAMILY_UNSPECIFIED',
  token_prefix: 'orq_sk_x1',
  expiration: '2027-03-01T00:00:00Z',
  created: '2026-02-01T00:00:00Z',
  updated: '2026-02-02T00:00:00Z',
  last_used_at: '2026-11-30T08:00:00Z',
  budget: {
    budget_id: 'bud_1',
    limits: { period: 'BUDGET_PERIOD_WEEKLY', amount: 75, token_limit: 2_000_000 },
    rate_limit: { requests_per_minute: 90 },
    is_active: true,
  },
};

describe('parseApiKey on the SDK and release-candidate variants', () => {
  it('normalises an SDK record, top-level expiration, created and the embedded budget included', () => {
    expect(parseRecord(sdkItem)).toEqual({
      ok: true,
      key: {
        id: '01HZY3K8Q4T9V6W2X7Y5Z0A1C4',
        name: 'support-bot-prod-2',
        status: 'active',
        ownerType: 'user',
        ownerId: 'user_7',
        projectScope: 'single',
        projectId: 'proj_b',
        permissionMode: 'read_only',
        legacyTokenFamily: 'none',
        tokenPrefix: 'orq_sk_x1',
        createdAt: Date.parse('2026-02-01T00:00:00Z') / 1000,
        expiresAt: Date.parse('2027-03-01T00:00:00Z') / 1000,
        lastUsedAt: Date.parse('2026-11-30T08:00:00Z') / 1000,
        budget: { period: 'weekly', amount: 75, tokenLimit: 2_000_000 },
        rateLimitPerMinute: 90,
      },
    });
  });

  it('reads the embedded budget in camelCase too, and ignores an inactive one', () => {
    const camel = { ...sdkItem, budget: { budgetId: 'b', limits: { period: 'BUDGET_PERIOD_DAILY', tokenLimit: 10 }, rateLimit: { requestsPerMinute: 5 }, isActive: true } };
    expect(parseRecord(camel)).toMatchObject({ key: { budget: { period: 'daily', amount: null, tokenLimit: 10 }, rateLimitPerMinute: 5 } });
    const inactive = { ...sdkItem, budget: { ...sdkItem.budget, is_active: false } };
    expect(parseRecord(inactive)).toMatchObject({ key: { budget: null } });
  });

  it('prefers the key\'s own rate limit to its budget\'s', () => {
    expect(parseRecord({ ...sdkItem, constraints: { rate_limit: { requests_per_minute: 30 } } })).toMatchObject({ key: { rateLimitPerMinute: 30 } });
  });

  it.each([
    ['constraints.expires_at', { constraints: { expires_at: '2030-01-01T00:00:00Z' } }],
    ['expires_at', { expires_at: '2030-01-01T00:00:00Z' }],
    ['expiration', { expiration: '2030-01-01T00:00:00Z' }],
  ])('takes the expiry from %s', (_where, fields) => {
    expect(parseRecord({ id: 'k', ...fields })).toMatchObject({ key: { expiresAt: Date.parse('2030-01-01T00:00:00Z') / 1000 } });
  });

  it.each([
    ['created_at', { created_at: '2024-05-01T00:00:00Z' }],
    ['created', { created: '2024-05-01T00:00:00Z' }],
  ])('takes the creation time from %s', (_where, fields) => {
    expect(parseRecord({ id: 'k', ...fields })).toMatchObject({ key: { createdAt: Date.parse('2024-05-01T00:00:00Z') / 1000 } });
  });

  it.each([
    [{ user: { user_id: 'u1' } }, 'user', 'u1'],
    [{ type: 'user', user_id: 'u1' }, 'user', 'u1'],
    [{ type: 'OWNER_TYPE_USER', user_id: 'u1' }, 'user', 'u1'],
    [{ service_account: { service_account_id: 'sa1' } }, 'service_account', 'sa1'],
    [{ service_account: {} }, 'service_account', ''],
    [{ type: 'service_account' }, 'service_account', ''],
  ])('reads the owner %j', (owner, type, id) => {
    expect(parseRecord({ id: 'k', owner })).toMatchObject({ key: { ownerType: type, ownerId: id } });
  });

  it.each([
    [{ all: {} }, 'all', 'all'],
    [{ mode: 'all' }, 'all', 'all'],
    [{ single: { project_id: 'p1' } }, 'single', 'p1'],
    [{ mode: 'single', project_id: 'p1' }, 'single', 'p1'],
    [{ mode: 'PROJECT_SCOPE_MODE_SINGLE', project_id: 'p1' }, 'single', 'p1'],
  ])('reads the project scope %j', (scope, kind, id) => {
    expect(parseRecord({ id: 'k', project_scope: scope })).toMatchObject({ key: { projectScope: kind, projectId: id } });
  });

  it.each([
    [{}],
    [{ legacy_token_family: '' }],
    [{ legacy_token_family: 0 }],
    [{ legacy_token_family: 'none' }],
    [{ legacy_token_family: 'unspecified' }],
    [{ legacy_token_family: 'LEGACY_TOKEN_FAMILY_UNSPECIFIED' }],
    [{ legacy_token_family: 'LEGACY_TOKEN_FAMILY_NONE' }],
    [{ is_legacy: false }],
    [{ is_legacy: false, legacy_token_family: 'LEGACY_TOKEN_FAMILY_UNSPECIFIED' }],
  ])('a new key (%j) is of legacy family none, so the legacy-JWT alert stays quiet', (fields) => {
    expect(parseRecord({ id: 'k', ...fields })).toMatchObject({ key: { legacyTokenFamily: 'none' } });
  });

  it('a legacy key that names no family, in any zero spelling, is unknown, never none', () => {
    for (const family of [undefined, '', 'unspecified', 'LEGACY_TOKEN_FAMILY_UNSPECIFIED']) {
      expect(parseRecord({ id: 'k', is_legacy: true, legacy_token_family: family })).toMatchObject({ key: { legacyTokenFamily: 'unknown' } });
    }
  });
});

describe('parseApiKey with a share for repeated values', () => {
  it('passes the name, owner id and project id through it, and nothing else', () => {
    const passed: string[] = [];
    const share = (value: string): string => (passed.push(value), `shared:${value}`);
    const item = { id: 'k1', name: 'ci', owner: { type: 'service_account', id: 'sa_1' }, project_id: 'proj_1', token_prefix: 'sk-orq-k1', status: 'active' };
    const result = parseRecord(item, share);
    if (!result.ok) throw new Error('expected a key');
    expect(result.key).toMatchObject({ id: 'k1', name: 'shared:ci', ownerId: 'shared:sa_1', projectId: 'shared:proj_1', tokenPrefix: 'sk-orq-k1' });
    expect(passed.sort()).toEqual(['ci', 'proj_1', 'sa_1']);
  });
});
