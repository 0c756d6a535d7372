/**
 * A key as the "List API keys" reference page documents it: integer enums, `api_key_id`,
 * limits nested in `constraints`. Protobuf JSON leaves unset fields out rather than sending
 * null, so a never-used key has no `last_used_at` and a key with no limits has `constraints: {}`.
 */
import type { SimKey } from './generator.js';

export interface ReferenceItem {
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

export function toReference(key: SimKey): ReferenceItem {
  const constraints: ReferenceItem['constraints'] = {};
  if (key.expires_at !== null) constraints.expires_at = key.expires_at;
  if (key.budget !== null) {
    constraints.budget = { period: key.budget.period, amount: key.budget.amount, token_limit: key.budget.token_limit };
  }
  if (key.rate_limit_rpm !== null) constraints.rate_limit = { requests_per_minute: key.rate_limit_rpm };

  const item: ReferenceItem = {
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
