/**
 * Builds the running exporter from a Config: client → poller → snapshot → exposition → HTTP.
 * Returns a handle to reload and stop it; main.ts only adds the process around it (signals,
 * exit codes).
 */
import { Registry } from 'prom-client';
import type { Config, ConfigResult } from './config.js';
import { diffWorkspaces, restartOnlyChanges } from './config/reload-diff.js';
import type { WebConfig } from './config/web-config.js';
import { Exposition } from './exposition/exposition.js';
import type { Snapshot } from './snapshot.js';
import { createHealthMetrics } from './exposition/health.js';
import { createApp } from './http/app.js';
import { BcryptWorker } from './http/auth/bcrypt-worker.js';
import { createBasicAuth, type BasicAuth } from './http/auth/basic-auth.js';
import { listen } from './http/server.js';
import { redactor, silentLogger, type Logger } from './log.js';
import type { ClientOptions } from './orq/client.js';
import { SOURCES } from './exposition/families.js';
import { createReloader, type ReloadResult, type ReloadSummary } from './reload.js';
import { MAX_WORKSPACES } from './config/workspaces-file.js';
import { ProjectsCache } from './workspace/projects-cache.js';
import type { RefreshOutcome } from './workspace/refresh.js';
import { keyListsOf } from './workspace/status.js';
import { Workspace } from './workspace/workspace.js';
import { WorkspaceSet } from './workspace/workspace-set.js';
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
   * Reads the settings and files again, for reloads (SIGHUP, POST /-/reload); main.ts gives
   * loadConfig on the process's own environment and arguments. Without it nothing reloads.
   */
  readonly reloadConfig?: () => ConfigResult;
}

export interface RunningExporter {
  readonly url: string;
  readonly port: number;
  readonly exposition: Exposition;
  /** The running workspaces, in the order of the configuration. */
  readonly workspaces: () => readonly Workspace[];
  /** Refreshes every workspace now (joining refreshes under way) and resolves with how each went. */
  refreshAll(): Promise<readonly RefreshOutcome[]>;
  /** Follows an accepted configuration: workspaces added, removed, replaced; web config users and headers. */
  reload(config: Config): Promise<ReloadSummary>;
  /** Reads the configuration again through `reloadConfig` and follows it, or keeps the running one. */
  reloadConfig(trigger: string): Promise<ReloadResult>;
  stop(): Promise<void>;
}

