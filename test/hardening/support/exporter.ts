/**
 * An exporter against any base URL (a relay, a closed port, a name that does not resolve),
 * for the faults the shared stack cannot set up because it always points at its own simulator.
 * Same settings and logger as test/support/stack.ts, so results compare.
 */
import { loadConfig } from '../../../src/config.js';
import { startExporter, type ExporterOptions, type RunningExporter } from '../../../src/exporter.js';
import { createLogger } from '../../../src/log.js';
import { TOKEN } from '../../support/stack.js';

export interface ExporterRun {
  readonly exporter: RunningExporter;
  readonly logs: string[];
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export async function startExporterOn(
  baseUrl: string,
  env: Record<string, string> = {},
  options: ExporterOptions = {},
): Promise<ExporterRun> {
  const result = loadConfig({
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
  });
  if (result.ok !== true) throw new Error(`bad test config: ${JSON.stringify(result)}`);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [TOKEN], write: (line) => logs.push(line) });
  const exporter = await startExporter(result.config, { logger, backoffBaseMs: 10, ...options });
  await exporter.refreshAll();
  return {
    exporter,
    logs,
    metrics: async () => {
      const res = await fetch(`${exporter.url}/metrics`);
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      return res.text();
    },
    stop: () => exporter.stop(),
  };
}

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export function parseLogs(logs: readonly string[]): LogLine[] {
  return logs.map((l) => JSON.parse(l) as LogLine);
}

export function warnings(logs: readonly string[]): LogLine[] {
  return parseLogs(logs).filter((l) => l.level === 'warn');
}
