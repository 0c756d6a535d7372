/**
 * Overload: 50 concurrent scrapers hammer /metrics of an exporter holding 10,000 keys for a
 * few seconds while refreshes swap the snapshot underneath them, then 30 more refresh cycles
 * show the heap and Buffers flat. Figures are printed so the docs can quote them.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeys, type SimKey } from '../../src/simulator/index.js';
import { seriesOf, startStack, type Stack } from '../support/stack.js';

const KEY_COUNT = 10_000;
const CONNECTIONS = 50;
/** Of the 50, how many ask for gzip as Prometheus does; the rest read the plain body, as curl does. */
const GZIP_CONNECTIONS = 25;
const LOAD_SECONDS = 8;
/** Prometheus's default scrape timeout: a scrape slower than this is a failed scrape. */
const SCRAPE_TIMEOUT_MS = 10_000;
const REFRESH_PAUSE_MS = 250;
const CYCLES = 30;
/**
 * After the last cycles the heap may exceed the heap after the first ones by at most this:
 * 25 cycles apart, a leak of even a third of a megabyte a refresh would cross it. One
 * snapshot of 10,000 keys is several megabytes of heap, so keeping even one too many shows.
 */
const HEAP_GROWTH_BOUND_BYTES = 8 * 1024 * 1024;
/**
 * The same for Buffers, which the collector frees less promptly: one render of 10,000 keys is
 * about 10 MB of them, so this allows one render held late, and not one more per refresh.
 */
const BUFFER_GROWTH_BOUND_BYTES = 16 * 1024 * 1024;

interface Histogram {
  readonly average: number;
  readonly max: number;
  readonly p50: number;
  readonly p99: number;
}

/** What the test reads of autocannon's result (the package ships no types). */
interface LoadResult {
  readonly requests: Histogram & { readonly total: number };
  readonly latency: Histogram;
  readonly throughput: Histogram;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
}

interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  /** seconds */
  readonly duration: number;
  /** seconds */
  readonly timeout: number;
  readonly requests: ReadonlyArray<{ readonly headers: Record<string, string> }>;
}

/**
 * autocannon's programmatic API with its load on a worker thread (its `workers` option), and
 * told not to keep response bodies (discard-bodies.cjs): on the test's own thread, or decoding
 * every multi-megabyte body into a string, the load generator rather than the exporter was
 * the bottleneck (profiled: the exporter's thread over 70% idle, autocannon's busy in
 * Buffer.toString and garbage collection), and the latencies measured autocannon.
 */
const autocannon = createRequire(import.meta.url)('autocannon') as (options: LoadOptions & { workers: number; setupClient: string }) => Promise<LoadResult>;
const DISCARD_BODIES = fileURLToPath(new URL('./support/discard-bodies.cjs', import.meta.url));

/** A callable gc in any process: V8 takes the flag at run time, and a new context exposes it. */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const NOW = Date.now();
/** Key sets that differ (new ids, renames, deletions), so each refresh publishes new data. */
const keySets: SimKey[][] = [1, 2, 3].map((seed) => generateKeys({ count: KEY_COUNT, seed, now: NOW }));

let stack: Stack;
beforeAll(async () => {
  // Retries stay on (the default): between refreshes seconds apart on a busy machine, the
  // simulator may close the exporter's idle keep-alive socket just as the next refresh reuses
  // it, and a retry is what the exporter does about that in production too.
  stack = await startStack({ keys: keySets[0]!, env: { REFRESH_TIMEOUT: '30s', REQUEST_TIMEOUT: '10s' } });
});
afterAll(async () => {
  await stack?.stop();
});

async function refreshWith(keys: readonly SimKey[]): Promise<void> {
  // The simulator and the test's logger keep a record of everything; that is not the exporter's memory.
  stack.simulator.clearRequests();
  stack.logs.length = 0;
  stack.simulator.setKeys(keys);
  const [outcome] = await stack.exporter.refreshAll();
  if (!outcome?.ok) throw new Error(`refresh failed: ${outcome?.error?.message}`);
}

