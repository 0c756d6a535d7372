/**
 * Concurrent scrapes (autocannon) against a fresh exporter process on the real clock, with the
 * per-second cache on: how many renders they cost, against how many wall-clock seconds they
 * spanned. The same load against a bare server of the same bytes in that process is its floor.
 */
import type { Encoding } from '../../src/exposition/exposition.js';
import { autocannon, type LoadResult } from '../autocannon.js';
import type { FreshExporter } from '../fresh.js';
import type { LoadRow } from '../results.js';

const CONNECTIONS = 10;

export async function measureLoad(child: FreshExporter, seconds: number): Promise<LoadRow[]> {
  const { url, floorUrl, keys } = child.report;
  const run = (target: string, connections: number, encoding: Encoding): Promise<LoadResult> =>
    autocannon({ url: `${target}/metrics`, connections, duration: seconds, timeout: 60, headers: encoding === 'gzip' ? { 'accept-encoding': 'gzip' } : {} });
  const rows: LoadRow[] = [];
  for (const encoding of ['identity', 'gzip', 'mixed'] as const) {
    const before = await child.renders();
    const started = Date.now();
    // Mixed: half the connections plain, half gzip, as Prometheus replicas configured apart.
    const runs = encoding === 'mixed' ? await Promise.all([run(url, CONNECTIONS / 2, 'identity'), run(url, CONNECTIONS / 2, 'gzip')]) : [await run(url, CONNECTIONS, encoding)];
    const ended = Date.now();
    const after = await child.renders();
    const scrapes = runs.reduce((n, r) => n + r['2xx'], 0);
    let floorScrapesPerSecond: number | undefined;
    if (encoding !== 'mixed') {
      const floorStarted = Date.now();
      const floor = await run(floorUrl, CONNECTIONS, encoding);
      floorScrapesPerSecond = floor['2xx'] / ((Date.now() - floorStarted) / 1000);
    }
    rows.push({
      keys,
      encoding,
      connections: CONNECTIONS,
      seconds,
      scrapes,
      scrapesPerSecond: scrapes / ((ended - started) / 1000),
      floorScrapesPerSecond,
      latencyP50: Math.max(...runs.map((r) => r.latency.p50)),
      latencyP99: Math.max(...runs.map((r) => r.latency.p99)),
      errors: runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
      renders: after - before,
      secondsSpanned: Math.floor(ended / 1000) - Math.floor(started / 1000) + 1,
    });
  }
  return rows;
}
