/**
 * What a snapshot is turned into once, for every scrape of it to reuse. The lines themselves,
 * as a scrape serves them, are exposition.test.ts's; here is the shape scrape.ts relies on:
 * chunks index for index with SNAPSHOT_FAMILIES, clock-line heads cut at byte offsets, and
 * expiries sorted so that a count names the expired keys.
 */
import { describe, expect, it } from 'vitest';
import { allFamilies, families } from '../../src/exposition/families.js';
import { prepareSnapshot, SNAPSHOT_FAMILIES, type ClockLines } from '../../src/exposition/prepare.js';
import type { Snapshot } from '../../src/snapshot.js';
import { apiKey } from '../support/keys.js';

const NOW = 1_800_000_000;

/** The heads of clock lines, cut where `ends` says, as text. */
function heads(lines: ClockLines): string[] {
  const out: string[] = [];
  let from = 0;
  for (const end of lines.ends) {
    out.push(lines.heads.toString('utf8', from, end));
    from = end;
  }
  expect(from).toBe(lines.heads.length);
  return out;
}

describe('SNAPSHOT_FAMILIES', () => {
  it('are exactly the families computed once per snapshot, each once', () => {
    const snapshotFamilies = allFamilies.filter((f) => f.computed === 'snapshot');
    expect(new Set(SNAPSHOT_FAMILIES)).toEqual(new Set(snapshotFamilies));
    expect(SNAPSHOT_FAMILIES).toHaveLength(snapshotFamilies.length);
  });
});

describe('prepareSnapshot', () => {
  const snapshot: Snapshot = {
    workspace: 'ac"me',
    version: 1,
    fetchedAt: NOW - 5,
    keys: [
      apiKey({ id: 'late', expiresAt: NOW + 300, lastUsedAt: NOW - 7, createdAt: NOW - 100, rateLimitPerMinute: 60 }),
      apiKey({ id: 'ключ', expiresAt: NOW - 10.5 }),
      apiKey({ id: 'none' }),
      apiKey({ id: 'early', expiresAt: NOW + 1, lastUsedAt: NOW - 1 }),
    ],
    projects: [{ id: 'p', name: 'P', archived: false }],
  };
  const prepared = prepareSnapshot(snapshot);

  it('gives one chunk list per snapshot family, holding only that family\'s lines, none for a family without series', () => {
    expect(prepared.chunks).toHaveLength(SNAPSHOT_FAMILIES.length);
    SNAPSHOT_FAMILIES.forEach((family, i) => {
      const text = Buffer.concat(prepared.chunks[i]!).toString('utf8');
      const lines = text.split('\n');
      // Lines only, no header: the exposition writes headers once across workspaces.
      expect(lines.pop(), family.name).toBe('');
      for (const line of lines) expect(line.startsWith(`${family.name}{`), line).toBe(true);
    });
    const budgetChunks = prepared.chunks[SNAPSHOT_FAMILIES.indexOf(families.keyBudgetAmount)]!;
    expect(budgetChunks).toEqual([]);
  });

  it('cuts the days-to-expiry heads at byte offsets, in key order, for keys with an expiry only', () => {
    expect(heads(prepared.daysToExpiry)).toEqual([
      'orq_api_key_days_to_expiry{workspace="ac\\"me",api_key_id="late"} ',
      'orq_api_key_days_to_expiry{workspace="ac\\"me",api_key_id="ключ"} ',
      'orq_api_key_days_to_expiry{workspace="ac\\"me",api_key_id="early"} ',
    ]);
    expect([...prepared.daysToExpiry.at]).toEqual([NOW + 300, NOW - 10.5, NOW + 1]);
  });

  it('cuts the seconds-since-last-use heads the same way, for keys that were used', () => {
    expect(heads(prepared.sinceLastUse)).toEqual([
      'orq_api_key_seconds_since_last_use{workspace="ac\\"me",api_key_id="late"} ',
      'orq_api_key_seconds_since_last_use{workspace="ac\\"me",api_key_id="early"} ',
    ]);
    expect([...prepared.sinceLastUse.at]).toEqual([NOW - 7, NOW - 1]);
  });

  it('sorts the expiries ascending, as numbers, whatever the key order', () => {
    expect([...prepared.sortedExpiries]).toEqual([NOW - 10.5, NOW + 1, NOW + 300]);
    // Numeric, not lexicographic, order: 9 before 10, negatives first.
    const odd = prepareSnapshot({ ...snapshot, keys: [10, -3, 9, 100, 0].map((e, i) => apiKey({ id: `k${i}`, expiresAt: e })) });
    expect([...odd.sortedExpiries]).toEqual([-3, 0, 9, 10, 100]);
  });

  it('heads the snapshot age line with its escaped workspace', () => {
    expect(prepared.ageHead.toString('utf8')).toBe('orq_exporter_snapshot_age_seconds{workspace="ac\\"me"} ');
  });

  it('has empty clock lines and no chunks for a workspace without keys', () => {
    const empty = prepareSnapshot({ workspace: 'w', version: 1, fetchedAt: NOW, keys: [] });
    expect(empty.chunks.every((c) => c.length === 0)).toBe(true);
    expect(empty.daysToExpiry.heads.length).toBe(0);
    expect(empty.daysToExpiry.ends.length).toBe(0);
    expect(empty.sinceLastUse.ends.length).toBe(0);
    expect(empty.sortedExpiries.length).toBe(0);
  });

  it('keeps the snapshot it was made from', () => {
    expect(prepared.snapshot).toBe(snapshot);
  });
});
