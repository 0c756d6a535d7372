/**
 * Turns what `GET /v2/api-keys` returns into ApiKey records. Every quirk of the upstream
 * lives here: two response shapes (a `{data, has_more}` list, or a bare array), integer or
 * string enums, renamed fields, protobuf JSON that omits zero values. These are pure
 * functions over `unknown`: they never throw, whatever the input.
 */
import {
  ALL_PROJECTS,
  BUDGET_PERIODS,
  KEY_STATUSES,
  LEGACY_TOKEN_FAMILIES,
  OWNER_TYPES,
  PERMISSION_MODES,
  type ApiKey,
  type Budget,
  type Known,
  type OwnerType,
  type ProjectScope,
} from './api-key.js';
import type { SkipReason } from '../exposition/families.js';
import { describe, isObject, type JsonObject } from '../util/json.js';

type Json = JsonObject;

export type PageResult =
  | { readonly ok: true; readonly items: readonly unknown[]; readonly hasMore: boolean; readonly paginated: boolean }
  | { readonly ok: false; readonly problem: string };

export type RecordResult =
  | { readonly ok: true; readonly key: ApiKey }
  | { readonly ok: false; readonly reason: SkipReason };

/** Label values are bounded so one absurd upstream string cannot bloat every scrape. */
export const MAX_LABEL_LENGTH = 1024;

export function parsePage(body: unknown): PageResult {
  if (Array.isArray(body)) {
    // Shape B: the whole list at once, no cursor.
    return { ok: true, items: body, hasMore: false, paginated: false };
  }
  if (!isObject(body)) {
    return { ok: false, problem: `expected a JSON object or array, got ${describe(body)}` };
  }
  const data = body['data'];
  if (!Array.isArray(data)) {
    return { ok: false, problem: `expected "data" to be an array, got ${describe(data)}` };
  }
  const hasMore = body['has_more'];
  if (hasMore !== undefined && hasMore !== null && typeof hasMore !== 'boolean') {
    return { ok: false, problem: `expected "has_more" to be a boolean, got ${describe(hasMore)}` };
  }
  return { ok: true, items: data, hasMore: hasMore === true, paginated: true };
}

export function parseRecord(item: unknown): RecordResult {
  if (!isObject(item)) return { ok: false, reason: 'not_an_object' };
  const id = text(item['api_key_id']) || text(item['id']);
  if (id === '') return { ok: false, reason: 'missing_id' };

  const constraints = objectAt(item, 'constraints');
  const owner = parseOwner(item['owner']);
  const scope = parseProjectScope(item['project_scope'], item['project_id']);

  const key: ApiKey = {
    id,
    name: text(item['name']),
    status: parseStatus(item),
    ownerType: owner.type,
    ownerId: owner.id,
    projectScope: scope.scope,
    projectId: scope.projectId,
    permissionMode: parseEnum(item['permission_mode'], PERMISSION_MODES),
    legacyTokenFamily: parseLegacyFamily(item),
    tokenPrefix: text(item['token_prefix']),
    createdAt: parseTimestamp(firstPresent(item['created_at'], item['created'])),
    expiresAt: parseTimestamp(
      firstPresent(constraints?.['expires_at'], item['expires_at'], item['expiration'], item['expires']),
    ),
    lastUsedAt: parseTimestamp(firstPresent(item['last_used_at'], item['last_used'])),
    budget: parseBudget(firstPresent(constraints?.['budget'], item['budget'])),
    rateLimitPerMinute: parseRateLimit(firstPresent(constraints?.['rate_limit'], item['rate_limit'])),
  };
  return { ok: true, key };
}

/**
 * Integer enums index the table; string enums may be the lowercase name, the protobuf
 * constant (`API_KEY_STATUS_ACTIVE`) or a numeric string. Absent means the zero value,
 * because protobuf JSON omits zero values.
 */
export function parseEnum<T extends readonly string[]>(value: unknown, table: T): Known<T> {
  if (value === undefined || value === null) return table[0] as Known<T>;
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value < table.length ? (table[value] as Known<T>) : 'unknown';
  }
  if (typeof value !== 'string') return 'unknown';
  const raw = value.trim().toLowerCase();
  if (raw === '') return table[0] as Known<T>;
  if (/^\d+$/.test(raw)) return parseEnum(Number(raw), table);
  let match: string | undefined;
  for (const name of table) {
    if (raw === name) return name as Known<T>;
    if (raw.endsWith(`_${name}`) && (match === undefined || name.length > match.length)) match = name;
  }
  return (match as Known<T> | undefined) ?? 'unknown';
}

function parseStatus(item: Json): Known<typeof KEY_STATUSES> {
  const status = item['status'];
  const active = item['active'];
  // Shape B may carry only the boolean.
  if ((status === undefined || status === null) && typeof active === 'boolean') {
    return active ? 'active' : 'disabled';
  }
  return parseEnum(status, KEY_STATUSES);
}

