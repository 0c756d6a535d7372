/**
 * A key as `@orq-ai/node` 4.15.11 reads it (ApiKeyRestResponse): `id`, protobuf-constant
 * enums, the reference's owner and scope objects, `created`/`updated`, a legacy family that is
 * a free string, and the expiry at the top level. Unset fields are left out, never null: the
 * SDK's schema refuses null for `expiration`, `legacy_key_id` and `last_used_at`.
 */
import { LEGACY_FAMILY, PERMISSION_MODE, STATUS, enumConstant } from './enums.js';
import type { SimKey } from './generator.js';
import { keySource, maskedToken, sdkExpiryField, zeroFamilySpelling } from './wire.js';

export interface SdkItem {
  id: string;
  name: string;
  workspace_id: string;
  token: string;
  owner: { user: { user_id: string } } | { service_account: { service_account_id?: string } };
  project_scope: { all: Record<string, never> } | { single: { project_id: string } };
  permission_mode: string;
  access: Record<string, string>;
  token_prefix: string;
  status: string;
  active: boolean;
  is_legacy: boolean;
  legacy_token_family?: string;
  legacy_key_id?: string;
  /** the legacy list of a legacy key's projects */
  projects?: string[];
  source: 'workspace' | 'router';
  expiration?: string;
  expires_at?: string;
  created_by_id: string;
  updated_by_id: string;
  created: string;
  updated: string;
  last_used_at?: string;
}

export function toSdk(key: SimKey, workspaceId: string): SdkItem {
  const legacy = key.legacy_token_family !== 0;
  const item: SdkItem = {
    id: key.api_key_id,
    name: key.name,
    workspace_id: workspaceId,
    token: maskedToken(key),
    owner:
      key.owner.kind === 'user'
        ? { user: { user_id: key.owner.user_id } }
        : {
            service_account:
              key.owner.service_account_id === undefined ? {} : { service_account_id: key.owner.service_account_id },
          },
    project_scope:
      key.project_scope.kind === 'all' ? { all: {} } : { single: { project_id: key.project_scope.project_id } },
    permission_mode: enumConstant(PERMISSION_MODE, key.permission_mode),
    access: { ...key.access },
    token_prefix: key.token_prefix,
    status: enumConstant(STATUS, key.status),
    active: key.status === 1,
    is_legacy: legacy,
    source: keySource(key),
    created_by_id: key.created_by_id,
    updated_by_id: key.updated_by_id,
    created: key.created_at,
    updated: key.updated_at,
  };
  const family = legacy ? enumConstant(LEGACY_FAMILY, key.legacy_token_family) : zeroFamilySpelling(key);
  if (family !== undefined) item.legacy_token_family = family;
  if (key.legacy_key_id !== null) item.legacy_key_id = key.legacy_key_id;
  if (legacy && key.project_scope.kind === 'single') item.projects = [key.project_scope.project_id];
  if (key.expires_at !== null) item[sdkExpiryField(key)] = key.expires_at;
  if (key.last_used_at !== null) item.last_used_at = key.last_used_at;
  return item;
}
