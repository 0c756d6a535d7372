import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListPage } from '../../../src/orq/wire/list-page.js';
import { ListScanner, scanList, type ListPeek } from '../../../src/orq/wire/list-scan.js';

const count = (text: string): number => scanList(text).count;
const peek = (text: string): ListPeek => scanList(text).peek();

describe('ListScanner: how many records', () => {
  it.each([
    ['[]', 0],
    ['[ ]', 0],
    ['[1]', 1],
    ['[1,2,3]', 3],
    ['[{"a":1,"b":[1,2,3,4,5]},{"c":2}]', 2],
    ['{"object":"list","data":[{"id":"a","x":{"y":[1,2,3,4]}},{"id":"b"}],"has_more":true}', 2],
    ['{"data":[],"other":[1,2,3]}', 3],
    ['["a,b,c","[1,2]","\\"],["]', 3],
    ['[[1,2,3,4],[5]]', 4],
    ['[[[1,2,3,4,5,6]]]', 1],
    ['[1,2,', 3],
    ['{"data":[1,2', 2],
    ['42', 0],
    ['"[1,2,3]"', 0],
  ])('%s holds %d', (text, expected) => {
    expect(count(text)).toBe(expected);
  });

  it('counts the same however the text is split', () => {
    const text = '{"object":"list","data":[{"id":"a,\\"b"},{"id":"[c]"},3,4],"has_more":false}';
    for (let cut = 0; cut <= text.length; cut++) {
      const scanner = new ListScanner();
      scanner.feed(text.slice(0, cut));
      scanner.feed(text.slice(cut));
      expect(scanner.count).toBe(4);
    }
  });

  it('agrees with JSON.parse on any JSON list, bare or in an envelope', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 30 }), fc.boolean(), (items, envelope) => {
        const body = envelope ? { object: 'list', data: items, has_more: false } : items;
        // Nested arrays at depth 2 may be longer than the list: the count is a bound, never less.
        const nested = items.reduce<number>((most, item) => Math.max(most, Array.isArray(item) && !envelope ? item.length : 0), 0);
        expect(count(JSON.stringify(body))).toBe(Math.max(items.length, nested));
      }),
      { seed: 8, numRuns: 500 },
    );
  });

  it('counts five million records of a hostile page without building them', () => {
    expect(count(`[${'1,'.repeat(5_000_000)}1]`)).toBe(5_000_001);
  });
});

