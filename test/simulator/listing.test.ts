import { describe, expect, it } from 'vitest';
import { STATUS } from '../../src/simulator/enums.js';
import {
  RankedList,
  alteredPage,
  alteredWhole,
  compareText,
  enumList,
  listPage,
  paginate,
  parsePageRequest,
  repeated,
  type PageRequest,
} from '../../src/simulator/listing.js';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

describe('parsePageRequest', () => {
  it('defaults limit to 25 and reads the cursors', () => {
    expect(parsePageRequest(q(''))).toEqual({ ok: true, value: { limit: 25 } });
    expect(parsePageRequest(q('limit=7&starting_after=a'))).toEqual({ ok: true, value: { limit: 7, startingAfter: 'a' } });
    expect(parsePageRequest(q('ending_before=b'))).toEqual({ ok: true, value: { limit: 25, endingBefore: 'b' } });
  });

  it('treats empty cursors as absent', () => {
    expect(parsePageRequest(q('starting_after=&ending_before='))).toEqual({ ok: true, value: { limit: 25 } });
  });

  it.each(['0', '201', 'abc', '1.5', '-3', '', ' 5', '1e2'])('refuses limit=%j', (limit) => {
    expect(parsePageRequest(new URLSearchParams({ limit }))).toEqual({ ok: false, message: 'limit must be between 1 and 200' });
  });

  it('refuses both cursors at once', () => {
    expect(parsePageRequest(q('starting_after=a&ending_before=b')).ok).toBe(false);
  });
});

describe('repeated and enumList', () => {
  it('read a[]=, repeated keys and comma lists alike, dropping blanks', () => {
    expect(repeated(q('a=1&a=2&a[]=3&a=4,5&a=&a= 6 '), 'a')).toEqual(['1', '2', '4', '5', '6', '3']);
  });

  it('read enum values in any spelling, once each, with the zero value meaning no filter', () => {
    expect(enumList(q('s=active&s=API_KEY_STATUS_REVOKED&s=1'), 's', STATUS)).toEqual({ ok: true, value: [1, 3] });
    expect(enumList(q('s=unspecified'), 's', STATUS)).toEqual({ ok: true, value: undefined });
    expect(enumList(q(''), 's', STATUS)).toEqual({ ok: true, value: undefined });
    const bad = enumList(q('s=active&s=gone'), 's', STATUS);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).toMatch(/^s: unknown value "gone", expected one of 0\|unspecified\|API_KEY_STATUS_UNSPECIFIED/);
  });
});

describe('compareText', () => {
  it('orders by code unit, not locale', () => {
    expect(['b', 'B', 'a', 'é', 'Z'].sort(compareText)).toEqual(['B', 'Z', 'a', 'b', 'é']);
  });
});

describe('paginate', () => {
  const list = [10, 20, 30, 40, 50];
  const rank = (n: number): number => n;

  it('pages forward after a rank and backward before one', () => {
    expect(paginate(list, rank, { limit: 2 })).toEqual({ data: [10, 20], hasMore: true });
    expect(paginate(list, rank, { limit: 2, after: 20 })).toEqual({ data: [30, 40], hasMore: true });
    expect(paginate(list, rank, { limit: 2, after: 40 })).toEqual({ data: [50], hasMore: false });
    expect(paginate(list, rank, { limit: 2, before: 40 })).toEqual({ data: [20, 30], hasMore: true });
    expect(paginate(list, rank, { limit: 2, before: 20 })).toEqual({ data: [10], hasMore: false });
    expect(paginate(list, rank, { limit: 2, after: 50 })).toEqual({ data: [], hasMore: false });
  });
});

interface Item {
  id: string;
  n: number;
}
// Ordered by n descending; odd n are "p".
const items: Item[] = [3, 1, 6, 2, 5, 4].map((n) => ({ id: `i${n}`, n }));
const list = new RankedList(items, (a, b) => b.n - a.n, (i) => i.id);
const odd = list.view('odd', (i) => i.n % 2 === 1);
const ids = (page: ReturnType<typeof listPage<Item>>): string[] | string =>
  page.ok ? page.value.data.map((i) => i.id) : page.message;

