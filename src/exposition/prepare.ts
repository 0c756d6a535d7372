/**
 * Renders what can be rendered once per snapshot: every family whose values only change when
 * upstream data changes, as one buffer per family, plus the per-key label sets and times the
 * scrape-time families need. A scrape then only formats numbers that depend on the clock.
 */
import type { ApiKey } from '../orq/api-key.js';
import type { Snapshot } from '../snapshot.js';
import { COUNT_LABELS, INFO_LABELS, families, type Family } from './families.js';
import { formatValue, labelSet } from './text.js';

/** The once-per-snapshot families, in the order they are written. */
export const SNAPSHOT_FAMILIES: readonly Family[] = [
  families.keys,
  families.keyInfo,
  families.keyCreated,
  families.keyExpiry,
  families.keyLastUsed,
  families.keyBudgetAmount,
  families.keyBudgetTokenLimit,
  families.keyRateLimit,
];

/** Keys with one time of interest: their `{workspace,api_key_id}` label set and the time. */
export interface TimedKeys {
  readonly labels: readonly string[];
  readonly at: Float64Array;
}

export interface PreparedSnapshot {
  readonly snapshot: Snapshot;
  /** Series lines of SNAPSHOT_FAMILIES, index for index, without the family headers. */
  readonly chunks: readonly Buffer[];
  readonly expiring: TimedKeys;
  readonly used: TimedKeys;
}

export function prepareSnapshot(snapshot: Snapshot): PreparedSnapshot {
  const ws = snapshot.workspace;
  let info = '';
  let created = '';
  let expiry = '';
  let lastUsed = '';
  let budgetAmount = '';
  let budgetTokens = '';
  let rateLimit = '';
  const expiringLabels: string[] = [];
  const expiringAt: number[] = [];
  const usedLabels: string[] = [];
  const usedAt: number[] = [];
  const counts = new Map<string, number>();

  for (const key of snapshot.keys) {
    const id = labelSet(['workspace', 'api_key_id'], [ws, key.id]);
    info += `${families.keyInfo.name}${labelSet(INFO_LABELS, infoValues(ws, key))} 1\n`;
    if (key.createdAt !== null) created += `${families.keyCreated.name}${id} ${formatValue(key.createdAt)}\n`;
    if (key.expiresAt !== null) {
      expiry += `${families.keyExpiry.name}${id} ${formatValue(key.expiresAt)}\n`;
      expiringLabels.push(id);
      expiringAt.push(key.expiresAt);
    }
    if (key.lastUsedAt !== null) {
      lastUsed += `${families.keyLastUsed.name}${id} ${formatValue(key.lastUsedAt)}\n`;
      usedLabels.push(id);
      usedAt.push(key.lastUsedAt);
    }
    if (key.budget !== null) {
      const withPeriod = labelSet(['workspace', 'api_key_id', 'period'], [ws, key.id, key.budget.period]);
      if (key.budget.amount !== null) {
        budgetAmount += `${families.keyBudgetAmount.name}${withPeriod} ${formatValue(key.budget.amount)}\n`;
      }
      if (key.budget.tokenLimit !== null) {
        budgetTokens += `${families.keyBudgetTokenLimit.name}${withPeriod} ${formatValue(key.budget.tokenLimit)}\n`;
      }
    }
    if (key.rateLimitPerMinute !== null) {
      rateLimit += `${families.keyRateLimit.name}${id} ${formatValue(key.rateLimitPerMinute)}\n`;
    }
    const group = labelSet(COUNT_LABELS, [ws, key.status, key.projectId, key.ownerType, key.legacyTokenFamily]);
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }

  let count = '';
  for (const [labels, n] of counts) count += `${families.keys.name}${labels} ${n}\n`;

  const byFamily = new Map<Family, string>([
    [families.keys, count],
    [families.keyInfo, info],
    [families.keyCreated, created],
    [families.keyExpiry, expiry],
    [families.keyLastUsed, lastUsed],
    [families.keyBudgetAmount, budgetAmount],
    [families.keyBudgetTokenLimit, budgetTokens],
    [families.keyRateLimit, rateLimit],
  ]);
  return {
    snapshot,
    chunks: SNAPSHOT_FAMILIES.map((f) => Buffer.from(byFamily.get(f) ?? '', 'utf8')),
    expiring: { labels: expiringLabels, at: Float64Array.from(expiringAt) },
    used: { labels: usedLabels, at: Float64Array.from(usedAt) },
  };
}

function infoValues(workspace: string, key: ApiKey): string[] {
  return [
    workspace,
    key.id,
    key.name,
    key.status,
    key.ownerType,
    key.ownerId,
    key.projectScope,
    key.projectId,
    key.permissionMode,
    key.legacyTokenFamily,
    key.tokenPrefix,
  ];
}
