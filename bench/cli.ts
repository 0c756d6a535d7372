/**
 * The bench's command line, through the project's one flag parser (src/util/flags.ts): the
 * options of a run, or help, or the version, or one line per problem.
 */
import { parseFlags } from '../src/util/flags.js';

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly quick: boolean;
  /** Write bench/RESULTS.md, bench/README-section.md and the README's section. */
  readonly write: boolean;
  /** Simulated upstream latency per page for the refresh measurement. */
  readonly latencyMs: number;
}

export type BenchCli =
  | { readonly kind: 'options'; readonly options: BenchOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'errors'; readonly errors: readonly string[] };

export const DEFAULT_SIZES: readonly number[] = [1_000, 10_000, 100_000];
const DEFAULT_LATENCY_MS = 20;

export const USAGE = `usage: npm run bench -- [--sizes N[,N…]] [--quick] [--write | --no-write] [--latency MS] [--help] [--version]

  --sizes N,N…   workspace sizes in keys (default ${DEFAULT_SIZES.join(',')}); 10_000 is read as 10000
  --quick        few samples and short loads: a smoke run of seconds, which writes nothing unless --write
  --write        write bench/RESULTS.md, bench/README-section.md and README.md's performance section
  --no-write     write nothing (a full run writes by default)
  --latency MS   upstream latency per page for the refresh measurement (default ${DEFAULT_LATENCY_MS})

Exits 1 when a target fails, 2 on a bad command line.`;

const FLAGS = {
  sizes: { type: 'string' },
  quick: { type: 'boolean' },
  write: { type: 'boolean' },
  'no-write': { type: 'boolean' },
  latency: { type: 'string' },
} as const;

export function parseBenchArgs(argv: readonly string[]): BenchCli {
  const parsed = parseFlags(argv, FLAGS);
  if (parsed.kind !== 'values') return parsed;
  const { values } = parsed;
  const errors: string[] = [];
  let sizes = DEFAULT_SIZES;
  if (values.sizes !== undefined) {
    const parts = values.sizes.split(',').map((v) => v.trim());
    const numbers = parts.map((v) => (/^\d[\d_]*$/.test(v) ? Number(v.replace(/_/g, '')) : Number.NaN));
    if (numbers.some((n) => !Number.isSafeInteger(n) || n <= 0)) errors.push(`--sizes must be positive whole numbers separated by commas, got "${values.sizes}"`);
    else sizes = numbers;
  }
  let latencyMs = DEFAULT_LATENCY_MS;
  if (values.latency !== undefined) {
    latencyMs = Number(values.latency);
    if (!/^\d+(\.\d+)?$/.test(values.latency) || !(latencyMs > 0)) errors.push(`--latency must be milliseconds above 0, got "${values.latency}"`);
  }
  if (values.write === true && values['no-write'] === true) errors.push('--write and --no-write: give one of them');
  if (errors.length > 0) return { kind: 'errors', errors };
  const quick = values.quick === true;
  // A quick run's figures are too few to publish: it writes only when told to.
  const write = values.write === true || (values['no-write'] !== true && !quick);
  return { kind: 'options', options: { sizes, quick, write, latencyMs } };
}
