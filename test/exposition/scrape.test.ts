/**
 * The clock families written at a given second, straight from prepared snapshots: values as
 * String() spells them in buffers sized in advance, clamps against clock skew, and the
 * expired lines reused for as long as no key crosses its expiry. That the values move with the
 * clock through a real Exposition is exposition.test.ts's and render-cache.test.ts's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareSnapshot } from '../../src/exposition/prepare.js';
import { EXPIRED_HEADER, renderClockFamilies } from '../../src/exposition/scrape.js';
import type { Snapshot } from '../../src/snapshot.js';
import { apiKey } from '../support/keys.js';

const NOW = 1_800_000_000;
const DAY = 86_400;

const snapshot = (workspace: string, fetchedAt: number, keys: Snapshot['keys']): Snapshot => ({ workspace, version: 1, fetchedAt, keys });
const lines = (b: Buffer): string[] => b.toString('utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const headers = (b: Buffer): string[] => b.toString('utf8').split('\n').filter((l) => l.startsWith('# TYPE'));

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
    expect(r.days.toString()).toMatch(/^# HELP orq_api_key_days_to_expiry .+\n# TYPE orq_api_key_days_to_expiry gauge\n$/);
    expect(lines(r.rest)).toEqual([]);
    expect(r.expired).toEqual([]);
    expect(EXPIRED_HEADER.toString()).toMatch(/^# HELP orq_api_key_expired .+\n# TYPE orq_api_key_expired gauge\n$/);
  });

  it('never says negative idleness or age: a last use or a fetch "in the future" is clock skew, shown as 0', () => {
    const p = prepareSnapshot(snapshot('a', NOW + 20, [apiKey({ id: 'k', lastUsedAt: NOW + 5 })]));
    expect(lines(renderClockFamilies([p], NOW).rest)).toEqual(['orq_api_key_seconds_since_last_use{workspace="a",api_key_id="k"} 0', 'orq_exporter_snapshot_age_seconds{workspace="a"} 0']);
  });

  it('writes every days-to-expiry value as String() of its exact quotient, however many digits, in the room it sized', () => {
    // Fractional seconds and odd distances give 17-digit fractions and exponents: the
    // buffer is sized before writing, with room for the longest.
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
      expect(again.days.equals(first.days)).toBe(false);
    });

    it('are written anew once one does, with 1 from its expiry on', () => {
      const first = renderClockFamilies([p], NOW);
      const crossed = renderClockFamilies([p], NOW + 10, first.expired);
      expect(crossed.expired[0]).not.toBe(first.expired[0]);
      expect(crossed.expired[0]!.expiredCount).toBe(1);
      expect(lines(crossed.expired[0]!.text)).toEqual(['orq_api_key_expired{workspace="a",api_key_id="x"} 1', 'orq_api_key_expired{workspace="a",api_key_id="y"} 0']);
    });

    it('are exactly as long as their lines: a kept buffer holds no spare room', () => {
      // The text is the whole buffer allocated for it: a wrong size would show as missing or stray bytes.
      const { text } = renderClockFamilies([p], NOW + 15).expired[0]!;
      expect(text.toString()).toBe('orq_api_key_expired{workspace="a",api_key_id="x"} 1\norq_api_key_expired{workspace="a",api_key_id="y"} 0\n');
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
});