describe('RankedList', () => {
  it('orders once, and ranks items and ids by position', () => {
    expect(list.order.map((i) => i.id)).toEqual(['i6', 'i5', 'i4', 'i3', 'i2', 'i1']);
    expect(list.rankOfId('i4')).toBe(2);
    expect(list.rankOfId('nope')).toBeUndefined();
    expect(list.rankOf(items[0]!)).toBe(3);
  });

  it('memoises views by name, and gives the whole order for no filter', () => {
    expect(list.view('odd', () => false)).toBe(odd);
    expect(list.view(undefined, () => false)).toBe(list.order);
    expect(odd.map((i) => i.id)).toEqual(['i5', 'i3', 'i1']);
  });

  it('starts its memo again past 64 views rather than growing for ever', () => {
    const first = list.view('v0', () => true);
    for (let i = 1; i <= 64; i++) list.view(`v${i}`, () => true);
    expect(list.view('v0', () => true)).not.toBe(first);
  });

  it('points a repeated id’s cursor at its first place', () => {
    const twice = new RankedList([{ id: 'a', n: 1 }, { id: 'a', n: 2 }], (x, y) => x.n - y.n, (i) => i.id);
    expect(twice.rankOfId('a')).toBe(0);
  });
});

describe('listPage', () => {
  it('uses a cursor that the view excludes as a position, not as a member', () => {
    expect(ids(listPage(list, odd, { limit: 5, startingAfter: 'i4' }, 'item'))).toEqual(['i3', 'i1']);
    expect(ids(listPage(list, odd, { limit: 5, endingBefore: 'i2' }, 'item'))).toEqual(['i5', 'i3']);
  });

  it('names the unknown cursor', () => {
    expect(ids(listPage(list, odd, { limit: 5, startingAfter: 'zzz' }, 'api key'))).toBe('starting_after: no api key zzz');
    expect(ids(listPage(list, odd, { limit: 5, endingBefore: 'zzz' }, 'budget'))).toBe('ending_before: no budget zzz');
  });
});

describe('alteredPage', () => {
  const all = list.order;
  const page = (how: Parameters<typeof alteredPage>[0], req: PageRequest) => alteredPage(how, list, all, req, 'item');

  it('repeat_cursor: the page before, ending with the cursor, promising more; a first page promises more', () => {
    expect(page('repeat_cursor', { limit: 2, startingAfter: 'i3' })).toEqual({ ok: true, value: { data: [all[2], all[3]], hasMore: true } });
    expect(page('repeat_cursor', { limit: 10 })).toEqual({ ok: true, value: { data: [...all], hasMore: true } });
  });

  it('duplicate_ids: the cursor item in front at the same size; on a first page its own first item', () => {
    expect(page('duplicate_ids', { limit: 2, startingAfter: 'i5' })).toEqual({ ok: true, value: { data: [all[1], all[2]], hasMore: true } });
    expect(page('duplicate_ids', { limit: 3 })).toEqual({ ok: true, value: { data: [all[0], all[0], all[1]], hasMore: true } });
    expect(alteredPage('duplicate_ids', list, [], { limit: 3 }, 'item')).toEqual({ ok: true, value: { data: [], hasMore: false } });
  });

  it('ignore_limit: everything from the cursor on, promising nothing more', () => {
    expect(page('ignore_limit', { limit: 1, startingAfter: 'i5' })).toEqual({ ok: true, value: { data: all.slice(2), hasMore: false } });
    expect(page('ignore_limit', { limit: 1, endingBefore: 'i2' })).toEqual({ ok: true, value: { data: all.slice(0, 4), hasMore: false } });
  });

  it('ignore_cursor: the first page, whatever the cursor said', () => {
    expect(page('ignore_cursor', { limit: 2, startingAfter: 'i3' })).toEqual({ ok: true, value: { data: all.slice(0, 2), hasMore: true } });
  });

  it('refuses an unknown cursor as the normal page does', () => {
    for (const how of ['repeat_cursor', 'duplicate_ids', 'ignore_limit', 'ignore_cursor'] as const) {
      expect(page(how, { limit: 2, startingAfter: 'zzz' }).ok).toBe(false);
    }
  });
});

describe('alteredWhole', () => {
  it('changes an unpaged list only by a duplicate in front', () => {
    expect(alteredWhole('duplicate_ids', [1, 2])).toEqual([1, 1, 2]);
    expect(alteredWhole('duplicate_ids', [])).toEqual([]);
    for (const how of ['repeat_cursor', 'ignore_limit', 'ignore_cursor'] as const) expect(alteredWhole(how, [1, 2])).toEqual([1, 2]);
  });
});
