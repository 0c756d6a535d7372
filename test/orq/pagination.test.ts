import { describe, expect, it } from 'vitest';
import { RefreshError } from '../../src/orq/errors.js';
import { earlyCursor, walkPages, type WalkOptions } from '../../src/orq/pagination.js';
import { pageBody } from '../../src/orq/response.js';
import type { ListPeek, PageBody } from '../../src/orq/wire/list-scan.js';

const LIMIT = 200;
const ids = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `k${String(from + i).padStart(6, '0')}`);
const items = (list: readonly string[]): Array<{ id: string }> => list.map((id) => ({ id }));
/** A page as the transport hands it over: its text scanned, its parse left to the walk. */
const page = (body: unknown): PageBody => pageBody(JSON.stringify(body));

/** A server over `all` ids, in one of the two envelopes, honouring limit and cursor unless told not to. */
function server(all: readonly string[], kind: 'envelope' | 'bare', quirks: { ignoreLimit?: boolean; ignoreCursor?: boolean } = {}) {
  const asked: Array<string | undefined> = [];
  const fetchPage = async (cursor: string | undefined): Promise<PageBody> => {
    asked.push(cursor);
    const start = cursor === undefined || quirks.ignoreCursor ? 0 : all.indexOf(cursor) + 1;
    const slice = quirks.ignoreLimit ? all.slice(start) : all.slice(start, start + LIMIT);
    return page(kind === 'envelope' ? { object: 'list', data: items(slice), has_more: start + slice.length < all.length } : items(slice));
  };
  return { asked, fetchPage };
}

async function walk(fetchPage: WalkOptions['fetchPage'], extra: Partial<WalkOptions> = {}) {
  const handed: string[] = [];
  const summary = await walkPages({
    limit: LIMIT,
    maxItems: 100_000,
    maxPages: 5_000,
    what: 'keys',
    fetchPage,
    idOf: (item) => (typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'string' ? item.id : ''),
    onItems: (list) => handed.push(...list.map((i) => (i as { id: string }).id)),
    ...extra,
  });
  return { handed, summary };
}

async function failure(promise: Promise<unknown>): Promise<RefreshError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof RefreshError)) throw new Error(`expected a RefreshError, got ${String(error)}`);
  return error;
}

describe('walkPages over a bare array (the SDK: no has_more)', () => {
  it.each([
    [0, 1],
    [1, 1],
    [199, 1],
    [200, 2],
    [201, 2],
    [400, 3],
    [2_345, 12],
  ])('%d keys: every key once, in %d requests', async (count, requests) => {
    const all = ids(0, count);
    const s = server(all, 'bare');
    const { handed, summary } = await walk(s.fetchPage);
    expect(handed).toEqual(all);
    expect(s.asked).toHaveLength(requests);
    expect(summary).toEqual({ pages: requests, items: count, duplicates: 0, ended: 'last_page' });
    // The cursor is always the last id of the page before.
    expect(s.asked.slice(1)).toEqual(Array.from({ length: requests - 1 }, (_, i) => all[(i + 1) * LIMIT - 1]));
  });

  it('takes a server that ignores limit as having sent the whole list', async () => {
    const all = ids(0, 2_345);
    const s = server(all, 'bare', { ignoreLimit: true });
    const { handed, summary } = await walk(s.fetchPage);
    expect(handed).toEqual(all);
    expect(s.asked).toEqual([undefined]);
    expect(summary.ended).toBe('limit_ignored');
  });

  it('stops at a server that ignores the cursor, with no key lost or doubled and no loop', async () => {
    const all = ids(0, 200);
    const s = server(all, 'bare', { ignoreCursor: true });
    const { handed, summary } = await walk(s.fetchPage);
    expect(handed).toEqual(all);
    expect(s.asked).toHaveLength(2);
    expect(summary).toMatchObject({ ended: 'cursor_ignored', duplicates: 0, items: 200 });
  });

  it('stops when a server ignores the cursor on a larger list too, having asked twice', async () => {
    const all = ids(0, 1_000);
    const s = server(all, 'bare', { ignoreCursor: true });
    const { handed, summary } = await walk(s.fetchPage);
    expect(handed).toEqual(all.slice(0, 200));
    expect(s.asked).toHaveLength(2);
    expect(summary.ended).toBe('cursor_ignored');
  });

  it('hands over a page that repeats some keys, counting the repeats, and goes on', async () => {
    const pages = [page(items(ids(0, 200))), page(items([...ids(199, 1), ...ids(200, 150)]))];
    const { handed, summary } = await walk(async () => pages.shift()!);
    expect(handed).toEqual(ids(0, 350));
    expect(summary).toMatchObject({ duplicates: 1, items: 350 });
  });
});

