/**
 * Builds the running exporter from a Config: client → poller → snapshot → exposition → HTTP.
 * Returns a handle to stop it; main.ts only adds the process around it (signals, exit codes).
 */
import { Registry } from 'prom-client';
import type { Config } from './config.js';
import { Exposition } from './exposition/exposition.js';
import type { Snapshot } from './snapshot.js';
import { createHealthMetrics } from './exposition/health.js';
import { createApp } from './http/app.js';
import { createBasicAuth } from './http/auth/basic-auth.js';
import { listen } from './http/server.js';
import { silentLogger, type Logger } from './log.js';
import type { ClientOptions } from './orq/client.js';
import { SOURCES } from './exposition/families.js';
import { ProjectsCache } from './workspace/projects-cache.js';
import type { RefreshOutcome } from './workspace/refresh.js';
import { Workspace } from './workspace/workspace.js';
import { REVISION, VERSION } from './version.js';

export interface ExporterOptions {
  readonly logger?: Logger;
  /** Wall clock in ms, for tests that move time. */
  readonly now?: () => number;
  /** Retry backoff, shortened by tests. */
  readonly backoffBaseMs?: number;
  readonly processMetrics?: boolean;
  /** Socket options for the upstream (a CA to trust, a resolver), for tests of TLS and DNS faults. */
  readonly upstreamConnect?: ClientOptions['connect'];
}

export interface RunningExporter {
  readonly url: string;
  readonly port: number;
  readonly exposition: Exposition;
  /** Refreshes every workspace now (joining refreshes under way) and resolves with how each went. */
  refreshAll(): Promise<readonly RefreshOutcome[]>;
  stop(): Promise<void>;
}

export async function startExporter(config: Config, options: ExporterOptions = {}): Promise<RunningExporter> {
  const logger = options.logger ?? silentLogger;
  // Loaded and checked with the other settings, so a bad one never gets this far.
  const web = config.web;
  const now = options.now ?? Date.now;
  const registry = new Registry();
  const health = createHealthMetrics({
    registry,
    workspaces: config.workspaces.map((w) => w.name),
    sources: SOURCES.filter((s) => (s !== 'budgets' || config.fetchBudgets) && (s !== 'projects' || config.fetchProjects)),
    refreshIntervalSeconds: config.refreshIntervalMs / 1000,
    build: { version: VERSION, revision: REVISION },
    processMetrics: options.processMetrics,
  });
  const projects = config.fetchProjects
    ? new ProjectsCache({ ttlMs: config.projectsTtlMs, retentionMs: projectsRetentionMs(config.projectsTtlMs), max: config.workspaces.length, now })
    : undefined;

  const exposition = new Exposition({ snapshots: () => sources.map((s) => s.snapshot), registry, now });
  let lastWarmed: Snapshot | undefined;
  const sources = config.workspaces.map(
    (workspace) =>
      new Workspace(workspace, {
        settings: config,
        health,
        logger,
        now,
        projects,
        backoffBaseMs: options.backoffBaseMs,
        connect: options.upstreamConnect,
        onRefresh: (snapshot) => {
          exposition.invalidate();
          if (snapshot !== undefined && snapshot !== lastWarmed) {
            lastWarmed = snapshot;
            exposition.warm(snapshot).catch((error: unknown) => logger.error('preparing the exposition failed', { error }));
          }
        },
      }),
  );

  // Made here rather than by the app, so stopping the exporter stops its worker thread.
  const basicAuth = web !== undefined && web.users.size > 0 ? createBasicAuth(web.users) : undefined;
  const app = createApp({
    metricsBody: (e) => exposition.body(e),
    workspaces: () => sources.map((s) => s.status()),
    version: VERSION,
    logger,
    webConfig: web,
    basicAuth,
  });
  const server = await listen({ fetch: app.fetch, port: config.port, hostname: config.listenAddress, tls: web?.tls, logger });
  const port = server.port;
  const host = config.listenAddress.includes(':') ? `[${config.listenAddress}]` : config.listenAddress;
  const scheme = web?.tls === undefined ? 'http' : 'https';
  const url = `${scheme}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  if (web !== undefined && web.users.size > 0 && web.tls === undefined) {
    logger.warn('basic auth is on without TLS: passwords cross the network in the clear', { web_config_file: config.webConfigFile ?? null });
  }

  logger.info('exporter started', {
    version: VERSION,
    listen: `${config.listenAddress}:${port}`,
    metrics_url: `${url}/metrics`,
    workspaces: config.workspaces.map((w) => ({ name: w.name, orq_base_url: w.baseUrl, project_id: w.projectId ?? null })),
    refresh_interval_seconds: config.refreshIntervalMs / 1000,
    refresh_timeout_seconds: config.refreshTimeoutMs / 1000,
    tls: web?.tls !== undefined,
    basic_auth: web !== undefined && web.users.size > 0,
  });
  for (const source of sources) source.start();

  return {
    url,
    port,
    exposition,
    refreshAll: () => Promise.all(sources.map((s) => s.refresh())),
    stop: async () => {
      await Promise.all(sources.map((s) => s.stop()));
      await server.close();
      await basicAuth?.close();
      logger.info('exporter stopped', { workspaces: sources.map((s) => s.name) });
    },
  };
}

/** Project names are served for a day past their last good fetch (or three TTLs, if longer). */
export function projectsRetentionMs(ttlMs: number): number {
  return Math.max(24 * 3_600_000, 3 * ttlMs);
}
