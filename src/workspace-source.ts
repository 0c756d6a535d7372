/**
 * One workspace's part of the exporter: its client, its poller, what a refresh outcome means
 * for the health metrics and the log, and its line on the landing page.
 */
import type { Config, WorkspaceConfig } from './config.js';
import type { HealthMetrics } from './exposition/health.js';
import type { WorkspaceStatus } from './http/landing.js';
import { redactor, type Logger } from './log.js';
import { OrqClient, type ClientOptions } from './orq/client.js';
import { Poller, type RefreshOutcome } from './poller.js';
import type { Snapshot } from './snapshot.js';
import { VERSION } from './version.js';

export interface WorkspaceSourceDeps {
  readonly settings: Pick<Config, 'refreshIntervalMs' | 'refreshTimeoutMs' | 'requestTimeoutMs' | 'retries'>;
  readonly health: HealthMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly backoffBaseMs?: number | undefined;
  readonly connect?: ClientOptions['connect'];
  /** Told of every outcome after the metrics are, so caches can be dropped. */
  readonly onOutcome: (outcome: RefreshOutcome, snapshot: Snapshot | undefined) => void;
}

export class WorkspaceSource {
  readonly name: string;
  readonly #workspace: WorkspaceConfig;
  readonly #client: OrqClient;
  readonly #poller: Poller;
  readonly #redact: (text: string) => string;
  #lastOutcome: RefreshOutcome | undefined;
  #lastSuccessAt: number | undefined;

  constructor(workspace: WorkspaceConfig, deps: WorkspaceSourceDeps) {
    this.name = workspace.name;
    this.#workspace = workspace;
    this.#redact = redactor([workspace.token]);
    this.#client = new OrqClient({
      baseUrl: workspace.baseUrl,
      token: workspace.token,
      projectId: workspace.projectId,
      requestTimeoutMs: deps.settings.requestTimeoutMs,
      maxRetries: deps.settings.retries,
      backoffBaseMs: deps.backoffBaseMs,
      userAgent: `orq-api-keys-exporter/${VERSION}`,
      onRequest: (code) => deps.health.recordApiRequest(workspace.name, code),
      now: deps.now,
      connect: deps.connect,
    });
    this.#poller = new Poller({
      workspace: workspace.name,
      intervalMs: deps.settings.refreshIntervalMs,
      deadlineMs: deps.settings.refreshTimeoutMs,
      listKeys: (signal) => this.#client.listApiKeys(signal),
      now: deps.now,
      onOutcome: (outcome) => {
        this.#lastOutcome = outcome;
        if (outcome.ok) this.#lastSuccessAt = outcome.endedAt;
        deps.health.recordOutcome(outcome);
        this.#log(deps.logger, outcome);
        deps.onOutcome(outcome, this.#poller.snapshot);
      },
    });
  }

  get snapshot(): Snapshot | undefined {
    return this.#poller.snapshot;
  }

  start(): void {
    this.#poller.start();
  }

  refresh(): Promise<RefreshOutcome> {
    return this.#poller.refresh();
  }

  async stop(): Promise<void> {
    await this.#poller.stop();
    await this.#client.close();
  }

  status(): WorkspaceStatus {
    const outcome = this.#lastOutcome;
    return {
      name: this.name,
      baseUrl: this.#workspace.baseUrl,
      keys: this.#poller.snapshot?.keys.length,
      lastSuccess: this.#lastSuccessAt === undefined ? undefined : new Date(this.#lastSuccessAt * 1000).toISOString(),
      lastError: outcome && !outcome.ok && outcome.error ? this.#redact(outcome.error.message) : undefined,
    };
  }

  #log(logger: Logger, outcome: RefreshOutcome): void {
    const workspace = this.name;
    if (outcome.ok && outcome.list) {
      const skipped = Object.values(outcome.list.skipped).reduce((a, b) => a + b, 0);
      logger.info('refresh succeeded', {
        workspace,
        keys: outcome.list.keys.length,
        pages: outcome.list.pages,
        requests: outcome.list.requests,
        skipped_records: skipped,
        duration_seconds: round(outcome.durationSeconds),
      });
    } else if (outcome.error) {
      const snapshot = this.#poller.snapshot;
      logger.warn('refresh failed; serving the last good snapshot', {
        workspace,
        reason: outcome.error.reason,
        error: this.#redact(outcome.error.message),
        duration_seconds: round(outcome.durationSeconds),
        snapshot_age_seconds: snapshot ? round(outcome.endedAt - snapshot.fetchedAt) : null,
      });
    }
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
