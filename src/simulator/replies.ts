/**
 * The answer to each endpoint, faults included: parses the query, cuts the page from the
 * state's indexes and wraps the items' JSON in the endpoint's envelope. No HTTP here.
 */
import type { SimBudgetRecord } from './budgets.js';
import { parseBudgetQuery } from './budget-listing.js';
import { faultReply, type FaultableList } from './fault-replies.js';
import type { Fault } from './faults.js';
import type { SimKey } from './generator.js';
import { parseKeyFilters } from './key-listing.js';
import {
  alteredPage,
  alteredWhole,
  listPage,
  parsePageRequest,
  type Alteration,
  type Page,
  type Parsed,
  type RankedList,
} from './listing.js';
import { errorReply, send, type Reply } from './reply.js';
import type { SimState } from './state.js';
import type { WireVariant } from './wire.js';

/**
 * What the key list does with `include_budget=true`: embed each key's budget, not look at the
 * parameter, or refuse it the way a server that does not know it (400) or a token without the
 * Budgets permission (403) might.
 */
export type IncludeBudgetMode = 'embed' | 'ignore' | 'reject_400' | 'reject_403';

/** Embedding is what the SDK variant documents; the others never did. */
export function defaultIncludeBudget(variant: WireVariant): IncludeBudgetMode {
  return variant === 'sdk' ? 'embed' : 'ignore';
}

interface Envelope {
  wrap(items: readonly string[], hasMore: boolean): string;
  wrapRaw(items: unknown[]): string;
}

const dataList = (hasMoreField: string): Envelope => ({
  wrap: (items, hasMore) => `{"object":"list","data":[${items.join(',')}],"${hasMoreField}":${hasMore}}`,
  wrapRaw: (items) => JSON.stringify({ object: 'list', data: items, [hasMoreField]: false }),
});

const REFERENCE = dataList('has_more');
const BUDGETS = dataList('hasMore');
const PROJECTS = dataList('has_more');
const BARE: Envelope = {
  wrap: (items) => `[${items.join(',')}]`,
  wrapRaw: (items) => JSON.stringify(items),
};

const badRequest = (message: string): Reply => errorReply(400, 'invalid_request', message);

function answer<T>(env: Envelope, page: Parsed<Page<T>>, json: (item: T) => string): Reply {
  return page.ok ? send(200, env.wrap(page.value.data.map(json), page.value.hasMore)) : badRequest(page.message);
}

/** A cursor-paged list: `view` is the filtered part of `list` the query selects. */
function pagedList<T>(
  env: Envelope,
  list: RankedList<T>,
  view: Parsed<readonly T[]>,
  query: URLSearchParams,
  noun: string,
  json: (item: T) => string,
): FaultableList {
  const req = parsePageRequest(query);
  const page = (how?: Alteration): Parsed<Page<T>> => {
    if (!view.ok) return view;
    if (!req.ok) return req;
    return how === undefined ? listPage(list, view.value, req.value, noun) : alteredPage(how, list, view.value, req.value, noun);
  };
  return {
    normal: () => answer(env, page(), json),
    altered: (how) => answer(env, page(how), json),
    records: (items) => env.wrapRaw(items),
    emptyPromisingMore: () => env.wrap([], true),
  };
}

/** A list answered whole, whatever `limit` and the cursors say. */
function wholeList<T>(env: Envelope, items: Parsed<readonly T[]>, json: (item: T) => string): FaultableList {
  const whole = (how?: Alteration): Parsed<Page<T>> =>
    items.ok ? { ok: true, value: { data: how === undefined ? [...items.value] : alteredWhole(how, items.value), hasMore: false } } : items;
  return {
    normal: () => answer(env, whole(), json),
    altered: (how) => answer(env, whole(how), json),
    records: (raw) => env.wrapRaw(raw),
    emptyPromisingMore: () => env.wrap([], true),
  };
}

/** true, false, or a message for anything else. */
function flag(raw: string | null): Parsed<boolean> {
  if (raw === null || raw === '' || raw === 'false' || raw === '0') return { ok: true, value: false };
  if (raw === 'true' || raw === '1') return { ok: true, value: true };
  return { ok: false, message: `include_budget must be true or false, got "${raw}"` };
}

export interface KeysRequest {
  variant: WireVariant;
  includeBudget: IncludeBudgetMode;
  query: URLSearchParams;
}

export function keysReply(state: SimState, { variant, includeBudget, query }: KeysRequest, fault?: Fault): Reply {
  const asked = includeBudget === 'ignore' ? ({ ok: true, value: false } as const) : flag(query.get('include_budget'));
  const embed = includeBudget === 'embed' && asked.ok && asked.value;
  const json = (key: SimKey): string => state.keyJson(key, variant, embed);
  const index = state.keyIndex();
  const filters = parseKeyFilters(query);
  const order = variant === 'rc' ? 'name' : 'newest';
  const view: Parsed<readonly SimKey[]> = filters.ok ? { ok: true, value: index.view(order, filters.value) } : filters;
  const list =
    variant === 'rc'
      ? wholeList(BARE, view, json)
      : pagedList(variant === 'reference' ? REFERENCE : BARE, index.list(order), view, query, 'api key', json);
  if (fault !== undefined) return faultReply(fault, list);

  if (!asked.ok) return badRequest(asked.message);
  if (includeBudget === 'reject_400' && query.has('include_budget')) {
    return badRequest('unknown query parameter include_budget');
  }
  if (includeBudget === 'reject_403' && asked.value) {
    return errorReply(403, 'insufficient_scope', 'include_budget needs an API key with the Budgets permission');
  }
  return list.normal();
}

/** `permitted` false is a token without the Budgets permission. */
export function budgetsReply(state: SimState, query: URLSearchParams, permitted: boolean, fault?: Fault): Reply {
  const parsed = parseBudgetQuery(query);
  const index = state.budgetIndex();
  const sort = parsed.ok ? parsed.value.sort : 0;
  const view: Parsed<readonly SimBudgetRecord[]> = parsed.ok ? { ok: true, value: index.view(sort, parsed.value.filters) } : parsed;
  const list = pagedList(BUDGETS, index.list(sort), view, query, 'budget', (r) => state.budgetJson(r));
  if (fault !== undefined) return faultReply(fault, list);
  if (!permitted) {
    return errorReply(403, 'insufficient_scope', 'this API key lacks the Budgets permission');
  }
  return list.normal();
}

export function projectsReply(state: SimState, query: URLSearchParams, fault?: Fault): Reply {
  const list = state.projectList();
  const projects = pagedList(PROJECTS, list, { ok: true, value: list.order }, query, 'project', (p) => state.projectJson(p));
  return fault === undefined ? projects.normal() : faultReply(fault, projects);
}
