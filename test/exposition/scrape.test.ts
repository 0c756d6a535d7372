/**
 * The clock families written at a given second, straight from prepared snapshots: values as
 * String() spells them, in blocks of whole lines, to exactly the length announced first; clamps
 * against clock skew; and the expired lines reused for as long as no key crosses its expiry. That the values move with the
 * clock through a real Exposition is exposition.test.ts's and render-cache.test.ts's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, bodyBytes, bodyChunks, metricsBody, type LazyText } from '../../src/exposition/body.js';
import { prepareSnapshot } from '../../src/exposition/prepare.js';
import { EXPIRED_HEADER, renderClockFamilies } from '../../src/exposition/scrape.js';
import type { Snapshot } from '../../src/snapshot.js';
import { apiKey } from '../support/keys.js';

const NOW = 1_800_000_000;
const DAY = 86_400;

const snapshot = (workspace: string, fetchedAt: number, keys: Snapshot['keys']): Snapshot => ({ workspace, version: 1, fetchedAt, keys });
/** The text written out; bodyBytes also checks it is exactly as long as announced. */
const text = (t: LazyText): string => bodyBytes(metricsBody([t])).toString('utf8');
const lines = (t: LazyText): string[] => text(t).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const headers = (t: LazyText): string[] => text(t).split('\n').filter((l) => l.startsWith('# TYPE'));

