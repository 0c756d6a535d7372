/**
 * The cursor walk over a list endpoint, whichever envelope it answers in, over an injected
 * page fetch so it is tested without HTTP. Each page waits for the one before (its cursor is
 * the last id there), so the walk keeps its own work off that wait: it asks for the next page
 * from what the scan of this page's text says, before parsing it, and hands this page's items
 * over while the next one travels. It never loops and never hands over an item twice:
 * - an envelope with `has_more: true` continues after its last id; a page with more items than
 *   asked for, an empty page that promises more, or a cursor seen before fails the walk;
 * - a bare array (the SDK's key list has no `has_more`) continues while a page is exactly the
 *   size asked for; a shorter page ends the list, a longer one means the server ignores
 *   `limit` and sent everything, and a page of nothing new means it ignores the cursor.
 * Where the parsed page disagrees with its scan, the parsed page decides: a request asked
 * early for another cursor is left unread, and the right one is asked.
 */
import { RefreshError } from './errors.js';
import { parseListPage } from './wire/list-page.js';
import type { ListPeek, PageBody } from './wire/list-scan.js';

export interface WalkOptions {
  /** The page size asked for. */
  readonly limit: number;
  /** Most distinct items accepted in all; more fails the walk as invalid_response. */
  readonly maxItems: number;
  /** Most pages followed; more fails the walk as pagination. */
  readonly maxPages: number;
  /** What is listed, for messages: "keys", "budgets", "projects". */
  readonly what: string;
  /** The page after `cursor` (the first page for undefined), read but not yet parsed. */
  readonly fetchPage: (cursor: string | undefined) => Promise<PageBody>;
  /** An item's id, '' when it has none (such items are handed over; the caller skips them). */
  readonly idOf: (item: unknown) => string;
  /** This page's items not handed over before, in order. */
  readonly onItems: (items: readonly unknown[]) => void;
}

/** How the list ended; anything but `last_page` is a server not honouring what was asked. */
export type WalkEnd = 'last_page' | 'limit_ignored' | 'cursor_ignored';

export interface WalkSummary {
  readonly pages: number;
  readonly items: number;
  /** Items whose id was already handed over (on a page that also brought new ones). */
  readonly duplicates: number;
  readonly ended: WalkEnd;
}

export async function walkPages(options: WalkOptions): Promise<WalkSummary> {
  const { limit, maxItems, maxPages, what } = options;
  const seen = new Set<string>();
  const cursors = new Set<string>();
  let items = 0;
  let duplicates = 0;
  let pages = 0;
  let ended: WalkEnd = 'last_page';
  let pending: Promise<PageBody> | undefined = options.fetchPage(undefined);

  while (pending !== undefined) {
    const arrived: PageBody = await pending;
    pending = undefined;
    pages++;
    const early: string | undefined = pages < maxPages ? earlyCursor(arrived.peek, limit, options.idOf) : undefined;
    const asked: Asked | undefined = early === undefined || cursors.has(early) ? undefined : await ask(options, early);

    const page = parseListPage(arrived.parse());
    if (!page.ok) throw new RefreshError('invalid_response', `${what} page ${pages}: ${page.problem}`);
    const list = page.items;
    const ids = list.map(options.idOf);

    const fresh = ids.filter((id) => id === '' || !seen.has(id)).length;
    let next: string | undefined;
    if (page.hasMore !== undefined) {
      if (list.length > limit) {
        throw new RefreshError('invalid_response', `${what} page ${pages} holds ${list.length} items, more than the ${limit} asked for`);
      }
      if (page.hasMore) {
        next = ids.findLast((id) => id !== '');
        if (next === undefined) {
          throw new RefreshError(
            'pagination',
            list.length === 0 ? `${what} page ${pages} is empty but says has_more: true` : `${what} page ${pages} says has_more: true but has no item id to continue after`,
          );
        }
        if (cursors.has(next)) {
          throw new RefreshError('pagination', `${what} page ${pages} repeats the cursor ${JSON.stringify(next)}: upstream pagination loops`);
        }
      }
    } else if (list.length > limit) {
      ended = 'limit_ignored';
    } else if (list.length === limit && list.length > 0) {
      const last = ids.findLast((id) => id !== '');
      if (fresh === 0 || last === undefined || cursors.has(last)) {
        // The same items again: the server ignores the cursor. Nothing new is lost by stopping.
        ended = 'cursor_ignored';
        break;
      }
      next = last;
    }

    if (next !== undefined) {
      if (pages >= maxPages) throw new RefreshError('pagination', `more than ${maxPages} ${what} pages: giving up rather than looping`);
      cursors.add(next);
      pending = asked?.cursor === next ? asked.page : (await ask(options, next)).page;
    }

    const handed: unknown[] = [];
    for (let i = 0; i < list.length; i++) {
      const id = ids[i]!;
      if (id !== '') {
        if (seen.has(id)) {
          duplicates++;
          continue;
        }
        seen.add(id);
      }
      handed.push(list[i]);
    }
    items += handed.length;
    if (items > maxItems) {
      throw new RefreshError('invalid_response', `more than ${maxItems} ${what} in one list: refusing it (MAX_KEYS bounds it)`);
    }
    options.onItems(handed);
  }
  return { pages, items, duplicates, ended };
}

/**
 * The cursor of the next page as the scan of this one has it: only where the page plainly
 * goes on (a full bare array, or an envelope saying has_more with no more items than asked),
 * and its last item is an object with an id.
 */
export function earlyCursor(peek: ListPeek, limit: number, idOf: (item: unknown) => string): string | undefined {
  if (peek.items === undefined || peek.lastItem === undefined || peek.items === 0 || peek.items > limit) return undefined;
  const goesOn = peek.form === 'array' ? peek.items === limit : peek.form === 'envelope' && peek.hasMore === true;
  if (!goesOn) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(peek.lastItem);
  } catch {
    return undefined;
  }
  const id = idOf(last);
  return id === '' ? undefined : id;
}

interface Asked {
  readonly cursor: string;
  readonly page: Promise<PageBody>;
}

async function ask(options: WalkOptions, cursor: string): Promise<Asked> {
  const page = options.fetchPage(cursor);
  // Should the walk fail, or not take this page, before awaiting it, its failure must not go
  // unhandled.
  page.catch(() => undefined);
  // undici writes a request on a reused keep-alive socket only from the event loop's check
  // phase (it first looks for bytes the server sent unasked): this turn lets the request leave
  // before the walk's own work on this page, not after it.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return { cursor, page };
}
