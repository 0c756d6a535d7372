import { describe, expect, it } from 'vitest';
import { parseEnum, parsePage, parseRecord, parseTimestamp, MAX_LABEL_LENGTH } from '../../src/orq/records.js';
import { KEY_STATUSES, LEGACY_TOKEN_FAMILIES } from '../../src/orq/api-key.js';

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

describe('parsePage', () => {
  it('reads shape A lists with has_more', () => {
    expect(parsePage({ object: 'list', data: [1, 2], has_more: true })).toEqual({ ok: true, items: [1, 2], hasMore: true, paginated: true });
    expect(parsePage({ object: 'list', data: [] })).toEqual({ ok: true, items: [], hasMore: false, paginated: true });
  });
  it('reads a shape B bare array as the complete list', () => {
    expect(parsePage([{ id: 'a' }])).toEqual({ ok: true, items: [{ id: 'a' }], hasMore: false, paginated: false });
  });
  it.each([
    [null, 'expected a JSON object or array, got null'],
    ['list', 'expected a JSON object or array, got a string'],
    [{ items: 5 }, 'expected "data" to be an array, got nothing'],
    [{ data: {} }, 'expected "data" to be an array, got an object'],
    [{ data: [], has_more: 'yes' }, 'expected "has_more" to be a boolean, got a string'],
  ])('refuses %j', (body, problem) => {
    expect(parsePage(body)).toEqual({ ok: false, problem });
  });
});

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

describe('parseEnum', () => {
  it.each([
    [1, 'active'],
    [3, 'revoked'],
    [4, 'unknown'],
    [1.5, 'unknown'],
    ['ACTIVE', 'active'],
    ['API_KEY_STATUS_REVOKED', 'revoked'],
    ['2', 'disabled'],
    ['', 'unspecified'],
    [undefined, 'unspecified'],
    [true, 'unknown'],
    ['paused', 'unknown'],
  ])('status %j is %s', (value, name) => {
    expect(parseEnum(value, KEY_STATUSES)).toBe(name);
  });
  it('prefers the longest matching suffix', () => {
    expect(parseEnum('LEGACY_TOKEN_FAMILY_WORKSPACE_JWT', LEGACY_TOKEN_FAMILIES)).toBe('workspace_jwt');
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2026-11-27T00:00:00Z', 1795737600],
    ['2026-11-27T01:00:00+01:00', 1795737600],
    ['2026-11-27', 1795737600],
    [1795737600, 1795737600],
    [1795737600123, 1795737600.123],
    [{ seconds: '1795737600', nanos: 500_000_000 }, 1795737600.5],
  ])('%j is %d', (value, seconds) => {
    expect(parseTimestamp(value)).toBeCloseTo(seconds, 6);
  });
  it.each([['yesterday'], ['1'], ['+275760-09-13T00:00:01Z'], ['9999-99-99T00:00:00Z'], [NaN], [1e300], [null], [[]]])('%j is no time', (value) => {
    expect(parseTimestamp(value)).toBeNull();
  });
});
