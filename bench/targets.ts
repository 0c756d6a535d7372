/**
 * The benchmark's targets as a table: what each measures, its threshold and why it is there.
 * `evaluate` judges a run against it; a target whose figure the run did not measure (a size
 * left out, say) is reported as not run, never as passed.
 */
import { count, ms, size } from './format.js';
import {
  bytesPerKey,
  expectedRequests,
  findRender,
  largestFresh,
  liveBytesPerKey,
  type Encoding,
  type FreshRow,
  type Path,
  type Results,
} from './results.js';

export type Comparison = 'at least' | 'at most' | 'under';

/** A figure of one run, and the figures behind it in words. */
export interface Measured {
  readonly value: number;
  readonly detail: string;
}

export interface Target {
  readonly name: string;
  readonly measure: (results: Results) => Measured | undefined;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly unit: string;
  readonly why: string;
}

export interface Judged {
  readonly target: Target;
  readonly measured: Measured | undefined;
  /** Undefined when the run did not measure it. */
  readonly pass: boolean | undefined;
}

export function compare(value: number, comparison: Comparison, threshold: number): boolean {
  if (Number.isNaN(value)) return false;
  if (comparison === 'at least') return value >= threshold;
  if (comparison === 'at most') return value <= threshold;
  return value < threshold;
}

export function evaluate(results: Results, targets: readonly Target[] = TARGETS): Judged[] {
  return targets.map((target) => {
    const measured = target.measure(results);
    return { target, measured, pass: measured === undefined ? undefined : compare(measured.value, target.comparison, target.threshold) };
  });
}

export function failed(judged: readonly Judged[]): Judged[] {
  return judged.filter((j) => j.pass === false);
}

const label = (encoding: Encoding, path: Path): string => `${encoding === 'gzip' ? 'gzip' : 'plain'}, ${path}`;
const SIZE = 10_000;
const LARGE = 100_000;

function versusPromClient(encoding: Encoding, path: Path): Target {
  return {
    name: `${count(SIZE)} keys: faster than prom-client (${label(encoding, path)})`,
    measure: ({ render }) => {
      const r = findRender(render, SIZE, encoding, path);
      return r && { value: r.baseline.median / r.ours.median, detail: `${ms(r.ours.median)} ms vs ${ms(r.baseline.median)} ms` };
    },
    comparison: 'at least',
    threshold: 5,
    unit: '×',
    why: 'the point of rendering from prepared buffers instead of a labelled Gauge per family',
  };
}

/**
 * Only plain HTTP is held to the floor. In process the floor is a bare memory copy, which a
 * render of the clock families cannot approach; with gzip the floor sends bytes deflated
 * beforehand while every measured scrape falls on a new second and deflates that second's
 * clock families. Those ratios are figures in the tables, not targets that could never pass.
 */
function versusFloor(): Target {
  return {
    name: `${count(SIZE)} keys: within the floor (plain, HTTP)`,
    measure: ({ render }) => {
      const r = findRender(render, SIZE, 'identity', 'HTTP');
      return r && { value: r.ours.median / r.floor.median, detail: `${ms(r.ours.median)} ms vs floor ${ms(r.floor.median)} ms` };
    },
    comparison: 'at most',
    threshold: 3,
    unit: '×',
    why: 'a scrape should cost about what writing its bytes does',
  };
}

function refreshRatio(r: FreshRow, seconds: number, pages: number): number {
  return seconds / ((pages * r.latencyMs) / 1000);
}

const timedFresh = (fresh: readonly FreshRow[]): FreshRow[] => fresh.filter((r) => r.allocator === 'default' && r.latencyMs > 0);

