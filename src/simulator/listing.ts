/**
 * What `GET /v2/api-keys` returns for a query, without HTTP: ordering, filters and cursor
 * pagination. Kept pure so the server only decides how to answer, not what.
 */
import type { SimKey } from './generator.js';
import { STATUS_NAMES, enumValue } from './shapes.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 200;

export interface Filters {
  projectId?: string;
  status?: number;
}

export interface ListQuery extends Filters {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export function parseFilters(query: Readonly<Record<string, string>>): Parsed<Filters> {
  const filters: Filters = {};
  if (query.project_id) filters.projectId = query.project_id;
  const status = query.status;
  if (status !== undefined && status !== '') {
    // The API documents an integer; clients built against shape B send the spelling.
    const value = /^\d+$/.test(status) ? Number(status) : enumValue(STATUS_NAMES, status);
    if (value === undefined) {
      return { ok: false, message: `status must be an integer or one of ${STATUS_NAMES.join(', ')}` };
    }
    filters.status = value;
  }
  return { ok: true, value: filters };
}

export function parseListQuery(query: Readonly<Record<string, string>>): Parsed<ListQuery> {
  const filters = parseFilters(query);
  if (!filters.ok) return filters;
  let limit = DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    limit = /^\d+$/.test(query.limit) ? Number(query.limit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) return { ok: false, message: `limit must be between 1 and ${MAX_LIMIT}` };
  }
  const out: ListQuery = { ...filters.value, limit };
  if (query.starting_after) out.startingAfter = query.starting_after;
  if (query.ending_before) out.endingBefore = query.ending_before;
  if (out.startingAfter !== undefined && out.endingBefore !== undefined) {
    return { ok: false, message: 'starting_after and ending_before cannot be used together' };
  }
  return { ok: true, value: out };
}

/**
 * A key set in the two orders the API uses. Built once per `setKeys`; sorted and filtered
 * views are memoised because a 100,000-key walk asks for the same view 500 times.
 */
export class KeyIndex {
  readonly keys: readonly SimKey[];
  private newest: SimKey[] | undefined;
  private rank: Map<string, number> | undefined;
  private named: SimKey[] | undefined;
  private readonly views = new Map<string, SimKey[]>();
  private projects: string[] | undefined;
  private projectRanks: Map<string, number> | undefined;

  constructor(keys: readonly SimKey[]) {
    this.keys = keys;
  }

  /** Newest first: created_at descending, then id descending, as shape A pages. */
  newestFirst(): SimKey[] {
    if (this.newest === undefined) {
      const created = new Map<SimKey, number>();
      // Parsed once up front: Date.parse inside the comparator would run n log n times.
      for (const key of this.keys) created.set(key, Date.parse(key.created_at) || 0);
      this.newest = [...this.keys].sort((a, b) => {
        const diff = (created.get(b) ?? 0) - (created.get(a) ?? 0);
        if (diff !== 0) return diff;
        return a.api_key_id < b.api_key_id ? 1 : a.api_key_id > b.api_key_id ? -1 : 0;
      });
    }
    return this.newest;
  }

  /** Position of an id in newest-first order; cursors are compared by it. */
  rankOf(id: string): number | undefined {
    if (this.rank === undefined) {
      this.rank = new Map();
      this.newestFirst().forEach((key, i) => this.rank?.set(key.api_key_id, i));
    }
    return this.rank.get(id);
  }

  /** By name, then id: the order shape B answers in. Code-unit order, not locale, for speed and stability. */
  byName(): SimKey[] {
    this.named ??= [...this.keys].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.api_key_id < b.api_key_id ? -1 : a.api_key_id > b.api_key_id ? 1 : 0,
    );
    return this.named;
  }

  /** The project ids single-project keys point at, ascending: what `/v2/projects` lists. */
  projectIds(): string[] {
    if (this.projects === undefined) {
      const ids = new Set<string>();
      for (const key of this.keys) if (key.project_scope.kind === 'single') ids.add(key.project_scope.project_id);
      this.projects = [...ids].sort();
      this.projectRanks = new Map(this.projects.map((id, i) => [id, i]));
    }
    return this.projects;
  }

  projectRankOf(id: string): number | undefined {
    this.projectIds();
    return this.projectRanks?.get(id);
  }

  view(order: 'newest' | 'name', filters: Filters): SimKey[] {
    const all = order === 'newest' ? this.newestFirst() : this.byName();
    if (filters.projectId === undefined && filters.status === undefined) return all;
    const memo = `${order}\u0000${filters.projectId ?? ''}\u0000${filters.status ?? ''}`;
    let view = this.views.get(memo);
    if (view === undefined) {
      view = all.filter((key) => matches(key, filters));
      this.views.set(memo, view);
    }
    return view;
  }
}

