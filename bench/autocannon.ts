/**
 * autocannon ships no types, and an ambient `declare module` here would merge with any other
 * in the project; loaded through require and typed with only what the benchmark reads.
 */
import { createRequire } from 'node:module';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  /** seconds */
  readonly duration: number;
  /** seconds */
  readonly timeout?: number;
  readonly headers?: Record<string, string>;
}

interface Histogram {
  readonly p50: number;
  readonly p99: number;
}

export interface LoadResult {
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
  readonly latency: Histogram;
}

const require = createRequire(import.meta.url);
export const autocannon = require('autocannon') as (options: LoadOptions) => Promise<LoadResult>;
