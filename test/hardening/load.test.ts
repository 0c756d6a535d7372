/**
 * Overload: 50 concurrent scrapers hammer /metrics of an exporter holding 10,000 keys for a
 * few seconds while refreshes swap the snapshot underneath them; then, on an exporter of its
 * own, 30 refresh cycles show the heap and Buffers flat, and the same 30 cycles with a
 * deliberate leak show the check catches one. Figures are printed so the docs can quote them.
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
 * How far the readings of the last cycles may exceed those of the settled first ones (the
 * same key set compared with itself, at least 18 cycles apart). Working, the heap grows by
 * about 1 MB (JIT code) and Buffers not at all; a snapshot of 10,000 keys is about 9 MB of
 * heap and a render about 13 MB of Buffers, so a leak of even a fifth of a snapshot a refresh
 * crosses these several times over (the leaking control below shows it).
 */
const HEAP_GROWTH_BOUND_BYTES = 8 * 1024 * 1024;
const BUFFER_GROWTH_BOUND_BYTES = 16 * 1024 * 1024;
/** The exporter's clock moves one scrape interval a cycle, so every cycle renders its own second. */
const CYCLE_CLOCK_STEP_MS = 15_000;
/** A hang guard, not a speed limit: 30 cycles took 50-70 s on a machine loaded far past its two cores. */
const MEMORY_TEST_TIMEOUT_MS = 240_000;
const LOAD_TEST_TIMEOUT_MS = 120_000;

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

/**
 * Collects until the Buffer total stops falling, and returns the usage then. One collection
 * is not enough: a Buffer held through a native handle's weak callback (a socket, a zlib
 * stream) is freed only by the next, and a single gc() left 18 or 49 MB in one reading in
 * four where two read 14.6 MB every time.
 */
function settledUsage(gc: () => void): NodeJS.MemoryUsage {
  gc();
  let usage = process.memoryUsage();
  for (let pass = 0; pass < 5; pass++) {
    gc();
    const next = process.memoryUsage();
    const settled = next.arrayBuffers >= usage.arrayBuffers;
    usage = next;
    if (settled) break;
  }
  return usage;
}

const NOW = Date.now();
/** Key sets that differ (new ids, renames, deletions), so each refresh publishes new data. */
const keySets: SimKey[][] = [1, 2, 3].map((seed) => generateKeys({ count: KEY_COUNT, seed, now: NOW }));

/**
 * Retries stay on (the default): between refreshes seconds apart on a busy machine, the
 * simulator may close the exporter's idle keep-alive socket just as the next refresh reuses it,
 * and a retry is what the exporter does about that in production too.
 */
const ENV = { REFRESH_TIMEOUT: '30s', REQUEST_TIMEOUT: '10s' };

async function refreshWith(stack: Stack, keys: readonly SimKey[]): Promise<void> {
  // The simulator and the test's logger keep a record of everything; that is not the exporter's memory.
  stack.simulator.clearRequests();
  stack.logs.length = 0;
  stack.simulator.setKeys(keys);
  const [outcome] = await stack.exporter.refreshAll();
  if (!outcome?.ok) throw new Error(`refresh failed: ${outcome?.error?.message}`);
}

