/**
 * Renders what can be rendered once per snapshot: every family whose values only change when
 * upstream data changes, plus the constant part of every clock-dependent line, as Lines
 * (lines.ts: each line's bytes after its family's common prefix), all in one buffer. A scrape
 * then only writes the numbers that depend on the clock. A snapshot keeps no per-key JS strings.
 */
import type { ApiKey } from '../orq/api-key.js';
import type { BudgetAlert } from '../orq/budget.js';
import { budgetsOf, rateLimitOf, type KeyBudgetView, type Snapshot } from '../snapshot.js';
import { COUNT_LABELS, families, type Family } from './families.js';
import { linesOf, type LineSink, type Lines } from './lines.js';
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
  /** Each line up to its value: the prefix `name{workspace="…",api_key_id="`, the rest `…"} `. */
  readonly lines: Lines;
  /** Unix seconds each line's value is computed from. */
  readonly at: Float64Array;
}

export interface PreparedSnapshot {
  readonly snapshot: Snapshot;
  /** Series lines of SNAPSHOT_FAMILIES, index for index, without the family headers. */
  readonly families: readonly Lines[];
  /**
   * `orq_api_key_days_to_expiry`. `orq_api_key_expired` has the same keys and labels: its lines
   * are written from these rests after the other name, when the set of expired keys changes.
   */
  readonly daysToExpiry: ClockLines;
  /** The expiries of daysToExpiry ascending: how many are at or before a time names the expired keys. */
  readonly sortedExpiries: Float64Array;
  readonly sinceLastUse: ClockLines;
  /** `orq_exporter_snapshot_age_seconds{workspace="…"} ` */
  readonly ageHead: Buffer;
}

/** Every family kept as Lines: the snapshot families, then the heads of the clock families. */
const LINE_FAMILIES: readonly Family[] = [...SNAPSHOT_FAMILIES, families.keyDaysToExpiry, families.keySecondsSinceLastUse];

/**
 * Families kept as whole lines, with no prefix: those not one per key, and the info family,
 * whose prefix is a small part of its long lines. Whole lines lie back to back and are written
 * out many at a time, where a prefix costs a copy per line.
 */
const WHOLE_LINES = new Set<Family>([families.keys, families.projectInfo, families.keyInfo]);

export function prepareSnapshot(snapshot: Snapshot): PreparedSnapshot {
  const ws = escapeLabelValue(snapshot.workspace);
  // Per-key lines begin with their family's name and this; what follows is the key's own.
  // One more set of lines after the families': every key's id, once, for the families to name.
  const prefixes = [...LINE_FAMILIES.map((f) => (WHOLE_LINES.has(f) ? '' : keyPrefix(f, ws))), ''];
  const ids = LINE_FAMILIES.length;
  // Joined once for both runs of the emission.
  const budgets = snapshot.keys.map((key) => budgetsOf(snapshot, key));
  const lines = linesOf(prefixes, (sinks) => emitLines(snapshot, budgets, ws, new Map(LINE_FAMILIES.map((f, i) => [f, sinks[i]!])), sinks[ids]!), ids);
  const expiringAt: number[] = [];
  const usedAt: number[] = [];
  for (const key of snapshot.keys) {
    if (key.expiresAt !== null) expiringAt.push(key.expiresAt);
    if (key.lastUsedAt !== null) usedAt.push(key.lastUsedAt);
  }
  const at = (f: Family): Lines => lines[LINE_FAMILIES.indexOf(f)]!;
  return {
    snapshot,
    families: SNAPSHOT_FAMILIES.map(at),
    daysToExpiry: { lines: at(families.keyDaysToExpiry), at: Float64Array.from(expiringAt) },
    sortedExpiries: Float64Array.from(expiringAt).sort(),
    sinceLastUse: { lines: at(families.keySecondsSinceLastUse), at: Float64Array.from(usedAt) },
    ageHead: Buffer.from(`${families.snapshotAge.name}{workspace="${ws}"} `, 'utf8'),
  };
}

/** What every line of a per-key family begins with, up to the key's id. */
function keyPrefix(f: Family, ws: string): string {
  return `${f.name}{workspace="${ws}",api_key_id="`;
}

/**
 * Every line of every family in LINE_FAMILIES, each as its rest after its prefix and its key's
 * id, to that family's sink; and every key's id, in key order, to `ids`.
 */
