import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListItemCounter, countListItems } from '../../../src/orq/wire/item-count.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('countListItems', () => {
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
  ])('%s holds %d', (text, count) => {
    expect(countListItems(bytes(text))).toBe(count);
  });

  it('counts the same however the bytes are split', () => {
    const text = '{"object":"list","data":[{"id":"a,\\"b"},{"id":"[c]"},3,4],"has_more":false}';
    for (let cut = 0; cut <= text.length; cut++) {
      const counter = new ListItemCounter();
      counter.feed(bytes(text.slice(0, cut)));
      counter.feed(bytes(text.slice(cut)));
      expect(counter.count).toBe(4);
    }
  });

  it('agrees with JSON.parse on any JSON list, bare or in an envelope', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 30 }), fc.boolean(), (items, envelope) => {
        const body = envelope ? { object: 'list', data: items, has_more: false } : items;
        // Nested arrays at depth 2 may be longer than the list: the count is a bound, never less.
        const nested = items.reduce<number>((most, item) => Math.max(most, Array.isArray(item) && !envelope ? item.length : 0), 0);
        expect(countListItems(bytes(JSON.stringify(body)))).toBe(Math.max(items.length, nested));
      }),
      { seed: 8, numRuns: 500 },
    );
  });

  it('counts five million records of a hostile page without building them', () => {
    const page = bytes(`[${'1,'.repeat(5_000_000)}1]`);
    expect(countListItems(page)).toBe(5_000_001);
  });
});
