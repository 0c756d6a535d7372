/**
 * The budgets of a simulated workspace as `/v2/budgets` holds them. A key's own budget (its
 * `budget`, or only a rate limit) is one API-key-scoped record; the rest of a workspace's
 * budgets (a second budget of a key, workspace, project and custom ones) are given as records.
 */
import type { SimAlert, SimKey, SimUsage } from './key.js';
import { encodeUlidTime, CROCKFORD, unitHash } from './random.js';

/** Exactly one scope, as the API has it; null on a record is a custom budget matched by CEL. */
export type SimBudgetScope =
  | { kind: 'workspace' }
  | { kind: 'project'; project_id?: string }
  | { kind: 'identity'; identity_external_id?: string }
  /** an absent or empty id is a budget that names no key: it must not be given to one */
  | { kind: 'api_key'; api_key_id?: string }
  | { kind: 'provider'; provider?: string }
  | { kind: 'model'; model_id: string };

export type SimBudgetScopeKind = SimBudgetScope['kind'];

export interface SimBudgetRecord {
  budget_id: string;
  scope: SimBudgetScope | null;
  /** the CEL expression of a custom budget */
  cel?: string;
  /** 0 unspecified, 1 daily, 2 weekly, 3 monthly, 4 yearly, 5 one_time */
  period: number;
  /** USD per period */
  amount: number | null;
  token_limit: number | null;
  rate_limit_rpm: number | null;
  is_active: boolean;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  usage: SimUsage;
  alerts: SimAlert[];
}

/** Values of the API's BudgetScopeKind, by scope kind. */
export const SCOPE_KIND_VALUES: Readonly<Record<SimBudgetScopeKind, number>> = {
  workspace: 1,
  project: 2,
  identity: 3,
  api_key: 4,
  provider: 5,
  model: 6,
};

/** The BudgetScopeKind of a scope; 0 (unspecified) for a custom budget. */
export function scopeKindOf(scope: SimBudgetScope | null): number {
  return scope === null ? 0 : SCOPE_KIND_VALUES[scope.kind];
}

/** The id the `scope_target_id` filter matches: the key, project, identity, provider or model. */
export function scopeTargetOf(scope: SimBudgetScope | null): string | undefined {
  switch (scope?.kind) {
    case 'api_key':
      return scope.api_key_id;
    case 'project':
      return scope.project_id;
    case 'identity':
      return scope.identity_external_id;
    case 'provider':
      return scope.provider;
    case 'model':
      return scope.model_id;
    default:
      return undefined;
  }
}

/**
 * A ULID-like budget id from the key id alone: stable for a key made by hand, and 80 bits of
 * hash so that 100,000 keys do not collide. It does not contain the key id, as a real one would not.
 */
export function derivedBudgetId(key: SimKey): string {
  let tail = '';
  for (let salt = 0; tail.length < 16; salt++) {
    let n = Math.floor(unitHash(key.api_key_id, 0xb0d9e7 + salt) * 2 ** 20);
    for (let i = 0; i < 4; i++, n >>>= 5) tail += CROCKFORD[n & 31];
  }
  return encodeUlidTime(Date.parse(key.created_at) || 0) + tail;
}

/**
 * What a key without drawn usage has spent: nothing when never used, else a stable share of
 * its limits (or of 100 USD, 2M tokens and 120 requests when it has none).
 */
export function derivedUsage(key: SimKey): SimUsage {
  if (key.last_used_at === null) return { amount: 0, tokens: 0, requests: 0 };
  const id = key.api_key_id;
  return {
    amount: Math.round(unitHash(id, 1) * (key.budget?.amount ?? 100) * 100) / 100,
    tokens: Math.floor(unitHash(id, 2) * 2_000_000),
    requests: Math.floor(unitHash(id, 3) * (key.budget?.rate_limit_rpm ?? key.rate_limit_rpm ?? 120)),
  };
}

function tokenLimit(text: string): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
}

/**
 * The API-key budget of a key: from its budget, its rate limit, or both (a rate limit alone
 * is a budget too: the API requires a budget to set at least one of amount, token limit or
 * rate limit). Null for a key with neither.
 */
export function keyBudgetRecord(key: SimKey): SimBudgetRecord | null {
  const budget = key.budget;
  const rateLimit = budget?.rate_limit_rpm === undefined ? key.rate_limit_rpm : budget.rate_limit_rpm;
  if (budget === null && rateLimit === null) return null;
  return {
    budget_id: budget?.budget_id ?? derivedBudgetId(key),
    scope: { kind: 'api_key', api_key_id: key.api_key_id },
    period: budget?.period ?? 0,
    amount: budget?.amount ?? null,
    token_limit: budget === null ? null : tokenLimit(budget.token_limit),
    rate_limit_rpm: rateLimit,
    is_active: budget?.is_active ?? true,
    expires_at: budget?.expires_at ?? null,
    created_at: budget?.created_at ?? key.created_at,
    updated_at: budget?.updated_at ?? key.updated_at,
    usage: budget?.usage ?? derivedUsage(key),
    alerts: budget?.alerts ?? [],
  };
}