function emitLines(snapshot: Snapshot, budgets: ReadonlyArray<readonly KeyBudgetView[]>, ws: string, sinks: ReadonlyMap<Family, LineSink>, ids: LineSink): void {
  const sink = (f: Family): LineSink => sinks.get(f)!;
  const infoPrefix = keyPrefix(families.keyInfo, ws);
  const info = sink(families.keyInfo);
  const created = sink(families.keyCreated);
  const expiry = sink(families.keyExpiry);
  const lastUsed = sink(families.keyLastUsed);
  const budgetAmount = sink(families.keyBudgetAmount);
  const budgetTokens = sink(families.keyBudgetTokenLimit);
  const usageAmount = sink(families.keyBudgetUsageAmount);
  const usageTokens = sink(families.keyBudgetUsageTokens);
  const usageRequests = sink(families.keyBudgetUsageRequests);
  const alertThresholds = sink(families.keyBudgetAlertThreshold);
  const rateLimit = sink(families.keyRateLimit);
  const days = sink(families.keyDaysToExpiry);
  const since = sink(families.keySecondsSinceLastUse);
  const counts = new Map<string, number>();

  snapshot.keys.forEach((key, k) => {
    // `…,api_key_id="` is followed by the key's id and its closing quote.
    const id = `${escapeLabelValue(key.id)}"`;
    ids.add(id);
    info.add(`${infoPrefix}${id}${infoLabels(key)} 1\n`);
    if (key.createdAt !== null) created.add(line('}', key.createdAt), k);
    if (key.expiresAt !== null) {
      expiry.add(line('}', key.expiresAt), k);
      days.add('} ', k);
    }
    if (key.lastUsedAt !== null) {
      lastUsed.add(line('}', key.lastUsedAt), k);
      since.add('} ', k);
    }
    let requests: number | null = null;
    for (const budget of budgets[k]!) {
      // The period is a closed set of plain words (api-key.ts): no escaping needed.
      const withPeriod = `,period="${budget.period}"`;
      const periodClosed = `${withPeriod}}`;
      if (budget.amount !== null) budgetAmount.add(line(periodClosed, budget.amount), k);
      if (budget.tokenLimit !== null) budgetTokens.add(line(periodClosed, budget.tokenLimit), k);
      const usage = budget.usage;
      if (usage !== null) {
        if (usage.amount !== null) usageAmount.add(line(periodClosed, usage.amount), k);
        if (usage.tokens !== null) usageTokens.add(line(periodClosed, usage.tokens), k);
        // Every budget of a key counts the same requests in the same rolling minute.
        if (usage.requests !== null) requests = Math.max(requests ?? 0, usage.requests);
      }
      for (const [dimension, ratio] of lowestThresholds(budget.alerts)) {
        alertThresholds.add(line(`${withPeriod},dimension="${dimension}"}`, ratio), k);
      }
    }
    if (requests !== null) usageRequests.add(line('}', requests), k);
    const rate = rateLimitOf(snapshot, key);
    if (rate !== null) rateLimit.add(line('}', rate), k);
    const group = labelSet(COUNT_LABELS, [snapshot.workspace, key.status, key.projectId, key.ownerType, key.legacyTokenFamily]);
    counts.set(group, (counts.get(group) ?? 0) + 1);
  });

  const projects = sink(families.projectInfo);
  for (const project of snapshot.projects ?? []) {
    const labels = labelSet(['workspace', 'project_id', 'project_name', 'archived'], [snapshot.workspace, project.id, project.name, String(project.archived)]);
    projects.add(`${families.projectInfo.name}${line(labels, 1)}`);
  }
  const count = sink(families.keys);
  for (const [labels, k] of counts) count.add(`${families.keys.name}${line(labels, k)}`);
}

/** The rest of a line from its labels on: `labels value\n`. */
function line(labels: string, value: number): string {
  return `${labels} ${formatValue(value)}\n`;
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

/** The info labels after `api_key_id`, closing the set. */
function infoLabels(key: ApiKey): string {
  // Same order as INFO_LABELS. The enum fields (status, owner type, scope, mode, family, and
  // period above) are closed sets of plain words (api-key.ts), so they need no escaping.
  return (
    `,name="${escapeLabelValue(key.name)}",status="${key.status}",` +
    `owner_type="${key.ownerType}",owner_id="${escapeLabelValue(key.ownerId)}",project_scope="${key.projectScope}",` +
    `project_id="${escapeLabelValue(key.projectId)}",permission_mode="${key.permissionMode}",` +
    `legacy_token_family="${key.legacyTokenFamily}",token_prefix="${escapeLabelValue(key.tokenPrefix)}"}`
  );
}
