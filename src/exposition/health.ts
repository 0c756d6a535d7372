/**
 * The exporter's own instrumentation, on a prom-client registry handed in (so each test has
 * its own): refresh outcomes, API requests, skipped records, build info and process metrics.
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { RefreshOutcome } from '../poller.js';
import { REFRESH_ERROR_REASONS, SKIP_REASONS, families } from './families.js';

const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface HealthMetricsOptions {
  readonly registry: Registry;
  readonly workspaces: readonly string[];
  readonly refreshIntervalSeconds: number;
  readonly build: { readonly version: string; readonly revision: string };
  readonly processMetrics?: boolean;
}

export interface HealthMetrics {
  recordOutcome(outcome: RefreshOutcome): void;
  recordApiRequest(workspace: string, code: string): void;
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
  const requests = counter(families.apiRequests);
  const skipped = counter(families.skippedRecords);
  const build = gauge(families.buildInfo);

  build.set({ version: options.build.version, revision: options.build.revision, nodejs_version: process.version }, 1);
  for (const workspace of options.workspaces) {
    // Every series exists from the first scrape, so rate() and absent() behave from the start.
    success.set({ workspace }, 0);
    successAt.set({ workspace }, 0);
    endedAt.set({ workspace }, 0);
    interval.set({ workspace }, options.refreshIntervalSeconds);
    duration.zero({ workspace });
    for (const reason of REFRESH_ERROR_REASONS) errors.inc({ workspace, reason }, 0);
    for (const reason of SKIP_REASONS) skipped.inc({ workspace, reason }, 0);
  }
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: options.registry });
    // Gauges named *_total break the naming rules promtool checks; the same values are
    // published without the suffix (nodejs_active_handles and so on).
    for (const name of MISNAMED_DEFAULT_METRICS) options.registry.removeSingleMetric(name);
  }

  return {
    recordOutcome(outcome) {
      const workspace = outcome.workspace;
      duration.observe({ workspace }, outcome.durationSeconds);
      endedAt.set({ workspace }, outcome.endedAt);
      success.set({ workspace }, outcome.ok ? 1 : 0);
      if (outcome.ok) {
        successAt.set({ workspace }, outcome.endedAt);
        for (const reason of SKIP_REASONS) {
          const n = outcome.list?.skipped[reason] ?? 0;
          if (n > 0) skipped.inc({ workspace, reason }, n);
        }
      } else if (outcome.error) {
        errors.inc({ workspace, reason: outcome.error.reason });
      }
    },
    recordApiRequest(workspace, code) {
      requests.inc({ workspace, code });
    },
  };
}
