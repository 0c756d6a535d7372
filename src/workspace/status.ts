/**
 * What `/` and `/readyz` show of one workspace: its health, and from its snapshot the active
 * keys expiring soonest and the keys closest to their budget. It lives beside the workspace,
 * not in the HTTP layer, so data flows one way: the snapshot is turned into rows here, and
 * the page only formats them.
 *
 * Each list is built in one pass over the keys, keeping the best few in a small sorted array
 * (a partial sort), never a sort of every key; keyListsOf remembers them per snapshot.
 */
import { ALL_PROJECTS, type ApiKey, type BudgetPeriod, type OwnerType } from '../orq/api-key.js';
import type { Snapshot } from '../snapshot.js';

/** Rows per list and workspace: the page is a first look, /metrics and Grafana have the rest. */
export const LIST_LIMIT = 10;
const DAY = 86_400;

export interface WorkspaceStatus {
  readonly name: string;
  /** Redacted as the logs are. */
  readonly baseUrl: string;
  readonly keys: number | undefined;
  readonly lastSuccess: string | undefined;
  readonly lastError: string | undefined;
  /** Absent before the first key list. */
  readonly lists?: KeyLists | undefined;
}

export interface ExpiringRow {
  readonly id: string;
  readonly name: string;
  /** The project's name where the projects source knows it, else its id. */
  readonly project: string;
  readonly ownerType: OwnerType;
  /** Unix seconds. */
  readonly expiresAt: number;
  /** Fractional days from the clock the rows were built for; always positive. */
  readonly daysLeft: number;
}

export interface BudgetRow {
  readonly id: string;
  readonly name: string;
  readonly project: string;
  readonly period: BudgetPeriod;
  /** The dimension closest to its limit: cost in the budget's currency (USD), or tokens. */
  readonly dimension: 'cost' | 'tokens';
  readonly spent: number;
  readonly limit: number;
  /** spent / limit; above 1 when the limit is overrun. */
  readonly ratio: number;
}

export interface KeyLists {
  /** Most rows in each list. */
  readonly limit: number;
  /** Soonest first; at most `limit` of them. */
  readonly expiring: readonly ExpiringRow[];
  /** Active keys with an expiry still ahead: what `expiring` was picked from. */
  readonly expiringTotal: number;
  /** Active keys whose expiry has passed: not in `expiring`, counted so the page can say so. */
  readonly expiredActive: number;
  /** Closest to their limit first; at most `limit` of them. */
  readonly budgets: readonly BudgetRow[];
  /** Active keys that spent something of a limited budget this period: what `budgets` was picked from. */
  readonly budgetsTotal: number;
}

/**
 * The page's rows for a snapshot at `now` (Unix seconds). Only active keys are listed: a
 * disabled or revoked key no longer breaks anything when it expires, nor spends. An active key
 * already past its expiry is not "expiring" (it has failed already, and `orq_api_key_expired`
 * alerts on it): listing those first would push out the keys that can still be rotated in time,
 * so they are counted instead. Per key, the budget row is its budget and dimension (cost or
 * tokens) closest to the limit; keys that spent nothing this period are left out.
 */
export function buildKeyLists(snapshot: Snapshot, now: number, limit: number = LIST_LIMIT): KeyLists {
  return { limit, ...expiringOf(snapshot, now, limit), ...closestOf(snapshot, limit) };
}

type ExpiringPart = Pick<KeyLists, 'expiring' | 'expiringTotal' | 'expiredActive'>;
type BudgetPart = Pick<KeyLists, 'budgets' | 'budgetsTotal'>;

function expiringOf(snapshot: Snapshot, now: number, limit: number): ExpiringPart {
  const expiring = new TopK<ApiKey>(limit, byExpiry);
  let expiredActive = 0;
  for (const key of snapshot.keys) {
    if (key.status !== 'active' || key.expiresAt === null) continue;
    if (key.expiresAt > now) expiring.offer(key);
    else expiredActive++;
  }
  const project = projectNamer(snapshot);
  return {
    expiring: expiring.items().map((k) => {
      // Never null: only keys with an expiry were offered.
      const expiresAt = k.expiresAt ?? now;
      return { id: k.id, name: k.name, project: project(k.projectId), ownerType: k.ownerType, expiresAt, daysLeft: (expiresAt - now) / DAY };
    }),
    expiringTotal: expiring.offered,
    expiredActive,
  };
}

/** Independent of the clock: spending only changes with the snapshot. */
function closestOf(snapshot: Snapshot, limit: number): BudgetPart {
  const budgets = new TopK<Closest>(limit, byRatio);
  // Without the budgets source nothing has spending to compare: no lookups at all.
  if ((snapshot.budgets?.size ?? 0) > 0) {
    for (const key of snapshot.keys) {
      if (key.status !== 'active') continue;
      const closest = closestBudget(snapshot, key);
      if (closest !== undefined) budgets.offer(closest);
    }
  }
  const project = projectNamer(snapshot);
  return {
    budgets: budgets.items().map(({ key, ...rest }) => ({ id: key.id, name: key.name, project: project(key.projectId), ...rest })),
    budgetsTotal: budgets.offered,
  };
}