describe('load', () => {
  it(`${CONNECTIONS} concurrent scrapers for ${LOAD_SECONDS}s while refreshes swap 10,000 keys: no errors, max latency under the scrape timeout`, async () => {
    expect(seriesOf(await stack.metrics(), 'orq_api_key_info')).toHaveLength(KEY_COUNT);
    let refreshing = true;
    let started = 0;
    let swappedUnderLoad = 0;
    // Refreshes back to back with a short pause: REFRESH_INTERVAL is at least 10 s, so this is
    // dozens of times the fastest rate a real exporter could swap snapshots under its scrapers.
    const loop = (async () => {
      while (refreshing) {
        await refreshWith(keySets[++started % keySets.length]!);
        if (refreshing) swappedUnderLoad++;
        await new Promise((resolve) => setTimeout(resolve, REFRESH_PAUSE_MS));
      }
    })();
    let results: LoadResult[];
    try {
      const run = (connections: number, headers: Record<string, string>): Promise<LoadResult> =>
        autocannon({
          workers: 1,
          setupClient: DISCARD_BODIES,
          url: `${stack.exporter.url}/metrics`,
          connections,
          duration: LOAD_SECONDS,
          timeout: SCRAPE_TIMEOUT_MS / 1000,
          requests: [{ headers }],
        });
      results = await Promise.all([run(GZIP_CONNECTIONS, { 'accept-encoding': 'gzip' }), run(CONNECTIONS - GZIP_CONNECTIONS, {})]);
    } finally {
      refreshing = false;
      await loop;
    }
    const [gzip, plain] = results as [LoadResult, LoadResult];
    const total = gzip.requests.total + plain.requests.total;
    const figures = {
      requests: total,
      reqPerSec: Math.round((gzip.requests.average + plain.requests.average) * 10) / 10,
      gzip: { p50Ms: gzip.latency.p50, p99Ms: gzip.latency.p99, maxMs: gzip.latency.max, mbPerSec: Math.round(gzip.throughput.average / 1e5) / 10 },
      plain: { p50Ms: plain.latency.p50, p99Ms: plain.latency.p99, maxMs: plain.latency.max, mbPerSec: Math.round(plain.throughput.average / 1e5) / 10 },
      refreshesDuringLoad: swappedUnderLoad,
      failures: results.map((r) => ({ errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx })),
    };
    console.log(`load figures: ${JSON.stringify(figures)}`);
    for (const result of results) {
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      expect(result.non2xx).toBe(0);
      expect(result['2xx']).toBe(result.requests.total);
      expect(result.latency.max).toBeLessThan(SCRAPE_TIMEOUT_MS);
    }
    expect(total).toBeGreaterThan(CONNECTIONS);
    expect(swappedUnderLoad).toBeGreaterThanOrEqual(1);
    // Whatever was swapped in last is what a scrape shows now: no torn snapshot.
    const ids = new Set(seriesOf(await stack.metrics(), 'orq_api_key_info').map((l) => /api_key_id="([^"]+)"/.exec(l)?.[1]));
    expect(ids).toEqual(new Set(keySets[started % keySets.length]!.map((k) => k.api_key_id)));
  }, 40_000);

  it(`memory stays flat over ${CYCLES} refresh-and-scrape cycles`, async () => {
    const gc = gcFunction();
    const heap: number[] = [];
    const buffers: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await refreshWith(keySets[cycle % keySets.length]!);
      // Render both encodings, as scrapes do, so their caches are part of what is measured.
      await Promise.all([stack.metrics(), stack.metrics({ 'accept-encoding': 'gzip' })]);
      gc();
      const usage = process.memoryUsage();
      heap.push(usage.heapUsed);
      // Rendered bodies live in Buffers, outside the JS heap: a leaked render shows only here.
      buffers.push(usage.arrayBuffers);
    }
    // The first cycles warm caches and the JIT; compare the settled start with the end, over
    // windows of whole rounds of the three key sets (which differ in size), by their lowest
    // reading: a Buffer freed a cycle late lifts one reading, a leak lifts them all.
    const least = (xs: number[]): number => Math.min(...xs);
    const early = (xs: number[]): number[] => xs.slice(3, 9);
    const growth = (xs: number[]): number => least(xs.slice(-6)) - least(early(xs));
    const mb = (n: number): number => Math.round(n / 1e5) / 10;
    console.log(
      `memory figures: ${JSON.stringify({
        heapEarlyMB: mb(least(early(heap))),
        heapGrowthMB: mb(growth(heap)),
        buffersEarlyMB: mb(least(early(buffers))),
        buffersGrowthMB: mb(growth(buffers)),
        heapPerCycleMB: heap.map(mb),
        buffersPerCycleMB: buffers.map(mb),
      })}`,
    );
    expect(growth(heap)).toBeLessThan(HEAP_GROWTH_BOUND_BYTES);
    expect(growth(buffers)).toBeLessThan(BUFFER_GROWTH_BOUND_BYTES);
  }, 40_000);
});
