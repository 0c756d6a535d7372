/**
 * The exporter's own instrumentation, on a prom-client registry handed in (so each test has
 * its own): refresh outcomes, source health, API requests, skipped records, build info and
 * process metrics. It takes plain outcomes, and knows nothing of how they were produced.
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import { SKIP_REASONS, type SkipReason } from '../orq/api-key.js';
import { REFRESH_ERROR_REASONS, type RefreshErrorReason } from '../orq/errors.js';
import { SOURCES, families } from './families.js';

const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** How one refresh of a workspace's key list ended. */
export interface RefreshResult {
  readonly workspace: string;
  readonly ok: boolean;
  readonly durationSeconds: number;
  /** Unix seconds when the refresh ended. */
  readonly endedAt: number;
  /** Why it failed, when it did. */
  readonly reason?: RefreshErrorReason | undefined;
  /** Records skipped by a successful refresh, by reason. */
  readonly skipped?: Readonly<Record<SkipReason, number>> | undefined;
}

export interface HealthMetricsOptions {
  readonly registry: Registry;
  readonly workspaces: readonly string[];
  /** The sources read from each workspace (api_keys always; budgets and projects when switched on); default all. */
  readonly sources?: readonly string[] | undefined;
  readonly refreshIntervalSeconds: number;
  readonly build: { readonly version: string; readonly revision: string };
  readonly processMetrics?: boolean | undefined;
  /** Wall clock in ms: when the configuration was loaded at start. */
  readonly now?: (() => number) | undefined;
}

export interface HealthMetrics {
  recordRefresh(result: RefreshResult): void;
  /** A source's fetch ended; `at` is Unix seconds, only used on success. */
  recordSource(workspace: string, source: string, ok: boolean, at: number): void;
  recordApiRequest(workspace: string, endpoint: string, code: string): void;
  /** The key the workspace is polled with, or undefined when its token does not name one. */
  recordOwnKey(workspace: string, apiKeyId: string | undefined): void;
  /** A workspace added by a reload: its series exist from the next scrape, as at start. */
  addWorkspace(workspace: string): void;
  /** A workspace removed by a reload: every series of it goes, so none lingers with stale values. */
  forget(workspace: string): void;
  /** How a configuration reload ended; `at` is Unix seconds. */
  recordReload(ok: boolean, at: number): void;
}

