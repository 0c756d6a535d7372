import { describe, expect, it } from 'vitest';
import { makeKey } from '../../src/simulator/generator.js';
import { KeyIndex, listPage, paginate, parseListQuery } from '../../src/simulator/listing.js';

const at = (day: number): string => new Date(Date.UTC(2025, 0, day)).toISOString();
// k1 newest ... k6 oldest; odd ones in project p, even ones in project q.
const keys = [1, 2, 3, 4, 5, 6].map((n) =>
  makeKey({
    api_key_id: `01HCCCCCCCCCCCCCCCCCCCCCC${n}`,
    created_at: at(30 - n),
    project_scope: { kind: 'single', project_id: n % 2 === 1 ? 'p' : 'q' },
  }),
);
const id = (n: number): string => `01HCCCCCCCCCCCCCCCCCCCCCC${n}`;

describe('parseListQuery', () => {
  it('defaults limit to 25 and reads cursors and filters', () => {
    expect(parseListQuery({})).toEqual({ ok: true, value: { limit: 25 } });
    expect(parseListQuery({ limit: '7', starting_after: 'a', project_id: 'p', status: 'disabled' })).toEqual({
      ok: true,
      value: { limit: 7, startingAfter: 'a', projectId: 'p', status: 2 },
    });
  });

  it('treats empty project_id and status as absent', () => {
    expect(parseListQuery({ project_id: '', status: '' })).toEqual({ ok: true, value: { limit: 25 } });
  });
});

describe('listPage', () => {
  const index = new KeyIndex(keys);
  const ids = (q: Record<string, string>): string[] | string => {
    const parsed = parseListQuery(q);
    if (!parsed.ok) return parsed.message;
    const page = listPage(index, parsed.value);
    return page.ok ? page.value.data.map((k) => k.api_key_id) : page.message;
  };

  it('uses a cursor that the filter excludes as a position, not as a member', () => {
    // id(2) is in project q; the next p keys after it are 3 and 5.
    expect(ids({ project_id: 'p', starting_after: id(2) })).toEqual([id(3), id(5)]);
    expect(ids({ project_id: 'p', ending_before: id(4) })).toEqual([id(1), id(3)]);
  });

  it('names the unknown cursor', () => {
    expect(ids({ starting_after: 'zzz' })).toBe('starting_after: no api key zzz');
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