interface Closest {
  readonly key: ApiKey;
  readonly period: BudgetPeriod;
  readonly dimension: 'cost' | 'tokens';
  readonly spent: number;
  readonly limit: number;
  readonly ratio: number;
}

/**
 * The key's budget and dimension closest to its limit; undefined without a limit and spending
 * against it. Reads the budgets source's map directly rather than budgetsOf: what budgetsOf adds
 * is the key list's embedded limits, which carry no usage, and allocating them for every
 * budgeted key of a 100,000-key workspace doubled the cost of the page.
 */
function closestBudget(snapshot: Snapshot, key: ApiKey): Closest | undefined {
  const listed = snapshot.budgets?.get(key.id);
  if (listed === undefined) return undefined;
  let best: Closest | undefined;
  for (const budget of listed) {
    const usage = budget.usage;
    if (usage === null) continue;
    const cost = ratioOf(usage.amount, budget.amount);
    if (cost !== undefined && (best === undefined || cost > best.ratio)) best = { key, period: budget.period, dimension: 'cost', spent: usage.amount ?? 0, limit: budget.amount ?? 0, ratio: cost };
    const tokens = ratioOf(usage.tokens, budget.tokenLimit);
    if (tokens !== undefined && (best === undefined || tokens > best.ratio)) best = { key, period: budget.period, dimension: 'tokens', spent: usage.tokens ?? 0, limit: budget.tokenLimit ?? 0, ratio: tokens };
  }
  return best;
}

/** spent / limit when both are known, the limit is set and something was spent. */
function ratioOf(spent: number | null, limit: number | null): number | undefined {
  return spent !== null && limit !== null && limit > 0 && spent > 0 ? spent / limit : undefined;
}

/** Project ids to names; the id itself where the projects source does not know it (or is off). */
function projectNamer(snapshot: Snapshot): (id: string) => string {
  const names = new Map((snapshot.projects ?? []).map((p) => [p.id, p.name] as const));
  return (id) => (id === ALL_PROJECTS ? 'all projects' : (names.get(id) ?? id));
}

/** Names, then ids, break ties, so the same snapshot always gives the same rows. */
function tieBreak(a: ApiKey, b: ApiKey): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byExpiry(a: ApiKey, b: ApiKey): number {
  return (a.expiresAt ?? 0) - (b.expiresAt ?? 0) || tieBreak(a, b);
}

function byRatio(a: Closest, b: Closest): number {
  return b.ratio - a.ratio || tieBreak(a.key, b.key);
}

/**
 * The `k` first items under `compare` of what is offered, kept sorted: each offer costs one
 * comparison with the last kept item, and an insertion only when it beats it.
 */
class TopK<T> {
  readonly #kept: T[] = [];
  offered = 0;

  constructor(
    readonly k: number,
    readonly compare: (a: T, b: T) => number,
  ) {}

  offer(item: T): void {
    this.offered++;
    const kept = this.#kept;
    if (this.k <= 0) return;
    const last = kept[kept.length - 1];
    if (kept.length === this.k && last !== undefined && this.compare(item, last) >= 0) return;
    let i = kept.length;
    while (i > 0 && this.compare(item, kept[i - 1] as T) < 0) i--;
    kept.splice(i, 0, item);
    if (kept.length > this.k) kept.pop();
  }

  items(): readonly T[] {
    return this.#kept;
  }
}

interface Cached {
  readonly limit: number;
  readonly budgets: BudgetPart;
  expiring: ExpiringPart;
  builtAt: number;
}

const cache = new WeakMap<Snapshot, Cached>();

/**
 * buildKeyLists, remembered per snapshot: `/readyz` asks for the status of every workspace on
 * each probe, and a snapshot never changes. The budget rows are built once per snapshot (a
 * budgets lookup per key is most of the cost at 100,000 keys). Which keys expire soonest only
 * changes when the soonest listed key expires (it leaves the list, and the expired count
 * grows), so until then only the days left are worked out again; a clock that went back
 * builds that list anew.
 */
export function keyListsOf(snapshot: Snapshot, now: number, limit: number = LIST_LIMIT): KeyLists {
  let hit = cache.get(snapshot);
  if (hit === undefined || hit.limit !== limit) {
    hit = { limit, budgets: closestOf(snapshot, limit), expiring: expiringOf(snapshot, now, limit), builtAt: now };
    cache.set(snapshot, hit);
  } else if (now < hit.builtAt || now >= (hit.expiring.expiring[0]?.expiresAt ?? Number.POSITIVE_INFINITY)) {
    hit.expiring = expiringOf(snapshot, now, limit);
    hit.builtAt = now;
  }
  const part = hit.expiring;
  return { limit, ...part, expiring: part.expiring.map((row) => ({ ...row, daysLeft: (row.expiresAt - now) / DAY })), ...hit.budgets };
}
