/** How many samples each size gets: fewer where one sample takes seconds, and few in a quick run. */

export interface Plan {
  readonly ours: number;
  readonly baseline: number;
  /** Unmeasured baseline scrapes first; a 100,000-key prom-client scrape warms up on its own. */
  readonly baselineWarmup: number;
  readonly floor: number;
  readonly loadSeconds: number;
  /** Pages a fresh exporter fetches before the refresh that is timed. */
  readonly warmPages: number;
}

export function plan(keys: number, quick: boolean): Plan {
  const full =
    keys <= 1_000
      ? { ours: 200, baseline: 60, baselineWarmup: 1, floor: 200 }
      : keys <= 10_000
        ? { ours: 60, baseline: 15, baselineWarmup: 1, floor: 60 }
        : { ours: 12, baseline: 2, baselineWarmup: 0, floor: 12 };
  // An 84 MiB body takes autocannon's ten connections seconds to read: give them time to finish some.
  if (!quick) return { ...full, loadSeconds: keys <= 10_000 ? 3 : 8, warmPages: 500 };
  return { ...full, ours: Math.max(5, full.ours / 5), baseline: Math.max(3, full.baseline / 5), floor: Math.max(5, full.floor / 5), loadSeconds: 1, warmPages: 25 };
}
