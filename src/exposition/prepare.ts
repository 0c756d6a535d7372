/**
 * Renders what can be rendered once per snapshot: every family whose values only change when
 * upstream data changes, as one buffer per family, plus the constant part of every
 * clock-dependent line. A scrape then only writes the numbers that depend on the clock.
 * Everything is written straight into Buffers; a snapshot keeps no per-key JS strings.
 */
import type { ApiKey } from '../orq/api-key.js';
import type { BudgetAlert } from '../orq/budget.js';
import { budgetsOf, rateLimitOf, type Snapshot } from '../snapshot.js';
import { ByteWriter } from './bytes.js';
import { COUNT_LABELS, families, type Family } from './families.js';
import { escapeLabelValue, formatValue, labelSet } from './text.js';

/** The once-per-snapshot families, in the order they are written. */
export const SNAPSHOT_FAMILIES: readonly Family[] = [
  families.keys,
  families.keyInfo,
  families.projectInfo,
  families.keyCreated,
  families.keyExpiry,
  families.keyLastUsed,
  families.keyBudgetAmount,
  families.keyBudgetTokenLimit,
  families.keyBudgetUsageAmount,
  families.keyBudgetUsageTokens,
  families.keyBudgetUsageRequests,
  families.keyBudgetAlertThreshold,
  families.keyRateLimit,
];

/** Lines whose value is computed at scrape time from one time per line. */
export interface ClockLines {
  /** Each line up to its value, `name{workspace="…",api_key_id="…"} `, back to back. */
  readonly heads: Buffer;
  /** Where each line's head ends in `heads`; it starts where the previous one ends. */
  readonly ends: Uint32Array;
  /** Unix seconds each line's value is computed from. */
  readonly at: Float64Array;
}

export interface PreparedSnapshot {
  readonly snapshot: Snapshot;
  /** Series lines of SNAPSHOT_FAMILIES, index for index, without the family headers, in blocks. */
  readonly chunks: ReadonlyArray<readonly Buffer[]>;
  /**
   * `orq_api_key_days_to_expiry`. `orq_api_key_expired` has the same keys and labels: its lines
   * are written from these heads with the other name, when the set of expired keys changes.
   */
  readonly daysToExpiry: ClockLines;
  /** The expiries of daysToExpiry ascending: how many are at or before a time names the expired keys. */
  readonly sortedExpiries: Float64Array;
  readonly sinceLastUse: ClockLines;
  /** `orq_exporter_snapshot_age_seconds{workspace="…"} ` */
  readonly ageHead: Buffer;
}

const SPACE = 0x20;

