/**
 * The per-scrape work every render must do, alone: spelling the fractional values (days to
 * expiry) in shortest round-trip digits, and deflating the clock families' bytes for gzip.
 */
import { constants, deflateRawSync } from 'node:zlib';
import { bodyBytes, metricsBody } from '../../src/exposition/body.js';
import { prepareSnapshot } from '../../src/exposition/prepare.js';
import { renderClockFamilies } from '../../src/exposition/scrape.js';
import type { Snapshot } from '../../src/snapshot.js';
import { sampleSync, stats } from '../measure.js';
import type { Plan } from '../plan.js';
import type { IrreducibleRow } from '../results.js';

export function measureIrreducible(snapshot: Snapshot, p: Plan, nowMs: number): IrreducibleRow {
  const prepared = prepareSnapshot(snapshot);
  const second = Math.floor(nowMs / 1000);
  const expiries = prepared.daysToExpiry.at;
  let fractional = 0;
  for (const at of expiries) if (!Number.isInteger((at - second) / 86_400)) fractional++;
  let sink = 0;
  const n = Math.max(5, Math.min(50, p.ours));
  // A new second each time, as renders have: V8 caches the strings of numbers it has just spelled.
  const format = stats(
    sampleSync(n, (i) => {
      for (const at of expiries) sink += String((at - second - i) / 86_400).length;
    }),
  );
  const clock = renderClockFamilies([prepared], second);
  const bytes = bodyBytes(metricsBody([clock.days, ...clock.expired.map((e) => e.text), clock.rest]));
  const deflate = (level: number): { ms: number; ratio: number } => {
    let out = 0;
    const t = stats(sampleSync(Math.max(3, Math.min(10, n)), () => (out = deflateRawSync(bytes, { level }).length)));
    return { ms: t.median, ratio: bytes.length / out };
  };
  const d1 = deflate(1);
  const d6 = deflate(constants.Z_DEFAULT_COMPRESSION);
  // Read, so the formatting loop cannot be optimised away.
  if (sink < 0) throw new Error('unreachable');
  return {
    keys: snapshot.keys.length,
    clockLines: prepared.daysToExpiry.lines.ends.length * 2 + prepared.sinceLastUse.lines.ends.length,
    fractionalValues: fractional,
    clockBytes: bytes.length,
    formatMs: format.median,
    deflate1Ms: d1.ms,
    deflate1Ratio: d1.ratio,
    deflate6Ms: d6.ms,
    deflate6Ratio: d6.ratio,
  };
}
