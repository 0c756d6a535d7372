/**
 * Builds the running exporter from a Config: client → poller → snapshot → exposition → HTTP.
 * Returns a handle to stop it; main.ts only adds the process around it (signals, exit codes).
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Registry } from 'prom-client';
import type { Config } from './config.js';
import { Exposition } from './exposition/exposition.js';
import { createHealthMetrics } from './exposition/health.js';
import { createApp } from './http/app.js';
import type { WorkspaceStatus } from './http/landing.js';
import { attachTls, httpsServerOptions, loadWebConfig, protect, type FetchHandler, type WebConfig } from './http/web-config.js';
import { redactor, silentLogger, type Logger } from './log.js';
import { OrqClient, type ClientOptions } from './orq/client.js';
import { Poller, type RefreshOutcome } from './poller.js';
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
  const redact = redactor([config.token]);
  const registry = new Registry();
  const workspace = config.workspace;
  const health = createHealthMetrics({
    registry,
    workspaces: [workspace],
    refreshIntervalSeconds: config.refreshIntervalMs / 1000,
    build: { version: VERSION, revision: REVISION },
    processMetrics: options.processMetrics,
  });

  const client = new OrqClient({
    baseUrl: config.baseUrl,
    token: config.token,
    projectId: config.projectId,
    requestTimeoutMs: config.requestTimeoutMs,
    maxRetries: config.retries,
    backoffBaseMs: options.backoffBaseMs,
    userAgent: `orq-api-keys-exporter/${VERSION}`,
    onRequest: (code) => health.recordApiRequest(workspace, code),
    now,
    connect: options.upstreamConnect,
  });

  let lastOutcome: RefreshOutcome | undefined;
  let lastSuccessAt: number | undefined;
  const exposition = new Exposition({ snapshots: () => [poller.snapshot], registry, now });
  const poller: Poller = new Poller({
    workspace,
    intervalMs: config.refreshIntervalMs,
    deadlineMs: config.refreshTimeoutMs,
    listKeys: (signal) => client.listApiKeys(signal),
    now,
    onOutcome: (outcome) => {
      lastOutcome = outcome;
      health.recordOutcome(outcome);
      exposition.invalidate();
      if (outcome.ok && outcome.list) {
        lastSuccessAt = outcome.endedAt;
        const skipped = Object.values(outcome.list.skipped).reduce((a, b) => a + b, 0);
        logger.info('refresh succeeded', {
          workspace,
          keys: outcome.list.keys.length,
          pages: outcome.list.pages,
          requests: outcome.list.requests,
          skipped_records: skipped,
          duration_seconds: round(outcome.durationSeconds),
        });
        if (poller.snapshot) {
          exposition.warm(poller.snapshot).catch((error: unknown) => logger.error('preparing the exposition failed', { error }));
        }
      } else if (outcome.error) {
        logger.warn('refresh failed; serving the last good snapshot', {
          workspace,
          reason: outcome.error.reason,
          error: redact(outcome.error.message),
          duration_seconds: round(outcome.durationSeconds),
          snapshot_age_seconds: poller.snapshot ? round(outcome.endedAt - poller.snapshot.fetchedAt) : null,
        });
      }
    },
  });

  const status = (): WorkspaceStatus[] => [
    {
      name: workspace,
      baseUrl: config.baseUrl,
      keys: poller.snapshot?.keys.length,
      lastSuccess: lastSuccessAt === undefined ? undefined : new Date(lastSuccessAt * 1000).toISOString(),
      lastError: lastOutcome && !lastOutcome.ok && lastOutcome.error ? redact(lastOutcome.error.message) : undefined,
    },
  ];
  const app = createApp({ metricsBody: (e) => exposition.body(e), workspaces: status, version: VERSION, logger });

  const fetch: FetchHandler = web === undefined ? (request) => app.fetch(request) : protect((request) => app.fetch(request), web);
  const server = await listen(fetch, config, web, logger);
  const port = (server.address() as AddressInfo).port;
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
    workspace,
    orq_base_url: config.baseUrl,
    project_id: config.projectId ?? null,
    refresh_interval_seconds: config.refreshIntervalMs / 1000,
    refresh_timeout_seconds: config.refreshTimeoutMs / 1000,
    tls: web?.tls !== undefined,
    basic_auth: web !== undefined && web.users.size > 0,
  });
  poller.start();

  return {
    url,
    port,
    exposition,
    refreshAll: async () => [await poller.refresh()],
    stop: async () => {
      await poller.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive scrapers would hold close() open; stopping must not wait for them.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await client.close();
      logger.info('exporter stopped', { workspace });
    },
  };
}

function loadWebConfigOrThrow(path: string | undefined): WebConfig | undefined {
  if (path === undefined) return undefined;
  const result = loadWebConfig(path);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

function listen(fetch: FetchHandler, config: Config, web: WebConfig | undefined, logger: Logger): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const tls = web?.tls;
    const base = { fetch, port: config.port, hostname: config.listenAddress };
    const server =
      tls === undefined
        ? serve(base, () => resolve(server))
        : serve({ ...base, createServer: createHttpsServer, serverOptions: httpsServerOptions(tls) }, () => resolve(server));
    if (tls !== undefined) attachTls(server as HttpsServer, tls, logger);
    server.once('error', reject);
  });
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