function parseLegacyFamily(item: Json): Known<typeof LEGACY_TOKEN_FAMILIES> {
  const family = item['legacy_token_family'];
  if ((family === undefined || family === null) && item['is_legacy'] === true) return 'unknown';
  return parseEnum(family, LEGACY_TOKEN_FAMILIES);
}

function parseOwner(value: unknown): { type: OwnerType; id: string } {
  if (!isObject(value)) return { type: 'unspecified', id: '' };
  if (value['type'] !== undefined) {
    // Shape B: {type: "user"|"service_account", user_id?}
    return {
      type: parseEnum(value['type'], OWNER_TYPES),
      id: text(value['user_id']) || text(value['service_account_id']) || text(value['id']),
    };
  }
  const user = value['user'];
  if (user !== undefined && user !== null) {
    return { type: 'user', id: isObject(user) ? text(user['user_id']) || text(user['id']) : '' };
  }
  const account = value['service_account'];
  if (account !== undefined && account !== null) {
    const id = isObject(account) ? text(account['service_account_id']) || text(account['id']) : '';
    return { type: 'service_account', id };
  }
  return { type: Object.keys(value).length === 0 ? 'unspecified' : 'unknown', id: '' };
}

function parseProjectScope(value: unknown, topLevelProjectId: unknown): { scope: ProjectScope; projectId: string } {
  const fallbackId = text(topLevelProjectId);
  if (!isObject(value)) {
    return fallbackId === ''
      ? { scope: 'unspecified', projectId: '' }
      : { scope: 'single', projectId: fallbackId };
  }
  if (value['mode'] !== undefined) {
    // Shape B: {mode: "all"|"single", project_id?}
    const scope = parseEnum(value['mode'], ['unspecified', 'all', 'single'] as const);
    const projectId = scope === 'all' ? ALL_PROJECTS : text(value['project_id']) || fallbackId;
    return { scope, projectId };
  }
  if (value['all'] !== undefined && value['all'] !== null) return { scope: 'all', projectId: ALL_PROJECTS };
  const single = value['single'];
  if (single !== undefined && single !== null) {
    return { scope: 'single', projectId: (isObject(single) ? text(single['project_id']) : '') || fallbackId };
  }
  return { scope: Object.keys(value).length === 0 ? 'unspecified' : 'unknown', projectId: fallbackId };
}

function parseBudget(value: unknown): Budget | null {
  if (!isObject(value)) return null;
  const amount = parseNumber(value['amount']);
  const tokenLimit = parseNumber(value['token_limit']);
  if (amount === null && tokenLimit === null) return null;
  return { period: parseEnum(value['period'], BUDGET_PERIODS), amount, tokenLimit };
}

function parseRateLimit(value: unknown): number | null {
  if (isObject(value)) return parseNumber(value['requests_per_minute']);
  return null;
}

/** Finite numbers only: protobuf int64 arrives as a string, and NaN or Infinity is no value. */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;
/** Any epoch number above this is taken as milliseconds (it is the year 5138 in seconds). */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * Unix seconds from an RFC 3339 string, an epoch number (seconds or milliseconds) or a
 * protobuf Timestamp object; null for anything else, including dates JavaScript cannot hold.
 */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'string') {
    const raw = value.trim();
    if (!RFC3339.test(raw)) return null;
    const ms = Date.parse(raw);
    return Number.isFinite(ms) ? ms / 1000 : null;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const seconds = Math.abs(value) >= MILLISECONDS_THRESHOLD ? value / 1000 : value;
    return Number.isFinite(new Date(seconds * 1000).getTime()) ? seconds : null;
  }
  if (isObject(value)) {
    const seconds = parseNumber(value['seconds']);
    if (seconds === null) return null;
    const nanos = parseNumber(value['nanos']) ?? 0;
    return parseTimestamp(seconds + nanos / 1e9);
  }
  return null;
}

function text(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number' && Number.isFinite(value)) s = String(value);
  else return '';
  return wellFormed(s.length > MAX_LABEL_LENGTH ? s.slice(0, MAX_LABEL_LENGTH) : s);
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Lone surrogates (JSON allows "\ud800") become U+FFFD here, as UTF-8 would write them anyway:
 * otherwise "\ud800" and "\udfff" are two ids in JavaScript but one series on the wire, and a
 * scrape would carry the same series twice. The cut at MAX_LABEL_LENGTH can split a pair too.
 */
function wellFormed(s: string): string {
  return SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}

function firstPresent(...values: unknown[]): unknown {
  for (const v of values) if (v !== undefined && v !== null) return v;
  return undefined;
}

function objectAt(value: Json, key: string): Json | undefined {
  const v = value[key];
  return isObject(v) ? v : undefined;
}

