/**
 * The exporter as it ships, pointed at the bench's simulator: settings through loadConfig as
 * main.ts reads them (so every default, budgets and projects fetched included, is the
 * shipped one), started with startExporter. Used in this process and in the fresh child.
 */
import { loadConfig, type Config } from '../src/config.js';
import { startExporter, type RunningExporter } from '../src/exporter.js';
import { silentLogger } from '../src/log.js';
import type { BudgetList, KeyList, ProjectList } from '../src/orq/client.js';
import type { RefreshOutcome } from '../src/workspace/refresh.js';
import { budgetsByKey, type Snapshot } from '../src/snapshot.js';

export const WORKSPACE = 'bench';

export function benchConfig(simulatorUrl: string, token: string): Config {
  const loaded = loadConfig({
    env: {
      ORQ_API_KEY: token,
      ORQ_BASE_URL: simulatorUrl,
      ORQ_WORKSPACE: WORKSPACE,
      LISTEN_ADDRESS: '127.0.0.1',
      PORT: '0',
      // Refreshes happen when the bench asks (refreshAll), never on their own mid-measurement.
      REFRESH_INTERVAL: '1h',
      REQUEST_TIMEOUT: '60s',
      REFRESH_TIMEOUT: '10m',
      LOG_LEVEL: 'error',
    },
    argv: [],
  });
  if (loaded.ok !== true) throw new Error(`bad bench config: ${JSON.stringify(loaded)}`);
  return loaded.config;
}

/** `now` injects the clock the bench moves a second per scrape; the real one by default. */
export function startBenchExporter(simulatorUrl: string, token: string, now?: () => number): Promise<RunningExporter> {
  return startExporter(benchConfig(simulatorUrl, token), { logger: silentLogger, ...(now ? { now } : {}) });
}

/** One refresh that read every source it asked: the bench measures the exporter with all its data. */
export interface CompleteRefresh {
  readonly list: KeyList;
  readonly budgets: BudgetList;
  /** Undefined when the projects were not due (their names are cached for ORQ_PROJECTS_TTL). */
  readonly projects: ProjectList | undefined;
  readonly durationSeconds: number;
}

export function complete(outcome: RefreshOutcome | undefined): CompleteRefresh {
  if (!outcome?.ok || !outcome.list) throw new Error(`refresh failed: ${outcome?.error?.message ?? 'no outcome'}`);
  if (outcome.budgets === undefined || !outcome.budgets.ok) throw new Error(`the budgets were not fetched: ${outcome.budgets?.ok === false ? outcome.budgets.error.message : 'switched off'}`);
  if (outcome.projects !== undefined && !outcome.projects.ok) throw new Error(`the projects fetch failed: ${outcome.projects.error.message}`);
  return { list: outcome.list, budgets: outcome.budgets.value, projects: outcome.projects?.value, durationSeconds: outcome.durationSeconds };
}

/**
 * The snapshot a first refresh publishes, joined as the workspace joins it
 * (src/workspace/workspace.ts): the prom-client baseline and the once-per-snapshot
 * measurements read the same data the exporter serves.
 */
export function snapshotOf(refresh: CompleteRefresh, fetchedAt: number): Snapshot {
  if (refresh.projects === undefined) throw new Error('the first refresh did not fetch the projects');
  return { workspace: WORKSPACE, version: 1, fetchedAt, keys: refresh.list.keys, budgets: budgetsByKey(refresh.budgets.budgets), projects: refresh.projects.projects };
}