describe('ListScanner: where the list goes on', () => {
  it.each<[string, string, ListPeek]>([
    ['a bare array of objects', '[{"id":"a"},{"id":"b","x":{"id":"inner"}}]', { form: 'array', items: 2, lastItem: '{"id":"b","x":{"id":"inner"}}', hasMore: false }],
    ['an empty bare array', '[]', { form: 'array', items: 0, lastItem: undefined, hasMore: false }],
    ['a bare array ending in a string', '[{"id":"a"},"b"]', { form: 'array', items: 2, lastItem: undefined, hasMore: false }],
    ['a bare array ending in an array', '[{"id":"a"},[{"id":"b"}]]', { form: 'array', items: 2, lastItem: undefined, hasMore: false }],
    ['the reference envelope', '{"object":"list","data":[{"id":"a"},{"id":"b"}],"has_more":true}', { form: 'envelope', items: 2, lastItem: '{"id":"b"}', hasMore: true }],
    ['has_more before data', '{"has_more":true,"data":[{"id":"a"}]}', { form: 'envelope', items: 1, lastItem: '{"id":"a"}', hasMore: true }],
    ['the budgets envelope (hasMore)', '{"object":"list","data":[{"budgetId":"b1"}],"hasMore":true}', { form: 'envelope', items: 1, lastItem: '{"budgetId":"b1"}', hasMore: true }],
    ['has_more wins over hasMore', '{"data":[{"id":"a"}],"has_more":false,"hasMore":true}', { form: 'envelope', items: 1, lastItem: '{"id":"a"}', hasMore: false }],
    ['a null has_more gives way to hasMore', '{"data":[{"id":"a"}],"has_more":null,"hasMore":true}', { form: 'envelope', items: 1, lastItem: '{"id":"a"}', hasMore: true }],
    ['no has_more at all', '{"data":[{"id":"a"}]}', { form: 'envelope', items: 1, lastItem: '{"id":"a"}', hasMore: false }],
    ['a has_more that is a string', '{"data":[{"id":"a"}],"has_more":"true"}', { form: 'envelope', items: 1, lastItem: '{"id":"a"}', hasMore: undefined }],
    ['the last of two data keys', '{"data":[{"id":"a"},{"id":"b"}],"data":[{"id":"c"}],"has_more":true}', { form: 'envelope', items: 1, lastItem: '{"id":"c"}', hasMore: true }],
    ['a data that is no array', '{"data":{"id":"a"},"has_more":true}', { form: undefined, items: undefined, lastItem: undefined, hasMore: true }],
    ['data and has_more only nested', '{"meta":{"data":[{"id":"a"}],"has_more":true}}', { form: undefined, items: undefined, lastItem: undefined, hasMore: false }],
    ['an escaped key that only decodes to data', '{"d\\u0061ta":[{"id":"a"}],"has_more":true}', { form: undefined, items: undefined, lastItem: undefined, hasMore: true }],
    ['keys and values holding brackets and quotes', '{"x":"\\"data\\":[","data":[{"id":"a]}\\"{"}],"has_more":true}', { form: 'envelope', items: 1, lastItem: '{"id":"a]}\\"{"}', hasMore: true }],
    ['a body cut short', '[{"id":"a"},{"id":"b"}', { form: 'array', items: undefined, lastItem: undefined, hasMore: false }],
    ['a last item cut short', '[{"id":"a"},{"id":"b"', { form: 'array', items: undefined, lastItem: undefined, hasMore: false }],
    ['a bare value', '42', { form: undefined, items: undefined, lastItem: undefined, hasMore: false }],
  ])('%s', (_, text, expected) => {
    expect(peek(text)).toEqual(expected);
  });

  it('finds the same last item fed a character at a time, an item spanning many chunks', () => {
    const text = '{"data":[{"id":"a"},{"id":"b","nested":{"list":[1,{"x":"}]"}]}}],"has_more":true}';
    const scanner = new ListScanner();
    for (const c of text) scanner.feed(c);
    expect(scanner.peek()).toEqual(peek(text));
    expect(JSON.parse(scanner.peek().lastItem!)).toEqual({ id: 'b', nested: { list: [1, { x: '}]' }] } });
  });

  it('cuts the last item from text holding characters beyond one byte', () => {
    const text = '[{"id":"é"},{"id":"𝄞 ☕","name":"Zoë"}]';
    expect(JSON.parse(peek(text).lastItem!)).toEqual({ id: '𝄞 ☕', name: 'Zoë' });
  });

  // Strings heavy in quotes and backslashes, so escapes meet the chunk cuts.
  const tricky = fc.stringMatching(/^[\\"a{}\[\],:]{0,8}$/);
  const itemArb = fc.oneof(
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), tricky), fc.oneof(fc.jsonValue({ maxDepth: 2 }), tricky), { maxKeys: 4 }),
    fc.jsonValue({ maxDepth: 2 }),
    tricky,
  );
  const hasMoreArb = fc.constantFrom<unknown>(undefined, true, false, null, 'yes', 1);

  it('agrees with JSON.parse and parseListPage on any list, however the text is split', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 12 }), fc.boolean(), hasMoreArb, hasMoreArb, fc.array(fc.nat(), { maxLength: 6 }), (items, envelope, snake, camel, cutSeeds) => {
        const body = envelope ? { object: 'list', data: items, has_more: snake, hasMore: camel } : items;
        const text = JSON.stringify(body);
        const cuts = [...new Set(cutSeeds.map((seed) => seed % (text.length + 1)))].sort((a, b) => a - b);
        const scanner = new ListScanner();
        let from = 0;
        for (const cut of [...cuts, text.length]) {
          scanner.feed(text.slice(from, cut));
          from = cut;
        }
        expect(scanner.count).toBe(scanList(text).count);
        const seen = scanner.peek();
        const parsed = parseListPage(JSON.parse(text));
        expect(seen.form).toBe(envelope ? 'envelope' : 'array');
        expect(seen.items).toBe(items.length);
        const last = items.at(-1);
        const lastIsObject = typeof last === 'object' && last !== null && !Array.isArray(last);
        expect(seen.lastItem === undefined ? undefined : JSON.parse(seen.lastItem)).toEqual(lastIsObject ? last : undefined);
        if (parsed.ok) expect(seen.hasMore).toBe(parsed.hasMore ?? false);
        else expect(seen.hasMore).toBeUndefined();
      }),
      { seed: 11, numRuns: 1000 },
    );
  });
});
