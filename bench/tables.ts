/** The figures of a run as Markdown tables, one per measurement. */
import { count, mib, ms, size, table, times } from './format.js';
import {
  bytesPerKey,
  expectedRequests,
  findRender,
  floorSeconds,
  liveBytesPerKey,
  totalPages,
  type Allocator,
  type FreshRow,
  type IrreducibleRow,
  type LoadRow,
  type PrepareRow,
  type RenderRow,
} from './results.js';

const body = (encoding: string): string => (encoding === 'identity' ? 'plain' : encoding === 'gzip' ? 'gzip' : 'mixed (half each)');

export function renderTable(rows: readonly RenderRow[]): string {
  return table(
    ['keys', 'body', 'path', 'ours median', 'ours p99', 'prom-client median', 'prom-client p99', 'prom-client / ours', 'floor median', 'ours / floor', 'Response path median (/ ours)', 'bytes (ours / prom-client)'],
    rows.map((r) => [
      count(r.keys),
      body(r.encoding),
      r.path,
      ms(r.ours.median),
      ms(r.ours.p99),
      ms(r.baseline.median),
      ms(r.baseline.p99),
      times(r.baseline.median / r.ours.median),
      ms(r.floor.median) + (r.concat ? ` (concat ${ms(r.concat.median)})` : ''),
      times(r.ours.median / r.floor.median),
      r.responsePath ? `${ms(r.responsePath.median)} (${times(r.responsePath.median / r.ours.median)})` : '–',
      `${size(r.bytes)} / ${size(r.baselineBytes)}`,
    ]),
  );
}

export function loadTable(rows: readonly LoadRow[]): string {
  return table(
    ['keys', 'body', 'connections × s', 'scrapes', 'scrapes/s', 'floor scrapes/s', 'latency p50 ms', 'latency p99 ms', 'errors', 'renders', 'seconds spanned', 'renders ≤ seconds'],
    rows.map((r) => [
      count(r.keys),
      body(r.encoding),
      `${r.connections} × ${r.seconds}`,
      count(r.scrapes),
      r.scrapesPerSecond.toFixed(1),
      r.floorScrapesPerSecond === undefined ? '–' : r.floorScrapesPerSecond.toFixed(1),
      ms(r.latencyP50),
      ms(r.latencyP99),
      String(r.errors),
      String(r.renders),
      String(r.secondsSpanned),
      r.renders <= r.secondsSpanned ? 'yes' : 'NO',
    ]),
  );
}

const allocatorName = (a: Allocator): string => (a === 'default' ? 'glibc default' : 'MALLOC_MMAP_THRESHOLD_=131072');

function againstFloor(seconds: number, floor: number): string {
  return floor > 0 ? `${seconds.toFixed(2)} (${(seconds / floor).toFixed(2)})` : seconds.toFixed(2);
}

export function freshTable(rows: readonly FreshRow[], empty: readonly FreshRow[]): string {
  return table(
    [
      'keys',
      'malloc',
      'pages: keys + budgets + projects',
      'key requests per refresh (expected)',
      'refreshes / key requests the simulator saw',
      'floor s (pages × latency)',
      'first refresh s (× its floor)',
      'last refresh s (× floor)',
      'refresh end → first plain+gzip ms',
      'RSS MiB',
      'RSS after GC MiB',
      'heap / buffers after GC MiB',
      'RSS bytes/key above empty',
      'heap+buffers bytes/key above empty',
    ],
    [...empty, ...rows].map((r) => {
      const floor = floorSeconds(r);
      const firstFloor = (r.firstPages * r.latencyMs) / 1000;
      return [
        r.keys === 0 ? '0 (empty process)' : count(r.keys),
        allocatorName(r.allocator),
        `${r.pages.keys} + ${r.pages.budgets} + ${r.pages.projects} = ${totalPages(r.pages)}`,
        `${r.requests[0]}, ${r.requests[1]} (${expectedRequests(r.keys)})`,
        `${r.refreshes} / ${r.simulatorRequests}`,
        floor > 0 ? floor.toFixed(2) : 'no latency',
        againstFloor(r.firstRefreshSeconds, firstFloor),
        againstFloor(r.refreshSeconds, floor),
        ms(r.firstScrapesMs),
        mib(r.rss),
        mib(r.rssAfterGc),
        `${mib(r.heapAfterGc)} / ${mib(r.arrayBuffersAfterGc)}`,
        count(bytesPerKey(r, empty) ?? NaN),
        count(liveBytesPerKey(r, empty) ?? NaN),
      ];
    }),
  );
}

export function irreducibleTable(rows: readonly IrreducibleRow[], render: readonly RenderRow[]): string {
  return table(
    ['keys', 'clock lines (fractional)', 'clock bytes per scrape', 'String() of the fractional values ms', 'deflate level 1 ms (ratio)', 'deflate level 6 ms (ratio)', 'floor: copy plain body ms', 'floor: copy gzip body ms'],
    rows.map((r) => {
      const plain = findRender(render, r.keys, 'identity', 'in-process');
      const gzip = findRender(render, r.keys, 'gzip', 'in-process');
      return [
        count(r.keys),
        `${count(r.clockLines)} (${count(r.fractionalValues)})`,
        size(r.clockBytes),
        ms(r.formatMs),
        `${ms(r.deflate1Ms)} (${r.deflate1Ratio.toFixed(1)}×)`,
        `${ms(r.deflate6Ms)} (${r.deflate6Ratio.toFixed(1)}×)`,
        plain ? ms(plain.floor.median) : '–',
        gzip ? ms(gzip.floor.median) : '–',
      ];
    }),
  );
}

export function prepareTable(rows: readonly PrepareRow[]): string {
  return table(
    ['keys', 'key budgets / projects in the snapshot', 'prepareSnapshot ms', 'prepare + deflate ms'],
    rows.map((r) => [count(r.keys), `${count(r.budgets)} / ${count(r.projects)}`, ms(r.prepareMs), ms(r.warmMs)]),
  );
}