export function createHealthMetrics(options: HealthMetricsOptions): HealthMetrics {
  const registers = [options.registry];
  const gauge = (f: { name: string; help: string; labels: readonly string[] }): Gauge =>
    new Gauge({ name: f.name, help: f.help, labelNames: [...f.labels], registers });
  const counter = (f: { name: string; help: string; labels: readonly string[] }): Counter =>
    new Counter({ name: f.name, help: f.help, labelNames: [...f.labels], registers });

  const success = gauge(families.lastRefreshSuccess);
  const successAt = gauge(families.lastRefreshSuccessTimestamp);
  const endedAt = gauge(families.lastRefreshTimestamp);
  const interval = gauge(families.refreshInterval);
  const duration = new Histogram({
    name: families.refreshDuration.name,
    help: families.refreshDuration.help,
    labelNames: [...families.refreshDuration.labels],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const errors = counter(families.refreshErrors);
  const sourceUp = gauge(families.sourceUp);
  const sourceSuccessAt = gauge(families.sourceLastSuccess);
  const requests = counter(families.apiRequests);
  const skipped = counter(families.skippedRecords);
  const ownKey = gauge(families.ownKey);
  const ownKeys = new Map<string, string>();
  const build = gauge(families.buildInfo);
  const reloadOk = gauge(families.configReloadSuccessful);
  const reloadOkAt = gauge(families.configReloadSuccessTimestamp);
  /** The endpoint and code of every request series, per workspace, to remove them all on forget. */
  const requestLabels = new Map<string, Map<string, { endpoint: string; code: string }>>();
  const sources = options.sources ?? SOURCES;

  build.set({ version: options.build.version, revision: options.build.revision, nodejs_version: process.version }, 1);
  // Loading the configuration at start counts as its first successful load, as in Prometheus.
  reloadOk.set(1);
  reloadOkAt.set((options.now ?? Date.now)() / 1000);
  const addWorkspace = (workspace: string): void => {
    // Every series exists from the first scrape, so rate() and absent() behave from the start.
    success.set({ workspace }, 0);
    successAt.set({ workspace }, 0);
    endedAt.set({ workspace }, 0);
    interval.set({ workspace }, options.refreshIntervalSeconds);
    duration.zero({ workspace });
    for (const reason of REFRESH_ERROR_REASONS) errors.inc({ workspace, reason }, 0);
    for (const reason of SKIP_REASONS) skipped.inc({ workspace, reason }, 0);
    for (const source of sources) {
      sourceUp.set({ workspace, source }, 0);
      sourceSuccessAt.set({ workspace, source }, 0);
    }
  };
  for (const workspace of options.workspaces) addWorkspace(workspace);
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: options.registry });
    // Gauges named *_total break the naming rules promtool checks; the same values are
    // published without the suffix (nodejs_active_handles and so on).
    for (const name of MISNAMED_DEFAULT_METRICS) options.registry.removeSingleMetric(name);
  }

  const recordOwnKey = (workspace: string, apiKeyId: string | undefined): void => {
    // A rotated token may name another key: the old series goes, never two at once.
    const previous = ownKeys.get(workspace);
    if (previous !== undefined) ownKey.remove({ workspace, api_key_id: previous });
    ownKeys.delete(workspace);
    if (apiKeyId !== undefined) {
      ownKey.set({ workspace, api_key_id: apiKeyId }, 1);
      ownKeys.set(workspace, apiKeyId);
    }
  };

  return {
    recordRefresh(result) {
      const workspace = result.workspace;
      duration.observe({ workspace }, result.durationSeconds);
      endedAt.set({ workspace }, result.endedAt);
      success.set({ workspace }, result.ok ? 1 : 0);
      if (result.ok) {
        successAt.set({ workspace }, result.endedAt);
        for (const reason of SKIP_REASONS) {
          const n = result.skipped?.[reason] ?? 0;
          if (n > 0) skipped.inc({ workspace, reason }, n);
        }
      } else if (result.reason !== undefined) {
        errors.inc({ workspace, reason: result.reason });
      }
    },
    recordSource(workspace, source, ok, at) {
      sourceUp.set({ workspace, source }, ok ? 1 : 0);
      if (ok) sourceSuccessAt.set({ workspace, source }, at);
    },
    recordApiRequest(workspace, endpoint, code) {
      requests.inc({ workspace, endpoint, code });
      let seen = requestLabels.get(workspace);
      if (seen === undefined) requestLabels.set(workspace, (seen = new Map()));
      seen.set(`${endpoint}\u0000${code}`, { endpoint, code });
    },
    recordOwnKey,
    addWorkspace,
    forget(workspace) {
      for (const metric of [success, successAt, endedAt, interval, duration]) metric.remove({ workspace });
      for (const reason of REFRESH_ERROR_REASONS) errors.remove({ workspace, reason });
      for (const reason of SKIP_REASONS) skipped.remove({ workspace, reason });
      for (const source of SOURCES) {
        sourceUp.remove({ workspace, source });
        sourceSuccessAt.remove({ workspace, source });
      }
      for (const labels of requestLabels.get(workspace)?.values() ?? []) requests.remove({ workspace, ...labels });
      requestLabels.delete(workspace);
      recordOwnKey(workspace, undefined);
    },
    recordReload(ok, at) {
      reloadOk.set(ok ? 1 : 0);
      if (ok) reloadOkAt.set(at);
    },
  };
}