export function matches(key: SimKey, filters: Filters): boolean {
  if (filters.status !== undefined && key.status !== filters.status) return false;
  if (filters.projectId !== undefined) {
    return key.project_scope.kind === 'single' && key.project_scope.project_id === filters.projectId;
  }
  return true;
}

/** First index in `list` whose rank is >= `rank`; list ranks ascend. */
function lowerBound<T>(list: readonly T[], rankOf: (item: T) => number, rank: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rankOf(list[mid] as T) < rank) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Window {
  limit: number;
  /** rank of the starting_after cursor */
  after?: number;
  /** rank of the ending_before cursor */
  before?: number;
}

/**
 * One page of a ranked list. Cursors are positions, not membership: a cursor item filtered
 * out of this view still marks where the page starts, as a database cursor would.
 */
export function paginate<T>(list: readonly T[], rankOf: (item: T) => number, w: Window): Page<T> {
  if (w.before !== undefined) {
    const end = lowerBound(list, rankOf, w.before);
    const start = Math.max(0, end - w.limit);
    return { data: list.slice(start, end), hasMore: start > 0 };
  }
  const start = w.after === undefined ? 0 : lowerBound(list, rankOf, w.after + 1);
  return { data: list.slice(start, start + w.limit), hasMore: start + w.limit < list.length };
}

export type KeyPage = Parsed<Page<SimKey>>;

function cursorRanks(index: KeyIndex, q: ListQuery): Parsed<Window> {
  const w: Window = { limit: q.limit };
  if (q.startingAfter !== undefined) {
    const rank = index.rankOf(q.startingAfter);
    if (rank === undefined) return { ok: false, message: `starting_after: no api key ${q.startingAfter}` };
    w.after = rank;
  }
  if (q.endingBefore !== undefined) {
    const rank = index.rankOf(q.endingBefore);
    if (rank === undefined) return { ok: false, message: `ending_before: no api key ${q.endingBefore}` };
    w.before = rank;
  }
  return { ok: true, value: w };
}

/** The shape-A page for a query: newest first, filtered, cursor-paged. */
export function listPage(index: KeyIndex, q: ListQuery): KeyPage {
  const w = cursorRanks(index, q);
  if (!w.ok) return w;
  const rankOf = (key: SimKey): number => index.rankOf(key.api_key_id) ?? -1;
  return { ok: true, value: paginate(index.view('newest', q), rankOf, w.value) };
}

/**
 * The page before the one asked for, ending with the cursor item: a server that ignored
 * `starting_after`. On a first page there is no cursor to repeat, so it is the normal first
 * page that promises more.
 */
export function repeatCursorPage(index: KeyIndex, q: ListQuery): KeyPage {
  if (q.startingAfter === undefined) {
    const first = listPage(index, q);
    return first.ok ? { ok: true, value: { data: first.value.data, hasMore: true } } : first;
  }
  const rank = index.rankOf(q.startingAfter);
  if (rank === undefined) return { ok: false, message: `starting_after: no api key ${q.startingAfter}` };
  const rankOf = (key: SimKey): number => index.rankOf(key.api_key_id) ?? -1;
  const page = paginate(index.view('newest', q), rankOf, { limit: q.limit, before: rank + 1 });
  return { ok: true, value: { data: page.data, hasMore: true } };
}

/**
 * The normal page with an already-seen item in front (the cursor item, or on a first page
 * the page's own first item). The page keeps its size, so its last item moves back by one
 * and following the cursor still reaches every key.
 */
export function duplicatePage(index: KeyIndex, q: ListQuery): KeyPage {
  const page = listPage(index, q);
  if (!page.ok) return page;
  const cursorKey =
    q.startingAfter === undefined ? undefined : index.newestFirst()[index.rankOf(q.startingAfter) ?? -1];
  const dup = cursorKey ?? page.value.data[0];
  if (dup === undefined) return page;
  const data = [dup, ...page.value.data];
  return { ok: true, value: { data: data.slice(0, q.limit), hasMore: page.value.hasMore || data.length > q.limit } };
}
