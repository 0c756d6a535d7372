/**
 * The simulator and the exporter on loopback, wired as a user would: settings through
 * loadConfig, the exporter's logs captured so tests can read them.
 */
import { loadConfig } from '../../src/config.js';
import { startExporter, type ExporterOptions, type RunningExporter } from '../../src/exporter.js';
import { createLogger } from '../../src/log.js';
import { scrape } from './scrape.js';
import { startSimulator, type SimKey, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';

export const TOKEN = 'orq-test-token-3f9a1c77d2b84e05';

export interface Stack extends ExporterRun {
  readonly simulator: Simulator;
}

export interface StackOptions {
  readonly keys: readonly SimKey[];
  readonly variant?: SimulatorOptions['variant'];
  readonly env?: Record<string, string>;
  readonly simulator?: Partial<SimulatorOptions>;
  readonly now?: () => number;
}

export interface ExporterRun {
  readonly exporter: RunningExporter;
  /** Every log line the exporter wrote, as written. */
  readonly logs: string[];
  metrics(headers?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

/** The exporter against any base URL, with test settings, its first refresh done. */
export async function startExporterOn(
  baseUrl: string,
  env: Record<string, string> = {},
  options: ExporterOptions = {},
): Promise<ExporterRun> {
  const input = {
    env: {
      ORQ_API_KEY: TOKEN,
      ORQ_BASE_URL: baseUrl,
      ORQ_WORKSPACE: 'test',
      LISTEN_ADDRESS: '127.0.0.1',
      PORT: '0',
      REFRESH_INTERVAL: '1h',
      REQUEST_TIMEOUT: '2s',
      REFRESH_TIMEOUT: '20s',
      LOG_LEVEL: 'debug',
      ...env,
    },
    argv: [],
  };
  const result = loadConfig(input);
  if (result.ok !== true) throw new Error(`bad test config: ${JSON.stringify(result)}`);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [TOKEN], write: (line) => logs.push(line) });
  // Reloads read the same settings again, with the files they name, as main.ts does.
  const exporter = await startExporter(result.config, { logger, backoffBaseMs: 10, reloadConfig: () => loadConfig(input), ...options });
  // start() runs the first refresh at once; wait for it so tests begin from a known state.
  await exporter.refreshAll();
  return {
    exporter,
    logs,
    metrics: async (headers = {}) => {
      const res = await scrape(`${exporter.url}/metrics`, headers);
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      return res.text;
    },
    stop: () => exporter.stop(),
  };
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const simulator = await startSimulator({ keys: options.keys, token: TOKEN, variant: options.variant ?? 'reference', ...options.simulator });
  let run: ExporterRun;
  try {
    run = await startExporterOn(simulator.url, options.env, { now: options.now });
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return {
    ...run,
    simulator,
    stop: async () => {
      await run.stop();
      await simulator.close();
    },
  };
}

/** Series lines of one metric name, in order. */
export function seriesOf(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

/** The value of the one series of `name` whose labels include all of `labels`. */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = seriesOf(text, name).find((l) => wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
