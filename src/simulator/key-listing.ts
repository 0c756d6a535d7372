/**
 * Which keys `GET /v2/api-keys` answers, in which order: the SDK's filters (project, status,
 * name search, owner types, permission modes, and the release candidate's source) over the
 * two orders the variants use, newest first and by name.
 */
import { OWNER_TYPE, PERMISSION_MODE, STATUS, describeEnum, parseEnumParam } from './enums.js';
import type { SimKey } from './generator.js';
import { RankedList, compareText, enumList, type Parsed } from './listing.js';
import { keySource } from './wire.js';

export interface KeyFilters {
  projectId?: string;
  status?: number;
  /** lowercased; matched as a substring of the name */
  search?: string;
  /** 1 user, 2 service account */
  ownerTypes?: number[];
  permissionModes?: number[];
  source?: 'workspace' | 'router';
}

export function parseKeyFilters(query: URLSearchParams): Parsed<KeyFilters> {
  const filters: KeyFilters = {};
  const projectId = query.get('project_id');
  if (projectId) filters.projectId = projectId;
  const status = query.get('status');
  if (status) {
    const value = parseEnumParam(STATUS, status);
    if (value === undefined) return { ok: false, message: `status: unknown value "${status}", expected one of ${describeEnum(STATUS)}` };
    if (value !== 0) filters.status = value;
  }
  const search = query.get('search')?.trim().toLowerCase();
  if (search) filters.search = search;
  const owners = enumList(query, 'owner_type', OWNER_TYPE);
  if (!owners.ok) return owners;
  if (owners.value !== undefined) filters.ownerTypes = owners.value;
  const modes = enumList(query, 'permission_mode', PERMISSION_MODE);
  if (!modes.ok) return modes;
  if (modes.value !== undefined) filters.permissionModes = modes.value;
  const source = query.get('source');
  if (source) {
    if (source !== 'workspace' && source !== 'router') return { ok: false, message: `source: unknown value "${source}"` };
    filters.source = source;
  }
  return { ok: true, value: filters };
}

export function keyMatches(key: SimKey, f: KeyFilters): boolean {
  if (f.status !== undefined && key.status !== f.status) return false;
  if (f.projectId !== undefined) {
    if (key.project_scope.kind !== 'single' || key.project_scope.project_id !== f.projectId) return false;
  }
  if (f.search !== undefined && !key.name.toLowerCase().includes(f.search)) return false;
  if (f.ownerTypes !== undefined && !f.ownerTypes.includes(key.owner.kind === 'user' ? 1 : 2)) return false;
  if (f.permissionModes !== undefined && !f.permissionModes.includes(key.permission_mode)) return false;
  if (f.source !== undefined && keySource(key) !== f.source) return false;
  return true;
}

/** A name for a filter set, for memoised views; undefined when nothing is filtered. */
function memoOf(f: KeyFilters): string | undefined {
  return Object.keys(f).length === 0 ? undefined : JSON.stringify(f);
}

/** A key set in the variants' two orders, each built on first use. */
export class KeyIndex {
  readonly keys: readonly SimKey[];
  private newestList: RankedList<SimKey> | undefined;
  private namedList: RankedList<SimKey> | undefined;

  constructor(keys: readonly SimKey[]) {
    this.keys = keys;
  }

  /** created_at descending, then id descending: how the reference and SDK variants page. */
  newest(): RankedList<SimKey> {
    if (this.newestList === undefined) {
      // Parsed once up front: Date.parse inside the comparator would run n log n times.
      const created = new Map<SimKey, number>();
      for (const key of this.keys) created.set(key, Date.parse(key.created_at) || 0);
      this.newestList = new RankedList(
        this.keys,
        (a, b) => (created.get(b) ?? 0) - (created.get(a) ?? 0) || compareText(b.api_key_id, a.api_key_id),
        (key) => key.api_key_id,
      );
    }
    return this.newestList;
  }

  /** By name, then id: the release candidate's order. */
  byName(): RankedList<SimKey> {
    this.namedList ??= new RankedList(
      this.keys,
      (a, b) => compareText(a.name, b.name) || compareText(a.api_key_id, b.api_key_id),
      (key) => key.api_key_id,
    );
    return this.namedList;
  }

  list(order: 'newest' | 'name'): RankedList<SimKey> {
    return order === 'newest' ? this.newest() : this.byName();
  }

  view(order: 'newest' | 'name', filters: KeyFilters): readonly SimKey[] {
    return this.list(order).view(memoOf(filters), (key) => keyMatches(key, filters));
  }
}
