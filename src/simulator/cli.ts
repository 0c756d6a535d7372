/**
 * Runs a simulated workspace as a process, for the demo, the benchmark and poking at the
 * exporter by hand:
 *   node dist/src/simulator/cli.js --keys 500 --seed 1 --port 0 --shape sdk --token demo-token
 * Prints one JSON line with the URL once listening, so a parent process can read it.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../util/flags.js';
import { VERSION } from '../version.js';
import type { IncludeBudgetMode } from './replies.js';
import { startSimulator, type SimulatorOptions } from './server.js';
import { WIRE_VARIANTS, type WireVariant } from './wire.js';
import { generateWorkspace } from './workspace.js';

const INCLUDE_BUDGET_MODES: readonly IncludeBudgetMode[] = ['embed', 'ignore', 'reject_400', 'reject_403'];

export interface CliConfig {
  keys: number;
  seed: number;
  port: number;
  /** the wire variant of the key list */
  shape: WireVariant;
  token: string;
  includeBudget?: IncludeBudgetMode;
  /** the token lacks the Budgets permission: /v2/budgets answers 403 */
  denyBudgets?: true;
  latencyMs: number;
  workspaceId?: string;
  rateLimit?: { limit: number; windowMs: number };
}

/** What the command line asks for: a simulator to run, help, the version, or what is wrong with it. */
export type CliResult =
  | { readonly kind: 'config'; readonly config: CliConfig }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'errors'; readonly errors: readonly string[] };

export const USAGE = `usage: cli.js [--keys N] [--seed N] [--port N] [--shape reference|sdk|rc] [--token T] [--latency MS]
              [--workspace-id ID] [--rate-limit N] [--rate-window-ms MS]
              [--include-budget embed|ignore|reject_400|reject_403] [--deny-budgets] [--help] [--version]`;

const FLAGS = {
  keys: { type: 'string' },
  seed: { type: 'string' },
  port: { type: 'string' },
  shape: { type: 'string' },
  token: { type: 'string' },
  latency: { type: 'string' },
  'workspace-id': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-window-ms': { type: 'string' },
  'include-budget': { type: 'string' },
  'deny-budgets': { type: 'boolean' },
} as const;

/** Collects one line per problem, so a command line with three mistakes is told all three at once. */
class Problems {
  readonly lines: string[] = [];

  integer(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (n >= min && n <= max) return n;
    this.lines.push(`--${flag} must be an integer between ${min} and ${max}, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.lines.push(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
    return undefined;
  }
}

/** Flags to a config, through the project's one flag parser; every problem is one line of `errors`. */
export function parseCliArgs(argv: readonly string[]): CliResult {
  const parsed = parseFlags(argv, FLAGS);
  if (parsed.kind !== 'values') return parsed;
  const { values } = parsed;
  const problems = new Problems();
  // Checked in the order of the usage line, so the errors read in that order too.
  const keys = problems.integer('keys', values.keys, 500, 0, 10_000_000);
  const seed = problems.integer('seed', values.seed, 1, -(2 ** 31), 2 ** 32 - 1);
  const port = problems.integer('port', values.port, 0, 0, 65_535);
  const shape = problems.oneOf('shape', values.shape, WIRE_VARIANTS) ?? 'sdk';
  const token = values.token ?? 'demo-token';
  // Never repeated in the line: even a simulator's token may be pasted from somewhere real.
  if (token === '') problems.lines.push('--token must not be empty');
  const latencyMs = problems.integer('latency', values.latency, 0, 0, 3_600_000);
  const config: CliConfig = { keys, seed, port, shape, token, latencyMs };
  if (values['workspace-id'] !== undefined) config.workspaceId = values['workspace-id'];
  const includeBudget = problems.oneOf('include-budget', values['include-budget'], INCLUDE_BUDGET_MODES);
  if (includeBudget !== undefined) config.includeBudget = includeBudget;
  if (values['deny-budgets'] === true) config.denyBudgets = true;
  if (values['rate-limit'] !== undefined) {
    config.rateLimit = {
      limit: problems.integer('rate-limit', values['rate-limit'], 0, 0, 1_000_000_000),
      windowMs: problems.integer('rate-window-ms', values['rate-window-ms'], 60_000, 1, 86_400_000),
    };
  } else if (values['rate-window-ms'] !== undefined) {
    problems.lines.push('--rate-window-ms needs --rate-limit');
  }
  return problems.lines.length > 0 ? { kind: 'errors', errors: problems.lines } : { kind: 'config', config };
}

export async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseCliArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (parsed.kind === 'errors') {
    process.stderr.write(`${parsed.errors.join('\n')}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const config = parsed.config;
  const options: SimulatorOptions = {
    ...generateWorkspace({ count: config.keys, seed: config.seed, now: Date.now() }),
    token: config.token,
    variant: config.shape,
    port: config.port,
    latencyMs: config.latencyMs,
  };
  if (config.workspaceId !== undefined) options.workspaceId = config.workspaceId;
  if (config.rateLimit !== undefined) options.rateLimit = config.rateLimit;
  if (config.includeBudget !== undefined) options.includeBudget = config.includeBudget;
  if (config.denyBudgets === true) options.budgetsPermission = false;
  const sim = await startSimulator(options);
  process.stdout.write(
    `${JSON.stringify({ msg: 'simulator listening', url: sim.url, keys: config.keys, seed: config.seed, shape: config.shape })}\n`,
  );
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// Runs only as the entry point, so tests can import parseCliArgs without starting a server.
if (isEntryPoint()) await main(process.argv.slice(2));
