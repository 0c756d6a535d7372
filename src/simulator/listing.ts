/**
 * Ordering and cursor pagination shared by every list the simulator serves, without HTTP:
 * a list in one fixed order, pages of it after or before a cursor, and the ways a faulty
 * server gets pages wrong. Pure, so tests pin paging without a socket.
 */

import { describeEnum, parseEnumParam, type EnumTable } from './enums.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 200;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export function parsePageRequest(query: URLSearchParams): Parsed<PageRequest> {
  let limit = DEFAULT_LIMIT;
  const rawLimit = query.get('limit');
  if (rawLimit !== null) {
    limit = /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) return { ok: false, message: `limit must be between 1 and ${MAX_LIMIT}` };
  }
  const out: PageRequest = { limit };
  const after = query.get('starting_after');
  const before = query.get('ending_before');
  if (after) out.startingAfter = after;
  if (before) out.endingBefore = before;
  if (out.startingAfter !== undefined && out.endingBefore !== undefined) {
    return { ok: false, message: 'starting_after and ending_before cannot be used together' };
  }
  return { ok: true, value: out };
}

/** Every value of a repeated parameter: `a=1&a=2`, `a[]=1` and `a=1,2` alike. */
export function repeated(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(name), ...query.getAll(`${name}[]`)]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Enum values of a repeated parameter; the zero value means "no filter", as in protobuf. */
export function enumList(query: URLSearchParams, name: string, t: EnumTable): Parsed<number[] | undefined> {
  const values: number[] = [];
  for (const raw of repeated(query, name)) {
    const value = parseEnumParam(t, raw);
    if (value === undefined) return { ok: false, message: `${name}: unknown value "${raw}", expected one of ${describeEnum(t)}` };
    if (value !== 0 && !values.includes(value)) values.push(value);
  }
  return { ok: true, value: values.length === 0 ? undefined : values };
}

/** Code-unit order, not locale: fast, and the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Filtered views kept per list; past this many the memo starts again, so odd searches cannot grow it for ever. */
const MAX_VIEWS = 64;

/**
 * Items in one fixed order, with the position of each item and of each id. Filtered views are
 * memoised because a 100,000-key walk asks for the same view 500 times.
 */
export class RankedList<T> {
  readonly order: readonly T[];
  private readonly itemRanks = new Map<T, number>();
  private readonly idRanks = new Map<string, number>();
  private readonly views = new Map<string, T[]>();

  constructor(items: readonly T[], compare: (a: T, b: T) => number, idOf: (item: T) => string) {
    this.order = [...items].sort(compare);
    this.order.forEach((item, i) => {
      this.itemRanks.set(item, i);
      const id = idOf(item);
      // The first of two items with one id is where its cursor points.
      if (!this.idRanks.has(id)) this.idRanks.set(id, i);
    });
  }

  rankOfId(id: string): number | undefined {
    return this.idRanks.get(id);
  }

  rankOf(item: T): number {
    return this.itemRanks.get(item) ?? -1;
  }

  /** The items `keep` accepts, in order; `memo` names the filter, undefined meaning none. */
  view(memo: string | undefined, keep: (item: T) => boolean): readonly T[] {
    if (memo === undefined) return this.order;
    let view = this.views.get(memo);
    if (view === undefined) {
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      view = this.order.filter(keep);
      this.views.set(memo, view);
    }
    return view;
  }
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

function cursorWindow<T>(list: RankedList<T>, req: PageRequest, noun: string): Parsed<Window> {
  const w: Window = { limit: req.limit };
  if (req.startingAfter !== undefined) {
    const rank = list.rankOfId(req.startingAfter);
    if (rank === undefined) return { ok: false, message: `starting_after: no ${noun} ${req.startingAfter}` };
    w.after = rank;
  }
  if (req.endingBefore !== undefined) {
    const rank = list.rankOfId(req.endingBefore);
    if (rank === undefined) return { ok: false, message: `ending_before: no ${noun} ${req.endingBefore}` };
    w.before = rank;
  }
  return { ok: true, value: w };
}

/** The page of `view` (a filtered view of `list`) that a request asks for; `noun` names an unknown cursor. */
export function listPage<T>(list: RankedList<T>, view: readonly T[], req: PageRequest, noun: string): Parsed<Page<T>> {
  const w = cursorWindow(list, req, noun);
  if (!w.ok) return w;
  return { ok: true, value: paginate(view, (item) => list.rankOf(item), w.value) };
}

/** How a faulty server gets a page wrong. */
export type Alteration = 'repeat_cursor' | 'duplicate_ids' | 'ignore_limit' | 'ignore_cursor';

/**
 * The page a faulty server answers instead:
 * - repeat_cursor: the page before the one asked for, ending with the cursor item and still
 *   promising more; on a first page the normal page, promising more even when nothing follows.
 * - duplicate_ids: the normal page with an already-seen item in front (the cursor item, or on
 *   a first page its own first item), at the same size, so following cursors still reaches all.
 * - ignore_limit: everything from the cursor on, however many that is, promising no more.
 * - ignore_cursor: the first page again, whatever the cursor said.
 */
export function alteredPage<T>(
  how: Alteration,
  list: RankedList<T>,
  view: readonly T[],
  req: PageRequest,
  noun: string,
): Parsed<Page<T>> {
  const normal = listPage(list, view, req, noun);
  if (!normal.ok) return normal;
  const rankOf = (item: T): number => list.rankOf(item);
  const cursor = req.startingAfter === undefined ? undefined : list.rankOfId(req.startingAfter);
  switch (how) {
    case 'repeat_cursor': {
      if (cursor === undefined) return { ok: true, value: { data: normal.value.data, hasMore: true } };
      const page = paginate(view, rankOf, { limit: req.limit, before: cursor + 1 });
      return { ok: true, value: { data: page.data, hasMore: true } };
    }
    case 'duplicate_ids': {
      const dup = (cursor === undefined ? undefined : list.order[cursor]) ?? normal.value.data[0];
      if (dup === undefined) return normal;
      const data = [dup, ...normal.value.data];
      return { ok: true, value: { data: data.slice(0, req.limit), hasMore: normal.value.hasMore || data.length > req.limit } };
    }
    case 'ignore_limit':
      return listPage(list, view, { ...req, limit: Number.MAX_SAFE_INTEGER }, noun);
    case 'ignore_cursor':
      return listPage(list, view, { limit: req.limit }, noun);
  }
}

/** The same faults on a list that is never paged: only a duplicate changes anything. */
export function alteredWhole<T>(how: Alteration, items: readonly T[]): T[] {
  const first = items[0];
  return how === 'duplicate_ids' && first !== undefined ? [first, ...items] : [...items];
}
