/**
 * Builds the running exporter from a Config: client → poller → snapshot → exposition → HTTP.
 * Returns a handle to stop it; main.ts only adds the process around it (signals, exit codes).
 */
import { Registry } from 'prom-client';
import type { Config } from './config.js';
import { loadWebConfig, type WebConfig } from './config/web-config.js';
import { Exposition } from './exposition/exposition.js';
import { createHealthMetrics } from './exposition/health.js';
import { createApp } from './http/app.js';
import { createBasicAuth } from './http/auth/basic-auth.js';
import { listen } from './http/server.js';
import { silentLogger, type Logger } from './log.js';
import type { ClientOptions } from './orq/client.js';
import type { RefreshOutcome } from './poller.js';
import { WorkspaceSource } from './workspace-source.js';
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
  /**
   * The web config already loaded (main.ts loads it first, to report problems as settings
   * errors); otherwise config.webConfigFile is loaded here and a bad one rejects the start.
   */
  readonly webConfig?: WebConfig;
}

export interface RunningExporter {
  readonly url: string;
  readonly port: number;
  readonly exposition: Exposition;
  /** Refreshes every workspace now (joining refreshes under way) and resolves with the outcomes. */
  refreshAll(): Promise<readonly RefreshOutcome[]>;
  stop(): Promise<void>;
}

export async function startExporter(config: Config, options: ExporterOptions = {}): Promise<RunningExporter> {
  const logger = options.logger ?? silentLogger;
  const web = options.webConfig ?? loadWebConfigOrThrow(config.webConfigFile);
  const now = options.now ?? Date.now;
  const registry = new Registry();
  const health = createHealthMetrics({
    registry,
    workspaces: config.workspaces.map((w) => w.name),
    refreshIntervalSeconds: config.refreshIntervalMs / 1000,
    build: { version: VERSION, revision: REVISION },
    processMetrics: options.processMetrics,
  });

  const exposition = new Exposition({ snapshots: () => sources.map((s) => s.snapshot), registry, now });
  const sources = config.workspaces.map(
    (workspace) =>
      new WorkspaceSource(workspace, {
        settings: config,
        health,
        logger,
        now,
        backoffBaseMs: options.backoffBaseMs,
        connect: options.upstreamConnect,
        onOutcome: (outcome, snapshot) => {
          exposition.invalidate();
          if (outcome.ok && snapshot) {
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

function loadWebConfigOrThrow(path: string | undefined): WebConfig | undefined {
  if (path === undefined) return undefined;
  const result = loadWebConfig(path);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}
