/**
 * One item of `GET /v2/api-keys` into an ApiKey, whichever of the three wire variants it came
 * in (shared/orq-api.md): `api_key_id` or `id`, integer or string enums, owner and project
 * scope in both object forms, expiry from `constraints.expires_at`, `expires_at` or
 * `expiration`, creation from `created_at` or `created`, a budget from `constraints.budget` or
 * the top-level `budget` that include_budget adds. Pure; never throws, whatever the input.
 */
import {
  ALL_PROJECTS,
  BUDGET_PERIODS,
  KEY_STATUSES,
  LEGACY_TOKEN_FAMILIES,
  OWNER_TYPES,
  PERMISSION_MODES,
  PROJECT_SCOPES,
  type ApiKey,
  type Budget,
  type Known,
  type OwnerType,
  type ProjectScope,
  type SkipReason,
} from '../api-key.js';
import { isObject, type JsonObject } from '../../util/json.js';
import { parseEnum } from './enums.js';
import { field, firstPresent, objectAt, parseNumber, parseTimestamp, text } from './values.js';

export type ApiKeyResult = { readonly ok: true; readonly key: ApiKey } | { readonly ok: false; readonly reason: SkipReason };

/** The id a cursor continues after; '' when the item has none. */
export function apiKeyId(item: unknown): string {
  return isObject(item) ? text(item['api_key_id']) || text(item['id']) : '';
}

/**
 * `share` takes the values many keys repeat (names, owner ids, project ids) and may hand back
 * an equal string seen before: JSON.parse makes a new string for every occurrence, and a
 * workspace of service accounts would otherwise hold one owner id per key.
 */
export function parseApiKey(item: unknown, share: (value: string) => string = (value) => value): ApiKeyResult {
  if (!isObject(item)) return { ok: false, reason: 'not_an_object' };
  const id = apiKeyId(item);
  if (id === '') return { ok: false, reason: 'missing_id' };

  const constraints = objectAt(item, 'constraints');
  const owner = parseOwner(item['owner']);
  const scope = parseProjectScope(item['project_scope'], item['project_id']);
  const embedded = firstPresent(constraints?.['budget'], item['budget']);

  const key: ApiKey = {
    id,
    name: share(text(item['name'])),
    status: parseStatus(item),
    ownerType: owner.type,
    ownerId: share(owner.id),
    projectScope: scope.scope,
    projectId: share(scope.projectId),
    permissionMode: parseEnum(item['permission_mode'], PERMISSION_MODES),
    legacyTokenFamily: parseLegacyFamily(item),
    tokenPrefix: text(item['token_prefix']),
    createdAt: parseTimestamp(firstPresent(item['created_at'], item['created'])),
    expiresAt: parseTimestamp(firstPresent(constraints?.['expires_at'], item['expires_at'], item['expiration'], item['expires'])),
    lastUsedAt: parseTimestamp(firstPresent(item['last_used_at'], item['last_used'])),
    budget: parseEmbeddedBudget(embedded),
    rateLimitPerMinute: requestsPerMinute(
      firstPresent(constraints?.['rate_limit'], item['rate_limit'], isObject(embedded) ? field(embedded, 'rateLimit', 'rate_limit') : undefined),
    ),
  };
  return { ok: true, key };
}

function parseStatus(item: JsonObject): Known<typeof KEY_STATUSES> {
  const status = item['status'];
  const active = item['active'];
  // The release candidate may carry only the boolean.
  if ((status === undefined || status === null) && typeof active === 'boolean') return active ? 'active' : 'disabled';
  return parseEnum(status, KEY_STATUSES);
}

function parseLegacyFamily(item: JsonObject): Known<typeof LEGACY_TOKEN_FAMILIES> {
  const family = parseEnum(item['legacy_token_family'], LEGACY_TOKEN_FAMILIES);
  // A legacy key whose family is not said is still legacy: unknown, never none.
  if (family === 'none' && item['is_legacy'] === true) return 'unknown';
  return family;
}

function parseOwner(value: unknown): { type: OwnerType; id: string } {
  if (!isObject(value)) return { type: 'unspecified', id: '' };
  if (value['type'] !== undefined) {
    // Release candidate: {type: "user"|"service_account", user_id?}
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
    return fallbackId === '' ? { scope: 'unspecified', projectId: '' } : { scope: 'single', projectId: fallbackId };
  }
  if (value['mode'] !== undefined) {
    // Release candidate: {mode: "all"|"single", project_id?}
    const scope = parseEnum(value['mode'], PROJECT_SCOPES);
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

/**
 * The reference page's flat `{period, amount, token_limit}`, or the budget object that
 * include_budget embeds (`{budget_id, limits: {...}, is_active}`, in either case). An inactive
 * budget limits nothing, so it is no budget.
 */
function parseEmbeddedBudget(value: unknown): Budget | null {
  if (!isObject(value)) return null;
  if (field(value, 'isActive', 'is_active') === false) return null;
  const limits = objectAt(value, 'limits') ?? value;
  const amount = parseNumber(limits['amount']);
  const tokenLimit = parseNumber(field(limits, 'tokenLimit', 'token_limit'));
  if (amount === null && tokenLimit === null) return null;
  return { period: parseEnum(limits['period'], BUDGET_PERIODS), amount, tokenLimit };
}

function requestsPerMinute(value: unknown): number | null {
  return isObject(value) ? parseNumber(field(value, 'requestsPerMinute', 'requests_per_minute')) : null;
}
