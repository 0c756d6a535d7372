/**
 * Timing helpers: samples of wall time in milliseconds, their median and 99th percentile, an
 * injectable clock that moves a second per scrape, and a way to collect garbage between
 * batches so one contender's garbage is not collected on another's time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bodyChunks, type MetricsBody } from '../src/exposition/body.js';
import type { Encoding } from '../src/exposition/exposition.js';

export interface Stats {
  readonly n: number;
  readonly median: number;
  /** The 99th percentile; with fewer than 100 samples it is the slowest one. */
  readonly p99: number;
  readonly min: number;
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) return { n: 0, median: NaN, p99: NaN, min: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
  return { n: sorted.length, median, p99, min: sorted[0]! };
}

/** Runs `fn` `warmup` times unmeasured, then `n` times measured; returns milliseconds. */
export async function sample(n: number, warmup: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

/**
 * A wall clock the benchmark moves by hand. Every measured scrape happens at a new second,
 * so the exposition's per-second cache never answers in place of a render.
 */
export class SteppingClock {
  #ms: number;

  constructor(startMs: number) {
    this.#ms = startMs;
  }

  readonly now = (): number => this.#ms;

  /** Moves to the next second, keeping the millisecond part. */
  nextSecond(): void {
    this.#ms += 1000;
  }
}

let collect: (() => void) | undefined;

/**
 * A full garbage collection, when the runtime lets us ask for one. `npm run bench` runs plain
 * `node`, so the flag is turned on at run time rather than on the command line.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    const found: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    collect = typeof found === 'function' ? () => (found as () => void)() : () => undefined;
  }
  collect();
}


/** Samples of one contender, and the size of the body it wrote. */
export interface Timed {
  readonly samples: number[];
  readonly bytes: number;
  /** In-process floor only: Buffer.concat of our pieces. */
  readonly concat?: number[];
}

/** The synchronous twin of `sample`, with one unmeasured run first; `fn` gets the run's index (-1 for the warm-up). */
export function sampleSync(n: number, fn: (i: number) => unknown): number[] {
  fn(-1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

/** Bytes of a body, every block of its lazy text written out, as a scrape writes it. */
export function writtenBytes(body: MetricsBody): number {
  let bytes = 0;
  for (const chunk of bodyChunks(body, false)) bytes += chunk.length;
  return bytes;
}

/** Progress goes to stderr, so stdout is the Markdown alone. */
export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Runs `fn` for plain, then for gzip, one after the other (never both at once: they would share the cores). */
export async function perEncoding<T>(fn: (encoding: Encoding) => Promise<T>): Promise<Record<Encoding, T>> {
  const identity = await fn('identity');
  return { identity, gzip: await fn('gzip') };
}
