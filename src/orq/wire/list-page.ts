/**
 * One answer of a list endpoint, in either envelope: `{object: "list", data: [...], has_more}`
 * (the reference page and /v2/projects; `hasMore` on /v2/budgets), or a bare JSON array (the
 * SDK's key list, paged without has_more, and the release candidate's unpaged one).
 */
import { describe, isObject } from '../../util/json.js';
import { firstPresent } from './values.js';

export type ListPage =
  | {
      readonly ok: true;
      readonly items: readonly unknown[];
      /** Undefined for a bare array: only its length says whether another page may follow. */
      readonly hasMore: boolean | undefined;
    }
  | { readonly ok: false; readonly problem: string };

export function parseListPage(body: unknown): ListPage {
  if (Array.isArray(body)) return { ok: true, items: body, hasMore: undefined };
  if (!isObject(body)) return { ok: false, problem: `expected a JSON object or array, got ${describe(body)}` };
  const data = body['data'];
  if (!Array.isArray(data)) return { ok: false, problem: `expected "data" to be an array, got ${describe(data)}` };
  const hasMore = firstPresent(body['has_more'], body['hasMore']);
  if (hasMore !== undefined && typeof hasMore !== 'boolean') {
    return { ok: false, problem: `expected "has_more" to be a boolean, got ${describe(hasMore)}` };
  }
  return { ok: true, items: data, hasMore: hasMore === true };
}
