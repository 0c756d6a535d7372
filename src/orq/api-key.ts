/**
 * The exporter's one record type for an orq.ai API key, whichever wire variant it came in.
 * Enum fields hold the lowercase names of shared/orq-api.md, or `unknown` for a value the
 * exporter has not heard of: the service adds values over time, and a key must never be
 * dropped or crash the refresh for it.
 */

export const KEY_STATUSES = ['unspecified', 'active', 'disabled', 'revoked'] as const;
export const PERMISSION_MODES = ['unspecified', 'all', 'restricted', 'read_only'] as const;
export const BUDGET_PERIODS = ['unspecified', 'daily', 'weekly', 'monthly', 'yearly', 'one_time'] as const;
/** The zero value is `none`: a new opaque key, whatever spelling of "no family" upstream used. */
export const LEGACY_TOKEN_FAMILIES = ['none', 'router_jwt', 'project_jwt', 'workspace_jwt'] as const;
export const OWNER_TYPES = ['unspecified', 'user', 'service_account'] as const;
export const PROJECT_SCOPES = ['unspecified', 'all', 'single'] as const;

export type Known<T extends readonly string[]> = T[number] | 'unknown';
export type KeyStatus = Known<typeof KEY_STATUSES>;
export type PermissionMode = Known<typeof PERMISSION_MODES>;
export type BudgetPeriod = Known<typeof BUDGET_PERIODS>;
export type LegacyTokenFamily = Known<typeof LEGACY_TOKEN_FAMILIES>;
export type OwnerType = Known<typeof OWNER_TYPES>;
export type ProjectScope = Known<typeof PROJECT_SCOPES>;

/** The limits of a budget as the key list carries them: no usage, which only /v2/budgets has. */
export interface Budget {
  readonly period: BudgetPeriod;
  readonly amount: number | null;
  readonly tokenLimit: number | null;
}

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly status: KeyStatus;
  readonly ownerType: OwnerType;
  /** user id or service account id; empty when upstream gives none */
  readonly ownerId: string;
  readonly projectScope: ProjectScope;
  /** the single project's id, `all` for keys scoped to every project, empty when unknown */
  readonly projectId: string;
  readonly permissionMode: PermissionMode;
  readonly legacyTokenFamily: LegacyTokenFamily;
  readonly tokenPrefix: string;
  /** Unix seconds; null when absent or unparseable */
  readonly createdAt: number | null;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  /** The budget embedded in the key list (reference page's constraints, or include_budget). */
  readonly budget: Budget | null;
  readonly rateLimitPerMinute: number | null;
}

/** The `project_id` label value for keys scoped to every project. */
export const ALL_PROJECTS = 'all';

/** Why a record from upstream was not turned into a key. */
export const SKIP_REASONS = ['missing_id', 'duplicate_id', 'not_an_object'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
