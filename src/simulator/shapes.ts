/**
 * The two wire shapes of a key in `GET /v2/api-keys` (see shared/orq-api.md): shape A as
 * documented, shape B as the live service has been seen to answer. Pure, so tests can pin
 * every field the exporter's parser will meet.
 */
import type { SimKey } from './generator.js';

export const STATUS_NAMES = ['unspecified', 'active', 'disabled', 'revoked'] as const;
export const PERMISSION_MODE_NAMES = ['unspecified', 'all', 'restricted', 'read_only'] as const;
export const LEGACY_FAMILY_NAMES = ['none', 'router_jwt', 'project_jwt', 'workspace_jwt'] as const;
export const BUDGET_PERIOD_NAMES = ['unspecified', 'daily', 'weekly', 'monthly', 'yearly', 'one_time'] as const;

/**
 * The lowercase spelling of an enum value. Values the table does not know still get a
 * stable spelling, because the service adds enum values over time and the exporter must
 * survive meeting one.
 */
export function enumName(names: readonly string[], value: number): string {
  return names[value] ?? `unknown_${value}`;
}

/** The integer an enum spelling stands for, or undefined when it is not one. */
export function enumValue(names: readonly string[], spelling: string): number | undefined {
  const i = names.indexOf(spelling);
  return i === -1 ? undefined : i;
}

export interface ShapeAItem {
  api_key_id: string;
  name: string;
  owner: { user: { user_id: string } } | { service_account: { service_account_id?: string } };
  project_scope: { all: Record<string, never> } | { single: { project_id: string } };
  permission_mode: number;
  access: Record<string, string>;
  token_prefix: string;
  status: number;
  constraints: {
    expires_at?: string;
    budget?: { period: number; amount: number; token_limit: string };
    rate_limit?: { requests_per_minute: number };
  };
  created_by_id: string;
  updated_by_id: string;
  created_at: string;
  updated_at: string;
  last_used_at?: string;
  legacy_token_family: number;
  legacy_key_id?: string;
}

export interface ShapeBItem {
  id: string;
  name: string;
  workspace_id: string;
  owner: { type: 'user'; user_id: string } | { type: 'service_account' };
  project_scope: { mode: 'all' } | { mode: 'single'; project_id: string };
  permission_mode: string;
  access: Record<string, string>;
  token_prefix: string;
  status: string;
  active: boolean;
  is_legacy: boolean;
  legacy_token_family: string;
  legacy_key_id: string | null;
  expiration: string | null;
  rate_limit?: { requests_per_minute: number };
  created_by_id: string;
  updated_by_id: string;
  created: string;
  updated: string;
  last_used_at: string | null;
  consumption: number;
  token_consumption: number;
  requests_per_minute_consumption: number;
}

/**
 * Shape A as protobuf JSON writes it: unset fields are left out rather than sent as null,
 * so a never-used key has no `last_used_at` and a key with no limits has `constraints: {}`.
 */
export function toShapeA(key: SimKey): ShapeAItem {
  const constraints: ShapeAItem['constraints'] = {};
  if (key.expires_at !== null) constraints.expires_at = key.expires_at;
  if (key.budget !== null) {
    constraints.budget = { period: key.budget.period, amount: key.budget.amount, token_limit: key.budget.token_limit };
  }
  if (key.rate_limit_rpm !== null) constraints.rate_limit = { requests_per_minute: key.rate_limit_rpm };

  const item: ShapeAItem = {
    api_key_id: key.api_key_id,
    name: key.name,
    owner:
      key.owner.kind === 'user'
        ? { user: { user_id: key.owner.user_id } }
        : {
            service_account:
              key.owner.service_account_id === undefined ? {} : { service_account_id: key.owner.service_account_id },
          },
    project_scope:
      key.project_scope.kind === 'all' ? { all: {} } : { single: { project_id: key.project_scope.project_id } },
    permission_mode: key.permission_mode,
    access: { ...key.access },
    token_prefix: key.token_prefix,
    status: key.status,
    constraints,
    created_by_id: key.created_by_id,
    updated_by_id: key.updated_by_id,
    created_at: key.created_at,
    updated_at: key.updated_at,
    legacy_token_family: key.legacy_token_family,
  };
  if (key.last_used_at !== null) item.last_used_at = key.last_used_at;
  if (key.legacy_key_id !== null) item.legacy_key_id = key.legacy_key_id;
  return item;
}

/** Stable per-key numbers in [0, 1) so consumption looks varied yet never changes between polls. */
function unitHash(id: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

/**
 * Shape B: budgets live in a separate API here, so the key carries only how much it has
 * consumed. A key never used has consumed nothing.
 */
export function toShapeB(key: SimKey, workspaceId: string): ShapeBItem {
  const used = key.last_used_at !== null;
  const item: ShapeBItem = {
    id: key.api_key_id,
    name: key.name,
    workspace_id: workspaceId,
    owner: key.owner.kind === 'user' ? { type: 'user', user_id: key.owner.user_id } : { type: 'service_account' },
    project_scope:
      key.project_scope.kind === 'all' ? { mode: 'all' } : { mode: 'single', project_id: key.project_scope.project_id },
    permission_mode: enumName(PERMISSION_MODE_NAMES, key.permission_mode),
    access: { ...key.access },
    token_prefix: key.token_prefix,
    status: enumName(STATUS_NAMES, key.status),
    active: key.status === 1,
    is_legacy: key.legacy_token_family !== 0,
    legacy_token_family: enumName(LEGACY_FAMILY_NAMES, key.legacy_token_family),
    legacy_key_id: key.legacy_key_id,
    expiration: key.expires_at,
    created_by_id: key.created_by_id,
    updated_by_id: key.updated_by_id,
    created: key.created_at,
    updated: key.updated_at,
    last_used_at: key.last_used_at,
    consumption: used ? Math.round(unitHash(key.api_key_id, 1) * (key.budget?.amount ?? 100) * 100) / 100 : 0,
    token_consumption: used ? Math.floor(unitHash(key.api_key_id, 2) * 2_000_000) : 0,
    requests_per_minute_consumption: used
      ? Math.floor(unitHash(key.api_key_id, 3) * (key.rate_limit_rpm ?? 120))
      : 0,
  };
  if (key.rate_limit_rpm !== null) item.rate_limit = { requests_per_minute: key.rate_limit_rpm };
  return item;
}