describe('walkPages over the reference envelope (has_more)', () => {
  it.each([
    [0, 1],
    [199, 1],
    [200, 1],
    [201, 2],
    [400, 2],
    [2_345, 12],
  ])('%d keys: every key once, in %d requests', async (count, requests) => {
    const all = ids(0, count);
    const s = server(all, 'envelope');
    const { handed } = await walk(s.fetchPage);
    expect(handed).toEqual(all);
    expect(s.asked).toHaveLength(requests);
  });

  it('fails a page that holds more than the limit asked for', async () => {
    const error = await failure(walk(async () => page({ object: 'list', data: items(ids(0, 50_000)), has_more: true })));
    expect(error.reason).toBe('invalid_response');
    expect(error.message).toBe('keys page 1 holds 50000 items, more than the 200 asked for');
  });

  it('fails a page that promises more but gives no cursor', async () => {
    expect(await failure(walk(async () => page({ data: [], has_more: true })))).toMatchObject({ reason: 'pagination', message: 'keys page 1 is empty but says has_more: true' });
    expect(await failure(walk(async () => page({ data: [{ x: 1 }], has_more: true })))).toMatchObject({
      reason: 'pagination',
      message: 'keys page 1 says has_more: true but has no item id to continue after',
    });
  });

  it('fails a server whose cursor loops', async () => {
    const s = server(ids(0, 1_000), 'envelope', { ignoreCursor: true });
    const error = await failure(walk(s.fetchPage));
    expect(error).toMatchObject({ reason: 'pagination', message: 'keys page 2 repeats the cursor "k000199": upstream pagination loops' });
    expect(s.asked).toHaveLength(2);
  });

  it('gives up past the page bound', async () => {
    const s = server(ids(0, 1_000), 'envelope');
    expect(await failure(walk(s.fetchPage, { maxPages: 3 }))).toMatchObject({ reason: 'pagination', message: 'more than 3 keys pages: giving up rather than looping' });
    expect(s.asked).toHaveLength(3);
  });
});

describe('walkPages bounds what it accepts', () => {
  it('fails a list longer than the ceiling, whichever envelope and however it is paged', async () => {
    for (const kind of ['bare', 'envelope'] as const) {
      const s = server(ids(0, 1_000), kind);
      const error = await failure(walk(s.fetchPage, { maxItems: 500 }));
      expect(error).toMatchObject({ reason: 'invalid_response' });
      expect(error.message).toMatch(/^more than 500 keys in one list/);
      // Pages are asked for one ahead; nothing past the ceiling's page and the one after.
      expect(s.asked.length).toBeLessThanOrEqual(4);
    }
    const all = server(ids(0, 501), 'bare', { ignoreLimit: true });
    expect((await failure(walk(all.fetchPage, { maxItems: 500 }))).reason).toBe('invalid_response');
  });

  it('accepts exactly the ceiling', async () => {
    const s = server(ids(0, 500), 'bare', { ignoreLimit: true });
    expect((await walk(s.fetchPage, { maxItems: 500 })).handed).toHaveLength(500);
  });

  it('names the page of a body that is no list', async () => {
    const pages = [page(items(ids(0, 200))), page({ items: 5 })];
    expect(await failure(walk(async () => pages.shift()!))).toMatchObject({ reason: 'invalid_response', message: 'keys page 2: expected "data" to be an array, got nothing' });
  });

  it('leaves no unhandled rejection when it fails with the next page already asked for', async () => {
    const unhandled = await unhandledDuring(async () => {
      let n = 0;
      const fetchPage = async (): Promise<PageBody> => {
        n++;
        if (n === 2) throw new RefreshError('network', 'next page failed');
        return page(items(ids(0, 200)));
      };
      await failure(walk(fetchPage, { maxItems: 100 }));
    });
    expect(unhandled).toEqual([]);
  });
});

