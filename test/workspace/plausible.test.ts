import { describe, expect, it } from 'vitest';
import type { KeyList } from '../../src/orq/client.js';
import { implausibility } from '../../src/workspace/plausible.js';
import { apiKey } from '../support/keys.js';

function list(keys: number, received: number, unusable: { missing_id?: number; not_an_object?: number; duplicate_id?: number } = {}): KeyList {
  return {
    keys: Array.from({ length: keys }, (_, i) => apiKey({ id: `k${i}` })),
    skipped: { missing_id: unusable.missing_id ?? 0, not_an_object: unusable.not_an_object ?? 0, duplicate_id: unusable.duplicate_id ?? 0 },
    received,
    pages: 1,
    requests: 1,
    ended: 'last_page',
  };
}

describe('implausibility', () => {
  it.each([
    ['a normal list', list(100, 100), 90],
    ['the first list, empty', list(0, 0), undefined],
    ['an empty list before any snapshot', list(0, 0), 0],
    ['a few unusable records (10%)', list(90, 100, { missing_id: 10 }), 100],
    ['many duplicates (a server repeating pages)', list(100, 400, { duplicate_id: 300 }), 100],
  ])('accepts %s', (_what, keys, previous) => {
    expect(implausibility(keys, previous)).toBeUndefined();
  });

  it.each([
    ['a list that lost every key', list(0, 0), 10, /^upstream listed no usable key \(0 records, 0 unusable\) where the last good snapshot had 10/],
    ['a page of nothing but unusable records', list(0, 3, { not_an_object: 3 }), 5, /^upstream listed no usable key/],
    ['unusable records past 10%, even on a first refresh', list(89, 100, { missing_id: 6, not_an_object: 5 }), undefined, /^11 of 100 records have no id or are not objects/],
  ])('refuses %s', (_what, keys, previous, why) => {
    expect(implausibility(keys, previous)).toMatchObject({ reason: 'invalid_response', message: expect.stringMatching(why) });
  });

  it('refuses a list cut short by a server that ignores the cursor, but not the whole list of one that sends it at once', () => {
    const cut = { ...list(200, 200), ended: 'cursor_ignored' as const };
    expect(implausibility(cut, 237)).toMatchObject({ reason: 'pagination', message: expect.stringMatching(/^upstream answered a page with the page before it again/) });
    expect(implausibility(cut, 200)).toBeUndefined();
    expect(implausibility(cut, undefined)).toBeUndefined();
  });
});