describe('renderClockFamilies', () => {
  it('writes each family\'s header once and the lines of every snapshot after it, in order', () => {
    const a = prepareSnapshot(snapshot('a', NOW - 30, [apiKey({ id: 'k', expiresAt: NOW + DAY, lastUsedAt: NOW - 60 })]));
    const b = prepareSnapshot(snapshot('b', NOW - 1, [apiKey({ id: 'k', expiresAt: NOW - DAY / 2 })]));
    const r = renderClockFamilies([a, b], NOW);
    expect(headers(r.days)).toEqual(['# TYPE orq_api_key_days_to_expiry gauge']);
    expect(lines(r.days)).toEqual(['orq_api_key_days_to_expiry{workspace="a",api_key_id="k"} 1', 'orq_api_key_days_to_expiry{workspace="b",api_key_id="k"} -0.5']);
    expect(headers(r.rest)).toEqual(['# TYPE orq_api_key_seconds_since_last_use gauge', '# TYPE orq_exporter_snapshot_age_seconds gauge']);
    expect(lines(r.rest)).toEqual([
      'orq_api_key_seconds_since_last_use{workspace="a",api_key_id="k"} 60',
      'orq_exporter_snapshot_age_seconds{workspace="a"} 30',
      'orq_exporter_snapshot_age_seconds{workspace="b"} 1',
    ]);
    expect(r.expired.map((e) => lines(e.text))).toEqual([['orq_api_key_expired{workspace="a",api_key_id="k"} 0'], ['orq_api_key_expired{workspace="b",api_key_id="k"} 1']]);
    expect(r.expired.map((e) => e.expiredCount)).toEqual([0, 1]);
  });

  it('writes the headers alone for no snapshots, and EXPIRED_HEADER is the expired family\'s', () => {
    const r = renderClockFamilies([], NOW);
    expect(text(r.days)).toMatch(/^# HELP orq_api_key_days_to_expiry .+\n# TYPE orq_api_key_days_to_expiry gauge\n$/);
    expect(lines(r.rest)).toEqual([]);
    expect(r.expired).toEqual([]);
    expect(EXPIRED_HEADER.toString()).toMatch(/^# HELP orq_api_key_expired .+\n# TYPE orq_api_key_expired gauge\n$/);
  });

  it('never says negative idleness or age: a last use or a fetch "in the future" is clock skew, shown as 0', () => {
    const p = prepareSnapshot(snapshot('a', NOW + 20, [apiKey({ id: 'k', lastUsedAt: NOW + 5 })]));
    expect(lines(renderClockFamilies([p], NOW).rest)).toEqual(['orq_api_key_seconds_since_last_use{workspace="a",api_key_id="k"} 0', 'orq_exporter_snapshot_age_seconds{workspace="a"} 0']);
  });

  it('writes every days-to-expiry value as String() of its exact quotient, however many digits, to the length it announced', () => {
    // Fractional seconds and odd distances give 17-digit fractions and exponents: each line's
    // room is checked before writing, and the length is counted before anything is written.
    const at = fc.oneof(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.integer({ min: -2e9, max: 4e9 }), fc.constantFrom(1e-300, -5e-324, 1e15 + 0.5));
    fc.assert(
      fc.property(fc.array(at, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 4e9 }), (expiries, second) => {
        const p = prepareSnapshot(snapshot('w', second, expiries.map((e, i) => apiKey({ id: `k${i}`, expiresAt: e }))));
        const values = lines(renderClockFamilies([p], second).days).map((l) => l.slice(l.lastIndexOf(' ') + 1));
        expect(values).toEqual(expiries.map((e) => String((e - second) / DAY)));
      }),
      { seed: 20_260_604, numRuns: 500 },
    );
  });

  describe('the expired lines', () => {
    const p = prepareSnapshot(snapshot('a', NOW, [apiKey({ id: 'x', expiresAt: NOW + 10 }), apiKey({ id: 'y', expiresAt: NOW + 20 })]));

    it('are the previous render\'s, the same buffer, while no key crosses its expiry', () => {
      const first = renderClockFamilies([p], NOW);
      const again = renderClockFamilies([p], NOW + 9, first.expired);
      expect(again.expired[0]).toBe(first.expired[0]);
      // The other families are written anew every time.
      expect(text(again.days)).not.toBe(text(first.days));
    });

    it('are written anew once one does, with 1 from its expiry on', () => {
      const first = renderClockFamilies([p], NOW);
      const crossed = renderClockFamilies([p], NOW + 10, first.expired);
      expect(crossed.expired[0]).not.toBe(first.expired[0]);
      expect(crossed.expired[0]!.expiredCount).toBe(1);
      expect(lines(crossed.expired[0]!.text)).toEqual(['orq_api_key_expired{workspace="a",api_key_id="x"} 1', 'orq_api_key_expired{workspace="a",api_key_id="y"} 0']);
    });

    it('are exactly as long as they say, and hold the values of the second that made them', () => {
      const made = renderClockFamilies([p], NOW + 15).expired[0]!;
      expect(made.text.length).toBe(104);
      expect(text(made.text)).toBe('orq_api_key_expired{workspace="a",api_key_id="x"} 1\norq_api_key_expired{workspace="a",api_key_id="y"} 0\n');
    });

    it('are reused per snapshot, index for index, when another snapshot\'s change', () => {
      const q = prepareSnapshot(snapshot('b', NOW, [apiKey({ id: 'z', expiresAt: NOW + 5 })]));
      const first = renderClockFamilies([p, q], NOW);
      const later = renderClockFamilies([p, q], NOW + 5, first.expired);
      expect(later.expired[0]).toBe(first.expired[0]);
      expect(later.expired[1]).not.toBe(first.expired[1]);
      expect(lines(later.expired[1]!.text)).toEqual(['orq_api_key_expired{workspace="b",api_key_id="z"} 1']);
    });
  });

  describe('in blocks', () => {
    const many = prepareSnapshot(
      snapshot(
        'w',
        NOW,
        Array.from({ length: 30_000 }, (_, i) => apiKey({ id: `key-${i}`, expiresAt: NOW + i * 1000.5, lastUsedAt: NOW - i })),
      ),
    );

    it('writes whole lines into blocks of at most a block, every family, past a block of text', () => {
      const r = renderClockFamilies([many], NOW + 7);
      for (const t of [r.days, r.rest, r.expired[0]!.text]) {
        const blocks = [...bodyChunks(metricsBody([t]), true)];
        expect(blocks.length).toBeGreaterThan(1);
        for (const b of blocks) {
          expect(b.length).toBeLessThanOrEqual(BLOCK_BYTES);
          expect(b[b.length - 1]).toBe(0x0a);
        }
        expect(Buffer.concat(blocks).length).toBe(t.length);
      }
      expect(lines(r.days)).toHaveLength(30_000);
      expect(lines(r.days)[29_999]).toBe(`orq_api_key_days_to_expiry{workspace="w",api_key_id="key-29999"} ${String((29_999 * 1000.5 - 7) / DAY)}`);
    });

    it('gives a line longer than a block a buffer of its own, whole', () => {
      const long = 'k'.repeat(BLOCK_BYTES + 10);
      const p = prepareSnapshot(snapshot('w', NOW, [apiKey({ id: 'a', expiresAt: NOW, lastUsedAt: NOW }), apiKey({ id: long, expiresAt: NOW + DAY, lastUsedAt: NOW - 1 })]));
      const r = renderClockFamilies([p], NOW);
      expect(lines(r.days)).toEqual(['orq_api_key_days_to_expiry{workspace="w",api_key_id="a"} 0', `orq_api_key_days_to_expiry{workspace="w",api_key_id="${long}"} 1`]);
      expect(lines(r.rest)[1]).toBe(`orq_api_key_seconds_since_last_use{workspace="w",api_key_id="${long}"} 1`);
      expect(lines(r.expired[0]!.text)[1]).toBe(`orq_api_key_expired{workspace="w",api_key_id="${long}"} 0`);
    });

    it('writes the same text each time it is asked, as each plain scrape and the deflate ask', () => {
      const r = renderClockFamilies([many], NOW);
      expect(text(r.days)).toBe(text(r.days));
      expect(text(r.rest)).toBe(text(r.rest));
    });
  });
});
