/**
 * Runs a simulated workspace as a process, for the demo, the benchmark and poking at the
 * exporter by hand:
 *   node dist/src/simulator/cli.js --keys 500 --seed 1 --port 0 --shape sdk --token demo-token
 * Prints one JSON line with the URL once listening, so a parent process can read it.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
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

export const USAGE = `usage: cli.js [--keys N] [--seed N] [--port N] [--shape reference|sdk|rc] [--token T] [--latency MS]
              [--workspace-id ID] [--rate-limit N] [--rate-window-ms MS]
              [--include-budget embed|ignore|reject_400|reject_403] [--deny-budgets]`;

function integer(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw new Error(`--${flag} must be an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

/** Flags to a config; throws an Error naming the flag for anything it cannot use. */
export function parseCliArgs(argv: readonly string[]): CliConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
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
    },
  });
  const shape = (values.shape ?? 'sdk') as WireVariant;
  if (!WIRE_VARIANTS.includes(shape)) throw new Error(`--shape must be one of ${WIRE_VARIANTS.join(', ')}, got "${shape}"`);
  const token = values.token ?? 'demo-token';
  if (token === '') throw new Error('--token must not be empty');
  const config: CliConfig = {
    keys: integer('keys', values.keys, 500, 0, 10_000_000),
    seed: integer('seed', values.seed, 1, -(2 ** 31), 2 ** 32 - 1),
    port: integer('port', values.port, 0, 0, 65_535),
    shape,
    token,
    latencyMs: integer('latency', values.latency, 0, 0, 3_600_000),
  };
  if (values['workspace-id'] !== undefined) config.workspaceId = values['workspace-id'];
  const includeBudget = values['include-budget'] as IncludeBudgetMode | undefined;
  if (includeBudget !== undefined) {
    if (!INCLUDE_BUDGET_MODES.includes(includeBudget)) {
      throw new Error(`--include-budget must be one of ${INCLUDE_BUDGET_MODES.join(', ')}, got "${includeBudget}"`);
    }
    config.includeBudget = includeBudget;
  }
  if (values['deny-budgets'] === true) config.denyBudgets = true;
  if (values['rate-limit'] !== undefined) {
    config.rateLimit = {
      limit: integer('rate-limit', values['rate-limit'], 0, 0, 1_000_000_000),
      windowMs: integer('rate-window-ms', values['rate-window-ms'], 60_000, 1, 86_400_000),
    };
  } else if (values['rate-window-ms'] !== undefined) {
    throw new Error('--rate-window-ms needs --rate-limit');
  }
  return config;
}

export async function main(argv: readonly string[]): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
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
