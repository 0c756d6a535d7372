/**
 * What the exporter serves for one workspace: the last complete key list joined with the last
 * good budgets and project names, each from its own source. Plain, immutable data: nothing
 * here knows Prometheus or HTTP; the exposition renders it, the workspace replaces it whole.
 */
import type { ApiKey, Budget } from './orq/api-key.js';
import type { BudgetAlert, BudgetUsage, KeyBudget } from './orq/budget.js';
import type { Project } from './orq/project.js';

export interface Snapshot {
  readonly workspace: string;
  /** Grows by one with every published snapshot of the workspace, so renders can be cached by it. */
  readonly version: number;
  /** Unix seconds when the key list it holds was fetched. */
  readonly fetchedAt: number;
  readonly keys: readonly ApiKey[];
  /** Active key-scoped budgets by key id, while the budgets source has data to serve. */
  readonly budgets?: ReadonlyMap<string, readonly KeyBudget[]> | undefined;
  /** The workspace's projects, while the projects source has data to serve. */
  readonly projects?: readonly Project[] | undefined;
}

/** One budget of a key as the exposition shows it: limits always, usage where /v2/budgets gave it. */
export interface KeyBudgetView extends Budget {
  readonly usage: BudgetUsage | null;
  readonly alerts: readonly BudgetAlert[];
}

/**
 * A key's budgets: those of /v2/budgets when that source has the key (limits and usage), else
 * the limits the key list embedded. The budgets API replaces the embedded budget, so the two
 * are never shown side by side.
 */
export function budgetsOf(snapshot: Snapshot, key: ApiKey): readonly KeyBudgetView[] {
  const listed = snapshot.budgets?.get(key.id);
  if (listed !== undefined && listed.length > 0) return listed;
  return key.budget === null ? [] : [{ ...key.budget, usage: null, alerts: [] }];
}

/** The key's own rate limit, else the lowest a budget of it sets. */
export function rateLimitOf(snapshot: Snapshot, key: ApiKey): number | null {
  if (key.rateLimitPerMinute !== null) return key.rateLimitPerMinute;
  let lowest: number | null = null;
  for (const budget of snapshot.budgets?.get(key.id) ?? []) {
    if (budget.requestsPerMinute !== null && (lowest === null || budget.requestsPerMinute < lowest)) lowest = budget.requestsPerMinute;
  }
  return lowest;
}

/**
 * Budgets by key, one per period: the API lists the most recently updated first, so a second
 * budget of the same key and period (which would be the same series twice) is the older one.
 */
export function budgetsByKey(budgets: readonly KeyBudget[]): ReadonlyMap<string, readonly KeyBudget[]> {
  const byKey = new Map<string, KeyBudget[]>();
  for (const budget of budgets) {
    const list = byKey.get(budget.apiKeyId);
    if (list === undefined) byKey.set(budget.apiKeyId, [budget]);
    else if (!list.some((b) => b.period === budget.period)) list.push(budget);
  }
  return byKey;
}
