/**
 * A key as the 4.16 release candidate and orq's CLI read it: `id`, lowercase enums, owner
 * `{type, user_id?}`, scope `{mode, project_id?}`, the expiry in `constraints.expires_at` or
 * a top-level `expiration`, and what the key consumed; no budget (that is /v2/budgets' job).
 * Unset fields are left out: the release candidate's schema refuses null as the SDK's does.
 */
import { LEGACY_FAMILY_NAMES, PERMISSION_MODE_NAMES, STATUS_NAMES, enumName } from './enums.js';
import type { SimKey, SimUsage } from './generator.js';
import { keySource, maskedToken, rcExpiryField } from './wire.js';

export interface RcItem {
  id: string;
  name: string;
  workspace_id: string;
  token: string;
  owner: { type: 'user'; user_id: string } | { type: 'service_account' };
  project_scope: { mode: 'all' } | { mode: 'single'; project_id: string };
  permission_mode: string;
  access: Record<string, string>;
  token_prefix: string;
  status: string;
  active: boolean;
  is_legacy: boolean;
  legacy_token_family: string;
  legacy_key_id?: string;
  source: 'workspace' | 'router';
  constraints?: { expires_at: string };
  expiration?: string;
  rate_limit?: { requests_per_minute: number };
  created_by_id: string;
  updated_by_id: string;
  created: string;
  updated: string;
  last_used_at?: string;
  consumption: number;
  token_consumption: number;
  requests_per_minute_consumption: number;
}

/** `usage` is what the key's budget has spent this period (budgets.ts), reported as consumption. */
export function toRc(key: SimKey, workspaceId: string, usage: SimUsage): RcItem {
  const item: RcItem = {
    id: key.api_key_id,
    name: key.name,
    workspace_id: workspaceId,
    token: maskedToken(key),
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
    source: keySource(key),
    created_by_id: key.created_by_id,
    updated_by_id: key.updated_by_id,
    created: key.created_at,
    updated: key.updated_at,
    consumption: usage.amount,
    token_consumption: usage.tokens,
    requests_per_minute_consumption: usage.requests,
  };
  if (key.legacy_key_id !== null) item.legacy_key_id = key.legacy_key_id;
  if (key.expires_at !== null) {
    if (rcExpiryField(key) === 'constraints') item.constraints = { expires_at: key.expires_at };
    else item.expiration = key.expires_at;
  }
  // Kept from the live answers the CLI was written against, beside the budgets API.
  if (key.rate_limit_rpm !== null) item.rate_limit = { requests_per_minute: key.rate_limit_rpm };
  if (key.last_used_at !== null) item.last_used_at = key.last_used_at;
  return item;
}
