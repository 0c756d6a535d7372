import { describe, expect, it } from 'vitest';
import { makeKey } from '../../src/simulator/generator.js';
import { KeyIndex, keyMatches, parseKeyFilters, type KeyFilters } from '../../src/simulator/key-listing.js';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

describe('parseKeyFilters', () => {
  it('reads nothing as no filter, and blank values as absent', () => {
    expect(parseKeyFilters(q(''))).toEqual({ ok: true, value: {} });
    expect(parseKeyFilters(q('project_id=&status=&search=%20&owner_type=&permission_mode=&source='))).toEqual({ ok: true, value: {} });
  });

  it('reads every filter of the SDK and the release candidate', () => {
    expect(
      parseKeyFilters(
        q('project_id=p1&status=API_KEY_STATUS_DISABLED&search=Check&owner_type=OWNER_TYPE_USER&owner_type=service_account&permission_mode=PERMISSION_MODE_READ_ONLY&source=router'),
      ),
    ).toEqual({
      ok: true,
      value: { projectId: 'p1', status: 2, search: 'check', ownerTypes: [1, 2], permissionModes: [3], source: 'router' },
    });
  });

  it.each(['1', 'active', 'API_KEY_STATUS_ACTIVE', 'api_key_status_active'])('reads status=%s as active', (status) => {
    expect(parseKeyFilters(new URLSearchParams({ status }))).toEqual({ ok: true, value: { status: 1 } });
  });

  it('takes status unspecified as no filter', () => {
    expect(parseKeyFilters(q('status=API_KEY_STATUS_UNSPECIFIED'))).toEqual({ ok: true, value: {} });
  });

  it.each(['status=gone', 'owner_type=robot', 'permission_mode=admin', 'source=elsewhere', 'status=9'])('refuses %s, naming the parameter', (query) => {
    const parsed = parseKeyFilters(q(query));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toMatch(new RegExp(`^${query.split('=')[0]}: unknown value`));
  });
});

describe('keyMatches', () => {
  const key = makeKey({
    name: 'Checkout-Prod-2',
    status: 2,
    owner: { kind: 'service_account' },
    permission_mode: 3,
    project_scope: { kind: 'single', project_id: 'p1' },
    legacy_token_family: 1,
  });

  it.each<[KeyFilters, boolean]>([
    [{}, true],
    [{ projectId: 'p1' }, true],
    [{ projectId: 'p2' }, false],
    [{ status: 2 }, true],
    [{ status: 1 }, false],
    [{ search: 'prod' }, true],
    [{ search: 'staging' }, false],
    [{ ownerTypes: [2] }, true],
    [{ ownerTypes: [1] }, false],
    [{ ownerTypes: [1, 2] }, true],
    [{ permissionModes: [1, 3] }, true],
    [{ permissionModes: [2] }, false],
    [{ source: 'router' }, true],
    [{ source: 'workspace' }, false],
    [{ projectId: 'p1', status: 2, search: 'checkout', ownerTypes: [2], permissionModes: [3], source: 'router' }, true],
  ])('%j: %s', (filters, expected) => {
    expect(keyMatches(key, filters)).toBe(expected);
  });

  it('never matches an all-project key to a project', () => {
    expect(keyMatches(makeKey({ project_scope: { kind: 'all' } }), { projectId: 'p1' })).toBe(false);
  });
});

describe('KeyIndex', () => {
  const keys = [
    makeKey({ api_key_id: '01HA0000000000000000000001', name: 'zeta', created_at: '2025-01-02T00:00:00Z', status: 1 }),
    makeKey({ api_key_id: '01HA0000000000000000000002', name: 'Alpha', created_at: '2025-01-01T00:00:00Z', status: 2 }),
    makeKey({ api_key_id: '01HA0000000000000000000003', name: 'alpha', created_at: '2025-01-02T00:00:00Z', status: 1 }),
    makeKey({ api_key_id: '01HA0000000000000000000004', name: 'alpha', created_at: 'not a time', status: 1 }),
  ];
  const index = new KeyIndex(keys);
  const idsOf = (list: readonly { api_key_id: string }[]): string[] => list.map((k) => k.api_key_id.slice(-1));

  it('orders newest first, then by id descending; an unreadable time sorts last', () => {
    expect(idsOf(index.newest().order)).toEqual(['3', '1', '2', '4']);
  });

  it('orders by name in code-unit order, then by id', () => {
    expect(idsOf(index.byName().order)).toEqual(['2', '3', '4', '1']);
  });

  it('filters each order, and gives the same view for the same filters', () => {
    expect(idsOf(index.view('newest', { status: 1 }))).toEqual(['3', '1', '4']);
    expect(idsOf(index.view('name', { status: 1 }))).toEqual(['3', '4', '1']);
    expect(index.view('name', { status: 1 })).toBe(index.view('name', { status: 1 }));
    expect(index.view('newest', {})).toBe(index.newest().order);
  });

  it('builds each order only when first asked for', () => {
    const lazy = new KeyIndex(keys);
    expect(lazy.list('name')).toBe(lazy.byName());
    expect(lazy.list('newest')).toBe(lazy.newest());
  });
});