export async function startExporter(config: Config, options: ExporterOptions = {}): Promise<RunningExporter> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const registry = new Registry();
  const health = createHealthMetrics({
    registry,
    workspaces: config.workspaces.map((w) => w.name),
    sources: SOURCES.filter((s) => (s !== 'budgets' || config.fetchBudgets) && (s !== 'projects' || config.fetchProjects)),
    refreshIntervalSeconds: config.refreshIntervalMs / 1000,
    build: { version: VERSION, revision: REVISION },
    processMetrics: options.processMetrics,
    now,
  });
  // Room for every workspace a reload may add: one entry each.
  const projects = config.fetchProjects
    ? new ProjectsCache({ ttlMs: config.projectsTtlMs, retentionMs: projectsRetentionMs(config.projectsTtlMs), max: MAX_WORKSPACES, now })
    : undefined;
  /** Every token seen, rotated-out ones too: kept out of reload errors. */
  const secrets = redactor(config.workspaces.map((w) => w.token));
  const learn = (token: string): void => {
    secrets.add(token);
    logger.addSecret?.(token);
  };

  const exposition = new Exposition({ snapshots: () => set.snapshots(), registry, now });
  const set = new WorkspaceSet(config.workspaces, { create: (w) => createWorkspace(w), health, projects });
  let lastWarmed: Snapshot | undefined;
  function createWorkspace(workspace: Config['workspaces'][number]): Workspace {
    return new Workspace(workspace, {
      settings: config,
      health,
      logger,
      now,
      projects,
      backoffBaseMs: options.backoffBaseMs,
      connect: options.upstreamConnect,
      // The workspace tells the logger itself; the reload errors' redactor learns it here.
      onSecret: (token) => secrets.add(token),
      onRefresh: (snapshot) => {
        exposition.invalidate();
        if (snapshot !== undefined && snapshot !== lastWarmed) {
          lastWarmed = snapshot;
          exposition.warm(snapshot).catch((error: unknown) => logger.error('preparing the exposition failed', { error }));
          // The page's lists cost a pass over every key with its budgets (a fifth of a second at
          // 100,000 keys): build them now, off the path of the next / or /readyz.
          setImmediate(() => keyListsOf(snapshot, now() / 1000));
        }
      },
    });
  }

  // Users and headers follow reloads; TLS is the listening socket's, fixed at start.
  let web = config.web;
  // One worker thread for every set of users a reload brings; stopped with the exporter.
  const bcrypt = new BcryptWorker();
  const authFor = (w: WebConfig | undefined): BasicAuth | undefined =>
    w !== undefined && w.users.size > 0 ? createBasicAuth(w.users, { comparer: bcrypt }) : undefined;
  let basicAuth = authFor(web);

  const reloadConfig = options.reloadConfig;
  // Stopping waits for a reload under way, so no workspace it adds can start after the stop.
  let reloading: Promise<unknown> = Promise.resolve();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    reloading = Promise.all([reloading, work.catch(() => undefined)]);
    return work;
  };
  const queueReload =
    reloadConfig === undefined
      ? undefined
      : createReloader({
          load: reloadConfig,
          apply: (next) => reload(next),
          record: (ok) => {
            health.recordReload(ok, now() / 1000);
            // The next scrape shows it, rather than the second's cached render.
            exposition.invalidate();
          },
          logger,
          redact: secrets,
        });
  const reloader = queueReload === undefined ? undefined : (trigger: string): Promise<ReloadResult> => tracked(queueReload(trigger));
  const app = createApp({
    metricsBody: (e) => exposition.body(e),
    workspaces: () => set.statuses(),
    version: VERSION,
    logger,
    webConfig: () => web,
    basicAuth: () => basicAuth,
    metricsPath: config.telemetryPath,
    reload: config.enableLifecycle && reloader !== undefined ? () => reloader('POST /-/reload') : undefined,
  });
  const server = await listen({ fetch: app.fetch, port: config.port, hostname: config.listenAddress, tls: web?.tls, logger });
  const port = server.port;
  const host = config.listenAddress.includes(':') ? `[${config.listenAddress}]` : config.listenAddress;
  const scheme = web?.tls === undefined ? 'http' : 'https';
  const url = `${scheme}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  warnClearPasswords(web, config, logger);

  logger.info('exporter started', {
    version: VERSION,
    listen: `${config.listenAddress}:${port}`,
    metrics_url: `${url}${config.telemetryPath}`,
    workspaces: config.workspaces.map((w) => ({ name: w.name, orq_base_url: w.baseUrl, project_id: w.projectId ?? null })),
    refresh_interval_seconds: config.refreshIntervalMs / 1000,
    refresh_timeout_seconds: config.refreshTimeoutMs / 1000,
    tls: web?.tls !== undefined,
    basic_auth: web !== undefined && web.users.size > 0,
  });
  set.start();

  async function reload(next: Config): Promise<ReloadSummary> {
    for (const w of next.workspaces) learn(w.token);
    const needRestart = restartOnlyChanges(config, next);
    const diff = diffWorkspaces(set.configs, next.workspaces);
    await set.apply(diff, next.workspaces);
    const tls = config.web?.tls;
    const nextWeb = next.web === undefined && tls === undefined ? undefined : { tls, users: next.web?.users ?? new Map<string, string>(), headers: next.web?.headers ?? {} };
    if (!sameUsers(web, nextWeb)) basicAuth = authFor(nextWeb);
    web = nextWeb;
    warnClearPasswords(web, config, logger);
    exposition.invalidate();
    const names = (list: readonly { name: string }[]): string[] => list.map((w) => w.name);
    return { added: names(diff.added), removed: [...diff.removed], replaced: names(diff.replaced), kept: names(diff.kept), needRestart };
  }

  return {
    url,
    port,
    exposition,
    workspaces: () => set.workspaces,
    refreshAll: () => set.refreshAll(),
    reload: (next) => tracked(reload(next)),
    reloadConfig: (trigger) => (reloader === undefined ? Promise.resolve({ ok: false, errors: ['reloading is not available: no way to read the configuration again was given'] }) : reloader(trigger)),
    stop: async () => {
      await reloading;
      await set.stop();
      await server.close();
      await bcrypt.close();
      logger.info('exporter stopped', { workspaces: set.configs.map((w) => w.name) });
    },
  };
}

function sameUsers(a: WebConfig | undefined, b: WebConfig | undefined): boolean {
  const x = a?.users ?? new Map<string, string>();
  const y = b?.users ?? new Map<string, string>();
  return x.size === y.size && [...x].every(([user, hash]) => y.get(user) === hash);
}

function warnClearPasswords(web: WebConfig | undefined, config: Config, logger: Logger): void {
  if (web !== undefined && web.users.size > 0 && web.tls === undefined) {
    logger.warn('basic auth is on without TLS: passwords cross the network in the clear', { web_config_file: config.webConfigFile ?? null });
  }
}

/** Project names are served for a day past their last good fetch (or three TTLs, if longer). */
export function projectsRetentionMs(ttlMs: number): number {
  return Math.max(24 * 3_600_000, 3 * ttlMs);
}