/** The rejections nobody handled while `run` ran, and one turn after it. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await run();
    await new Promise((r) => setImmediate(r));
    return unhandled;
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
}

describe('walkPages asks for the next page before parsing this one', () => {
  /** A scan naming a cursor the parsed page does not end with. */
  const misleading: ListPeek = { form: 'array', items: LIMIT, lastItem: '{"id":"elsewhere"}', hasMore: false };

  /** The server of `server()`, whose pages note when they are parsed, in one log with the asks. */
  function logged(all: readonly string[], kind: 'envelope' | 'bare') {
    const log: string[] = [];
    const s = server(all, kind);
    const fetchPage = async (cursor: string | undefined): Promise<PageBody> => {
      log.push(`ask ${cursor ?? 'first'}`);
      const body = await s.fetchPage(cursor);
      return { peek: body.peek, parse: () => (log.push(`parse after ${cursor ?? 'first'}`), body.parse()) };
    };
    return { log, asked: s.asked, fetchPage };
  }

  it.each(['bare', 'envelope'] as const)('%s: each request leaves before the page before it is parsed, one request a page', async (kind) => {
    const all = ids(0, 450);
    const s = logged(all, kind);
    const { handed } = await walk(s.fetchPage);
    expect(handed).toEqual(all);
    expect(s.log).toEqual(['ask first', `ask ${all[199]}`, 'parse after first', `ask ${all[399]}`, `parse after ${all[199]}`, `parse after ${all[399]}`]);
  });

  it('asks nothing early of a page that ends the list, or that has gone on as far as allowed', async () => {
    const short = logged(ids(0, 199), 'bare');
    await walk(short.fetchPage);
    expect(short.log).toEqual(['ask first', 'parse after first']);
    const bounded = logged(ids(0, 1_000), 'bare');
    await failure(walk(bounded.fetchPage, { maxPages: 2 }));
    expect(bounded.asked).toHaveLength(2);
  });

  it('follows the parsed page where its scan said otherwise, dropping the early answer', async () => {
    const all = ids(0, 300);
    const s = server(all, 'bare');
    const fetchPage = async (cursor: string | undefined): Promise<PageBody> => {
      const body = await s.fetchPage(cursor);
      return cursor === undefined ? { peek: misleading, parse: body.parse } : body;
    };
    const { handed, summary } = await walk(fetchPage);
    expect(handed).toEqual(all);
    expect(s.asked).toEqual([undefined, 'elsewhere', all[199]]);
    expect(summary).toEqual({ pages: 2, items: 300, duplicates: 0, ended: 'last_page' });
  });

  it('leaves no unhandled rejection when a page asked early fails and the walk never awaits it', async () => {
    const unhandled = await unhandledDuring(async () => {
      const fetchPage = async (cursor: string | undefined): Promise<PageBody> => {
        if (cursor === 'elsewhere') throw new RefreshError('network', 'early page failed');
        return { peek: misleading, parse: () => items(ids(0, 10)) };
      };
      expect((await walk(fetchPage)).handed).toEqual(ids(0, 10));
    });
    expect(unhandled).toEqual([]);
  });
});

describe('earlyCursor', () => {
  const idOf = (item: unknown): string => (typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'string' ? item.id : '');
  const peek = (over: Partial<ListPeek>): ListPeek => ({ form: 'array', items: LIMIT, lastItem: '{"id":"k9"}', hasMore: false, ...over });

  it.each<[string, Partial<ListPeek>, string | undefined]>([
    ['a full bare page', {}, 'k9'],
    ['a short bare page', { items: LIMIT - 1 }, undefined],
    ['a bare page longer than asked (limit ignored)', { items: LIMIT + 1 }, undefined],
    ['an envelope saying has_more', { form: 'envelope', items: 3, hasMore: true }, 'k9'],
    ['an envelope saying has_more, longer than asked', { form: 'envelope', items: LIMIT + 1, hasMore: true }, undefined],
    ['an envelope at its end', { form: 'envelope', items: 3, hasMore: false }, undefined],
    ['an envelope whose has_more is no boolean', { form: 'envelope', items: 3, hasMore: undefined }, undefined],
    ['an empty envelope saying has_more', { form: 'envelope', items: 0, hasMore: true }, undefined],
    ['a body that is no list', { form: undefined }, undefined],
    ['a list that never closed', { items: undefined }, undefined],
    ['a last item that is no object', { lastItem: undefined }, undefined],
    ['a last item without an id', { lastItem: '{"name":"x"}' }, undefined],
    ['a last item that is not JSON', { lastItem: '{"id":' }, undefined],
  ])('%s', (_, over, expected) => {
    expect(earlyCursor(peek(over), LIMIT, idOf)).toBe(expected);
  });
});