export const TARGETS: readonly Target[] = [
  versusPromClient('identity', 'in-process'),
  versusPromClient('identity', 'HTTP'),
  versusPromClient('gzip', 'in-process'),
  versusPromClient('gzip', 'HTTP'),
  versusFloor(),
  {
    name: `${count(LARGE)} keys: slowest scrape (p99, plain and gzip, in-process and HTTP)`,
    measure: ({ render }) => {
      const big = render.filter((r) => r.keys === LARGE);
      if (big.length === 0) return undefined;
      return { value: Math.max(...big.map((r) => r.ours.p99)), detail: big.map((r) => `${label(r.encoding, r.path)} ${ms(r.ours.p99)} ms`).join('; ') };
    },
    comparison: 'under',
    threshold: 1000,
    unit: 'ms',
    why: 'a scrape must end well inside a Prometheus scrape timeout at the largest workspace',
  },
  {
    name: `${count(LARGE)} keys: gzip shrinks the body`,
    measure: ({ render }) => {
      const plain = findRender(render, LARGE, 'identity', 'in-process');
      const gz = findRender(render, LARGE, 'gzip', 'in-process');
      return plain && gz && { value: plain.bytes / gz.bytes, detail: `${size(plain.bytes)} → ${size(gz.bytes)}` };
    },
    comparison: 'at least',
    threshold: 5,
    unit: '×',
    why: 'gzip is assembled from separately deflated pieces; it must still compress like one stream',
  },
  {
    name: 'concurrent scrapes: renders beyond one per second',
    measure: ({ load }) => {
      if (load.length === 0) return undefined;
      const extra = load.reduce((n, r) => n + Math.max(0, r.renders - r.secondsSpanned), 0);
      const sizes = [...new Set(load.map((r) => r.keys))];
      const detail = sizes
        .map((keys) => {
          const rows = load.filter((r) => r.keys === keys);
          const sum = (f: (r: (typeof rows)[number]) => number): number => rows.reduce((n, r) => n + f(r), 0);
          return `${count(keys)} keys: ${sum((r) => r.renders)} renders in ${sum((r) => r.secondsSpanned)} s for ${count(sum((r) => r.scrapes))} scrapes`;
        })
        .join('; ');
      return { value: extra, detail };
    },
    comparison: 'at most',
    threshold: 0,
    unit: 'renders',
    why: 'every scrape of the same second shares one render, so two Prometheus replicas cost one',
  },
  {
    name: 'concurrent scrapes: failed scrapes',
    measure: ({ load }) => (load.length === 0 ? undefined : { value: load.reduce((n, r) => n + r.errors, 0), detail: `${count(load.reduce((n, r) => n + r.scrapes, 0))} scrapes answered` }),
    comparison: 'at most',
    threshold: 0,
    unit: 'scrapes',
    why: 'load must slow scrapes down, never fail them',
  },
  {
    name: 'refresh time against the floor (pages × latency, every source)',
    measure: ({ fresh }) => {
      const timed = timedFresh(fresh);
      if (timed.length === 0) return undefined;
      const ratios = timed.map((r) => refreshRatio(r, r.refreshSeconds, r.pages.keys + r.pages.budgets + r.pages.projects));
      const detail = timed
        .map(
          (r, i) =>
            `${count(r.keys)}: ${r.refreshSeconds.toFixed(2)} s for ${r.pages.keys} + ${r.pages.budgets} + ${r.pages.projects} pages, ${ratios[i]!.toFixed(2)}× ` +
            `(refresh ${r.refreshes} of the process; its first, cold, ${refreshRatio(r, r.firstRefreshSeconds, r.firstPages).toFixed(2)}×)`,
        )
        .join('; ');
      return { value: Math.max(...ratios), detail };
    },
    comparison: 'at most',
    threshold: 1.2,
    unit: '×',
    why: 'cursor pagination makes each page wait for the one before; a refresh should add little to that wait',
  },
  {
    name: 'key-list requests per refresh other than floor(keys / 200) + 1',
    measure: ({ fresh }) => {
      const timed = timedFresh(fresh);
      if (timed.length === 0) return undefined;
      const wrong = (r: FreshRow): boolean =>
        r.requests[0] !== expectedRequests(r.keys) || r.requests[1] !== expectedRequests(r.keys) || r.simulatorRequests !== r.refreshes * expectedRequests(r.keys);
      return { value: timed.filter(wrong).length, detail: timed.map((r) => `${count(r.keys)}: ${r.requests[1]} (${r.simulatorRequests} over ${r.refreshes} refreshes)`).join('; ') };
    },
    comparison: 'at most',
    threshold: 0,
    unit: 'sizes',
    why: 'one request per page of 200, and one to find the list ended, with no retries or repeats against a healthy upstream',
  },
  {
    name: 'resident memory per key above the empty process (RSS after GC, largest size)',
    measure: ({ fresh, empty }) => {
      const largest = largestFresh(fresh);
      const perKey = largest && bytesPerKey(largest, empty);
      if (largest === undefined || perKey === undefined) return undefined;
      const tuned = fresh.find((r) => r.allocator === 'fixed-mmap-threshold' && r.keys === largest.keys);
      const tunedPerKey = tuned && bytesPerKey(tuned, empty);
      const detail =
        `${count(largest.keys)} keys; ${count(liveBytesPerKey(largest, empty) ?? NaN)} B/key of it live heap and buffers` +
        (tunedPerKey === undefined ? '' : `; ${count(tunedPerKey)} B/key with MALLOC_MMAP_THRESHOLD_=131072`);
      return { value: perKey, detail };
    },
    comparison: 'under',
    threshold: 2048,
    unit: 'B/key',
    why: 'a 100,000-key workspace should fit a small container',
  },
];
