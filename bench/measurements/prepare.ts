/**
 * What a new snapshot costs once, before its first scrape: prepareSnapshot alone, and with the
 * snapshot families deflated (Exposition.warm, what the exporter runs after every refresh).
 */
import { Registry } from 'prom-client';
import { Exposition } from '../../src/exposition/exposition.js';
import { prepareSnapshot } from '../../src/exposition/prepare.js';
import type { Snapshot } from '../../src/snapshot.js';
import { collectGarbage, stats } from '../measure.js';
import type { PrepareRow } from '../results.js';

export async function measurePrepare(snapshot: Snapshot, now: () => number): Promise<PrepareRow> {
  const keys = snapshot.keys.length;
  const runs = keys <= 10_000 ? 5 : 2;
  collectGarbage();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    prepareSnapshot(snapshot);
    times.push(performance.now() - start);
  }
  // An exposition of its own: the exporter's has warmed its own snapshot already.
  const exposition = new Exposition({ snapshots: () => [snapshot], registry: new Registry(), now });
  const warmStart = performance.now();
  await exposition.warm(snapshot);
  const warmMs = performance.now() - warmStart;
  let budgets = 0;
  for (const list of snapshot.budgets?.values() ?? []) budgets += list.length;
  return { keys, budgets, projects: snapshot.projects?.length ?? 0, prepareMs: stats(times).median, warmMs };
}