describe('load', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ keys: keySets[0]!, env: ENV });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(`${CONNECTIONS} concurrent scrapers for ${LOAD_SECONDS}s while refreshes swap 10,000 keys: no errors, max latency under the scrape timeout`, async () => {
    expect(seriesOf(await stack.metrics(), 'orq_api_key_info')).toHaveLength(KEY_COUNT);
    let refreshing = true;
    let started = 0;
    let swappedUnderLoad = 0;
    // Refreshes back to back with a short pause: REFRESH_INTERVAL is at least 10 s, so this is
    // dozens of times the fastest rate a real exporter could swap snapshots under its scrapers.
    const loop = (async () => {
      while (refreshing) {
        await refreshWith(stack, keySets[++started % keySets.length]!);
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
  }, LOAD_TEST_TIMEOUT_MS);
});

interface Readings {
  readonly heap: number[];
  readonly buffers: number[];
}

/**
 * Growth across refreshes, like compared with like: each key set's lowest reading in the last
 * two rounds of the three key sets against its lowest in two settled early rounds (the first
 * cycles warm caches and the JIT), the largest of the three. A Buffer the collector frees a
 * cycle late lifts one reading of a set; a leak lifts them all.
 */
function growth(readings: readonly number[]): number {
  const rounds = 2 * keySets.length;
  const early = readings.slice(keySets.length, keySets.length + rounds);
  const late = readings.slice(-rounds);
  const lowestOfSet = (window: readonly number[], set: number): number => Math.min(...window.filter((_, i) => i % keySets.length === set));
  return Math.max(...keySets.map((_, set) => lowestOfSet(late, set) - lowestOfSet(early, set)));
}

const mb = (n: number): number => Math.round(n / 1e5) / 10;

function figures(readings: Readings): Record<string, unknown> {
  return {
    heapGrowthMB: mb(growth(readings.heap)),
    buffersGrowthMB: mb(growth(readings.buffers)),
    heapPerCycleMB: readings.heap.map(mb),
    buffersPerCycleMB: readings.buffers.map(mb),
  };
}

describe('memory', () => {
  /** The exporter's clock, held by the test: it moves only between cycles, never during one. */
  let clock = NOW;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ keys: keySets[0]!, env: ENV, now: () => clock });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * CYCLES refreshes, each with a plain and a gzip scrape as Prometheus and curl make them,
   * then the per-second render dropped (as the exporter drops it once its second is over;
   * whether its drop timer had fired by the reading swung readings between 15 and 51 MB) and
   * collections until nothing more is freed: what is left is what the exporter keeps across
   * refreshes, whatever the wall clock did meanwhile. `leak` may keep something each cycle.
   */
  async function measure(signal: AbortSignal, leak: (cycle: number) => Promise<void> = async () => {}): Promise<Readings> {
    const gc = gcFunction();
    const readings: Readings = { heap: [], buffers: [] };
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // A test that timed out must not go on refreshing under the next one.
      signal.throwIfAborted();
      clock += CYCLE_CLOCK_STEP_MS;
      await refreshWith(stack, keySets[cycle % keySets.length]!);
      await Promise.all([stack.metrics(), stack.metrics({ 'accept-encoding': 'gzip' })]);
      await leak(cycle);
      stack.exporter.exposition.invalidate();
      const usage = settledUsage(gc);
      readings.heap.push(usage.heapUsed);
      // Rendered bodies live in Buffers, outside the JS heap: a leaked render shows only here.
      readings.buffers.push(usage.arrayBuffers);
    }
    return readings;
  }

  it(`stays flat over ${CYCLES} refresh-and-scrape cycles`, async ({ signal }) => {
    const readings = await measure(signal);
    console.log(`memory figures: ${JSON.stringify(figures(readings))}`);
    expect(growth(readings.heap)).toBeLessThan(HEAP_GROWTH_BOUND_BYTES);
    expect(growth(readings.buffers)).toBeLessThan(BUFFER_GROWTH_BOUND_BYTES);
  }, MEMORY_TEST_TIMEOUT_MS);

  it('negative control: the same cycles, keeping a fifth of each refresh\'s keys and its render, fail both bounds', async ({ signal }) => {
    // A leak well under the size of the one it stands for: a fifth of a snapshot's key objects
    // (heap; a whole snapshot made every collection slow) and the render of the second
    // (Buffers, holding the snapshot's prepared text as a render kept too long does).
    const kept: unknown[] = [];
    const readings = await measure(signal, async (cycle) => {
      kept.push(structuredClone(keySets[cycle % keySets.length]!.slice(0, KEY_COUNT / 5)));
      kept.push(await stack.exporter.exposition.body('identity'));
    });
    console.log(`leaking control figures: ${JSON.stringify(figures(readings))}`);
    expect(kept).toHaveLength(2 * CYCLES);
    expect(growth(readings.heap)).toBeGreaterThan(HEAP_GROWTH_BOUND_BYTES);
    expect(growth(readings.buffers)).toBeGreaterThan(BUFFER_GROWTH_BOUND_BYTES);
  }, MEMORY_TEST_TIMEOUT_MS);
});
