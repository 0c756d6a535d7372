/**
 * What a snapshot is turned into once, for every scrape of it to reuse. The lines themselves,
 * as a scrape serves them, are exposition.test.ts's; here is the shape scrape.ts relies on:
 * lines index for index with SNAPSHOT_FAMILIES, each line's rest after its family's prefix,
 * clock-line heads the same way, and expiries sorted so that a count names the expired keys.
 */
import { describe, expect, it } from 'vitest';
import { allFamilies, families } from '../../src/exposition/families.js';
import { lineBytes, linesBytes, writeLines, type Lines } from '../../src/exposition/lines.js';
import { prepareSnapshot, SNAPSHOT_FAMILIES, type ClockLines } from '../../src/exposition/prepare.js';
import type { Snapshot } from '../../src/snapshot.js';
import { apiKey } from '../support/keys.js';

const NOW = 1_800_000_000;

/** Lines written out whole, as text. */
function text(lines: Lines): string {
  const out = Buffer.alloc(linesBytes(lines));
  expect(writeLines(lines, 0, out, 0)).toEqual({ next: lines.ends.length, at: out.length });
  return out.toString('utf8');
}

/** The heads of clock lines, one by one, as text. */
function heads(clock: ClockLines): string[] {
  const { lines } = clock;
  return Array.from(lines.ends, (_, i) => {
    const out = Buffer.alloc(lineBytes(lines, i));
    expect(writeLines(lines, i, out, 0)).toEqual({ next: i + 1, at: out.length });
    return out.toString('utf8');
  });
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

  it('gives one set of lines per snapshot family, holding only that family\'s lines, none for a family without series', () => {
    expect(prepared.families).toHaveLength(SNAPSHOT_FAMILIES.length);
    SNAPSHOT_FAMILIES.forEach((family, i) => {
      const lines = text(prepared.families[i]!).split('\n');
      // Lines only, no header: the exposition writes headers once across workspaces.
      expect(lines.pop(), family.name).toBe('');
      for (const line of lines) expect(line.startsWith(`${family.name}{`), line).toBe(true);
    });
    const budgetLines = prepared.families[SNAPSHOT_FAMILIES.indexOf(families.keyBudgetAmount)]!;
    expect(budgetLines.ends).toHaveLength(0);
  });

  it('keeps a per-key line as a prefix of the family\'s name and the workspace, its key, and the rest', () => {
    const created = prepared.families[SNAPSHOT_FAMILIES.indexOf(families.keyCreated)]!;
    expect(created.prefix.toString()).toBe('orq_api_key_created_timestamp_seconds{workspace="ac\\"me",api_key_id="');
    expect(created.rests.toString()).toBe(`} ${NOW - 100}\n`);
    expect([...created.keys!.of]).toEqual([0]);
    // Every key's id once, with its closing quote, whichever families name it.
    const ids = created.keys!.ids;
    expect(ids.bytes.toString()).toBe('late"ключ"none"early"');
    expect(ids).toBe(prepared.daysToExpiry.lines.keys!.ids);
    expect(text(created)).toBe(`orq_api_key_created_timestamp_seconds{workspace="ac\\"me",api_key_id="late"} ${NOW - 100}\n`);
  });

  it('keeps the info lines whole: their prefix is a small part of them, and whole lines are written out many at a time', () => {
    const info = prepared.families[SNAPSHOT_FAMILIES.indexOf(families.keyInfo)]!;
    expect(info.prefix.length).toBe(0);
    expect(info.keys).toBeUndefined();
    expect(info.ends).toHaveLength(4);
    expect(text(info).split('\n')[1]).toMatch(/^orq_api_key_info\{workspace="ac\\"me",api_key_id="ключ",name=/);
  });

  it('keeps every line of a snapshot in one buffer', () => {
    const buffers = new Set([...prepared.families, prepared.daysToExpiry.lines, prepared.sinceLastUse.lines].filter((l) => l.rests.length > 0).map((l) => l.rests.buffer));
    expect(buffers.size).toBe(1);
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

  it('has empty clock lines and no lines for a workspace without keys', () => {
    const empty = prepareSnapshot({ workspace: 'w', version: 1, fetchedAt: NOW, keys: [] });
    expect(empty.families.every((l) => l.ends.length === 0 && l.rests.length === 0)).toBe(true);
    expect(empty.daysToExpiry.lines.rests.length).toBe(0);
    expect(empty.daysToExpiry.lines.ends.length).toBe(0);
    expect(empty.sinceLastUse.lines.ends.length).toBe(0);
    expect(empty.sortedExpiries.length).toBe(0);
  });

  it('keeps the snapshot it was made from', () => {
    expect(prepared.snapshot).toBe(snapshot);
  });
});
