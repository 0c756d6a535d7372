/** A made-up benchmark run, small enough to check the targets and the Markdown by hand. */
import type { Stats } from '../../bench/measure.js';
import type { Encoding, FreshRow, Path, RenderRow, Results } from '../../bench/results.js';

export const at = (median: number, p99 = median): Stats => ({ n: 10, median, p99, min: median });

export function renderRow(keys: number, encoding: Encoding, path: Path, ours: number, baseline: number, floor: number): RenderRow {
  return {
    keys,
    encoding,
    path,
    ours: at(ours),
    baseline: at(baseline),
    floor: at(floor),
    ...(path === 'HTTP' ? { responsePath: at(ours * 1.5) } : {}),
    bytes: encoding === 'gzip' ? 1_000_000 : 8_000_000,
    baselineBytes: encoding === 'gzip' ? 1_000_000 : 8_000_000,
  };
}

export function freshRow(keys: number, overrides: Partial<FreshRow> = {}): FreshRow {
  const keyPages = Math.floor(keys / 200) + 1;
  return {
    keys,
    allocator: 'default',
    pages: { keys: keyPages, budgets: 2, projects: 0 },
    firstPages: keyPages + 3,
    requests: [keyPages, keyPages],
    refreshes: 2,
    simulatorRequests: 2 * keyPages,
    latencyMs: 20,
    firstRefreshSeconds: ((keyPages + 3) * 20 * 1.5) / 1000,
    refreshSeconds: ((keyPages + 2) * 20 * 1.1) / 1000,
    firstScrapesMs: 10,
    rss: 100e6 + keys * 1500,
    rssAfterGc: 100e6 + keys * 1500,
    heapAfterGc: 10e6 + keys * 800,
    arrayBuffersAfterGc: 1e6 + keys * 200,
    ...overrides,
  };
}

export function results(overrides: Partial<Results> = {}): Results {
  return {
    machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 8, node: 'v20.0.0', date: '2026-01-01 00:00 UTC', load: '0.10 0.20 0.30' },
    quick: false,
    render: [
      renderRow(10_000, 'identity', 'in-process', 4, 400, 0.2),
      renderRow(10_000, 'gzip', 'in-process', 15, 400, 0.03),
      renderRow(10_000, 'identity', 'HTTP', 18, 380, 11),
      renderRow(10_000, 'gzip', 'HTTP', 19, 450, 2.5),
      renderRow(100_000, 'identity', 'in-process', 60, 5000, 2),
      renderRow(100_000, 'gzip', 'in-process', 140, 5500, 0.3),
      renderRow(100_000, 'identity', 'HTTP', 200, 5300, 75),
      renderRow(100_000, 'gzip', 'HTTP', 140, 5500, 17),
    ],
    load: [
      { keys: 10_000, encoding: 'identity', connections: 10, seconds: 3, scrapes: 300, scrapesPerSecond: 100, latencyP50: 80, latencyP99: 200, errors: 0, renders: 4, secondsSpanned: 4, floorScrapesPerSecond: 300 },
    ],
    fresh: [freshRow(10_000), freshRow(100_000)],
    empty: [freshRow(0, { rss: 100e6, rssAfterGc: 100e6, heapAfterGc: 10e6, arrayBuffersAfterGc: 1e6 })],
    prepare: [{ keys: 10_000, budgets: 6_000, projects: 30, prepareMs: 50, warmMs: 70 }],
    irreducible: [
      { keys: 10_000, clockLines: 20_000, fractionalValues: 6_000, clockBytes: 1_900_000, formatMs: 2, deflate1Ms: 11, deflate1Ratio: 4.3, deflate6Ms: 20, deflate6Ratio: 4.5 },
    ],
    durationSeconds: 240,
    ...overrides,
  };
}