export function prepareSnapshot(snapshot: Snapshot): PreparedSnapshot {
  const ws = escapeLabelValue(snapshot.workspace);
  const n = snapshot.keys.length;
  // First blocks sized from typical line lengths, so a small workspace keeps small buffers.
  const info = new ByteWriter(n * 320);
  const created = new ByteWriter(n * 100);
  const expiry = new ByteWriter(n * 80);
  const lastUsed = new ByteWriter(n * 90);
  const budgetAmount = new ByteWriter(n * 30);
  const budgetTokens = new ByteWriter(n * 35);
  const usageAmount = new ByteWriter(n * 30);
  const usageTokens = new ByteWriter(n * 30);
  const usageRequests = new ByteWriter(n * 30);
  const alertThresholds = new ByteWriter(n * 30);
  const rateLimit = new ByteWriter(n * 40);
  const projects = new ByteWriter((snapshot.projects?.length ?? 0) * 120);
  const counts = new Map<string, number>();
  const expiringLabels: string[] = [];
  const expiringAt: number[] = [];
  const usedLabels: string[] = [];
  const usedAt: number[] = [];

  for (const key of snapshot.keys) {
    const idLabels = `{workspace="${ws}",api_key_id="${escapeLabelValue(key.id)}"}`;
    info.text(`${families.keyInfo.name}${infoLabels(idLabels, key)} 1\n`);
    if (key.createdAt !== null) line(created, families.keyCreated.name, idLabels, key.createdAt);
    if (key.expiresAt !== null) {
      line(expiry, families.keyExpiry.name, idLabels, key.expiresAt);
      expiringLabels.push(idLabels);
      expiringAt.push(key.expiresAt);
    }
    if (key.lastUsedAt !== null) {
      line(lastUsed, families.keyLastUsed.name, idLabels, key.lastUsedAt);
      usedLabels.push(idLabels);
      usedAt.push(key.lastUsedAt);
    }
    let requests: number | null = null;
    for (const budget of budgetsOf(snapshot, key)) {
      // The period is a closed set of plain words (api-key.ts): no escaping needed.
      const withPeriod = `${idLabels.slice(0, -1)},period="${budget.period}"}`;
      if (budget.amount !== null) line(budgetAmount, families.keyBudgetAmount.name, withPeriod, budget.amount);
      if (budget.tokenLimit !== null) line(budgetTokens, families.keyBudgetTokenLimit.name, withPeriod, budget.tokenLimit);
      const usage = budget.usage;
      if (usage !== null) {
        if (usage.amount !== null) line(usageAmount, families.keyBudgetUsageAmount.name, withPeriod, usage.amount);
        if (usage.tokens !== null) line(usageTokens, families.keyBudgetUsageTokens.name, withPeriod, usage.tokens);
        // Every budget of a key counts the same requests in the same rolling minute.
        if (usage.requests !== null) requests = Math.max(requests ?? 0, usage.requests);
      }
      for (const [dimension, ratio] of lowestThresholds(budget.alerts)) {
        line(alertThresholds, families.keyBudgetAlertThreshold.name, `${withPeriod.slice(0, -1)},dimension="${dimension}"}`, ratio);
      }
    }
    if (requests !== null) line(usageRequests, families.keyBudgetUsageRequests.name, idLabels, requests);
    const rate = rateLimitOf(snapshot, key);
    if (rate !== null) line(rateLimit, families.keyRateLimit.name, idLabels, rate);
    const group = labelSet(COUNT_LABELS, [snapshot.workspace, key.status, key.projectId, key.ownerType, key.legacyTokenFamily]);
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }

  for (const project of snapshot.projects ?? []) {
    const labels = labelSet(['workspace', 'project_id', 'project_name', 'archived'], [snapshot.workspace, project.id, project.name, String(project.archived)]);
    line(projects, families.projectInfo.name, labels, 1);
  }

  const count = new ByteWriter(counts.size * 160);
  for (const [labels, k] of counts) line(count, families.keys.name, labels, k);

  const byFamily = new Map<Family, ByteWriter>([
    [families.keys, count],
    [families.keyInfo, info],
    [families.projectInfo, projects],
    [families.keyCreated, created],
    [families.keyExpiry, expiry],
    [families.keyLastUsed, lastUsed],
    [families.keyBudgetAmount, budgetAmount],
    [families.keyBudgetTokenLimit, budgetTokens],
    [families.keyBudgetUsageAmount, usageAmount],
    [families.keyBudgetUsageTokens, usageTokens],
    [families.keyBudgetUsageRequests, usageRequests],
    [families.keyBudgetAlertThreshold, alertThresholds],
    [families.keyRateLimit, rateLimit],
  ]);
  return {
    snapshot,
    chunks: SNAPSHOT_FAMILIES.map((f) => byFamily.get(f)?.finish() ?? []),
    daysToExpiry: clockLines(families.keyDaysToExpiry.name, expiringLabels, expiringAt),
    sortedExpiries: Float64Array.from(expiringAt).sort(),
    sinceLastUse: clockLines(families.keySecondsSinceLastUse.name, usedLabels, usedAt),
    ageHead: Buffer.from(`${families.snapshotAge.name}{workspace="${ws}"} `, 'utf8'),
  };
}

/**
 * The heads of one clock family in one exact-size buffer: they live as long as the snapshot,
 * so they should hold no spare room, and one copy per line is the cheapest way to write them.
 */
function clockLines(name: string, labels: readonly string[], at: readonly number[]): ClockLines {
  const ends = new Uint32Array(labels.length);
  const nameBytes = Buffer.byteLength(name, 'latin1');
  let size = 0;
  for (let i = 0; i < labels.length; i++) {
    size += nameBytes + Buffer.byteLength(labels[i]!, 'utf8') + 1;
    ends[i] = size;
  }
  const heads = Buffer.allocUnsafeSlow(size);
  let to = 0;
  for (const l of labels) {
    to += heads.write(name, to, 'latin1');
    to += heads.write(l, to, 'utf8');
    heads[to++] = SPACE;
  }
  return { heads, ends, at: Float64Array.from(at) };
}

function line(out: ByteWriter, name: string, labels: string, value: number): void {
  out.text(`${name}${labels} ${formatValue(value)}\n`);
}

/**
 * The lowest threshold per dimension: the first point at which the team asked to hear of the
 * budget, and one series per dimension however many alerts orq.ai has for it.
 */
function lowestThresholds(alerts: readonly BudgetAlert[]): Map<string, number> {
  const lowest = new Map<string, number>();
  for (const alert of alerts) {
    const current = lowest.get(alert.dimension);
    if (current === undefined || alert.thresholdRatio < current) lowest.set(alert.dimension, alert.thresholdRatio);
  }
  return lowest;
}

/** The info label set, extending the key's `{workspace,api_key_id}` set. */
function infoLabels(idLabels: string, key: ApiKey): string {
  // Same order as INFO_LABELS. The enum fields (status, owner type, scope, mode, family, and
  // period above) are closed sets of plain words (api-key.ts), so they need no escaping.
  return (
    `${idLabels.slice(0, -1)},name="${escapeLabelValue(key.name)}",status="${key.status}",` +
    `owner_type="${key.ownerType}",owner_id="${escapeLabelValue(key.ownerId)}",project_scope="${key.projectScope}",` +
    `project_id="${escapeLabelValue(key.projectId)}",permission_mode="${key.permissionMode}",` +
    `legacy_token_family="${key.legacyTokenFamily}",token_prefix="${escapeLabelValue(key.tokenPrefix)}"}`
  );
}
