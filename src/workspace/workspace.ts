/**
 * One workspace of the exporter: its client, its schedule, its three sources (keys, budgets,
 * projects) and the snapshot that joins what each last fetched successfully. A failing budgets
 * or projects fetch never blanks the keys; a failing key list keeps the last good snapshot.
 */
import type { WorkspaceConfig } from '../config.js';
import type { HealthMetrics } from '../exposition/health.js';
import { redactor, type Logger } from '../log.js';
import { OrqClient, type ClientOptions } from '../orq/client.js';
import { RefreshError } from '../orq/errors.js';
import { keyIdOfToken } from '../orq/token.js';
import type { KeyBudget } from '../orq/budget.js';
import { Poller, type SetTimer } from '../poller.js';
import { budgetsByKey, type Snapshot } from '../snapshot.js';
import { VERSION } from '../version.js';
import { implausibility } from './plausible.js';
import type { ProjectsCache } from './projects-cache.js';
import { abandoned, refreshWorkspace, type Fetched, type RefreshOutcome, type Fetchers } from './refresh.js';
import { SourceState } from './source-state.js';
import { keyListsOf, type WorkspaceStatus } from './status.js';

export interface WorkspaceSettings {
  readonly refreshIntervalMs: number;
  readonly refreshTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly maxKeys: number;
  readonly fetchBudgets: boolean;
}

export interface WorkspaceDeps {
  readonly settings: WorkspaceSettings;
  readonly health: HealthMetrics;
  readonly logger: Logger;
  /** Wall clock in ms. */
  readonly now: () => number;
  /** Where project names are cached; undefined when projects are not fetched. */
  readonly projects?: ProjectsCache | undefined;
  readonly backoffBaseMs?: number | undefined;
  readonly connect?: ClientOptions['connect'];
  readonly setTimer?: SetTimer | undefined;
  /** The upstream, for tests that script it without HTTP; by default an OrqClient for the workspace. */
  readonly client?: Upstream | undefined;
  /** Told after every refresh, once the metrics are, so caches can be dropped and warmed. */
  readonly onRefresh: (snapshot: Snapshot | undefined) => void;
}

/** What a workspace reads from orq.ai. */
export type Upstream = Pick<OrqClient, 'listApiKeys' | 'listBudgets' | 'listProjects' | 'close'>;

/** Budgets spending older than this is no longer served: three refreshes, and at least 30 minutes. */
export function budgetsRetentionSeconds(refreshIntervalMs: number): number {
  return Math.max(30 * 60, (3 * refreshIntervalMs) / 1000);
}

export class Workspace {
  readonly name: string;
  readonly #config: WorkspaceConfig;
  readonly #deps: WorkspaceDeps;
  readonly #client: Upstream;
  readonly #poller: Poller<RefreshOutcome>;
  readonly #redact: (text: string) => string;
  readonly #keys = new SourceState<Snapshot['keys']>(Number.POSITIVE_INFINITY);
  readonly #budgets: SourceState<ReadonlyMap<string, readonly KeyBudget[]>>;
  #snapshot: Snapshot | undefined;
  #projectsUp: boolean | undefined;
  #projectsError: RefreshError | undefined;

  constructor(config: WorkspaceConfig, deps: WorkspaceDeps) {
    this.name = config.name;
    this.#config = config;
    this.#deps = deps;
    this.#budgets = new SourceState(budgetsRetentionSeconds(deps.settings.refreshIntervalMs));
    // One redactor for this token, shared by the client's errors, the logs and the status page.
    this.#redact = redactor([config.token]);
    this.#client = deps.client ?? new OrqClient({
      baseUrl: config.baseUrl,
      token: config.token,
      projectId: config.projectId,
      requestTimeoutMs: deps.settings.requestTimeoutMs,
      maxRetries: deps.settings.retries,
      maxKeys: deps.settings.maxKeys,
      backoffBaseMs: deps.backoffBaseMs,
      userAgent: `orq-api-keys-exporter/${VERSION}`,
      redact: this.#redact,
      onRequest: (endpoint, code) => deps.health.recordApiRequest(config.name, endpoint, code),
      debug: (msg, fields) => deps.logger.debug(msg, { workspace: config.name, ...fields }),
      now: deps.now,
      connect: deps.connect,
    });
    deps.health.recordOwnKey(config.name, keyIdOfToken(config.token));
    this.#poller = new Poller<RefreshOutcome>({
      intervalMs: deps.settings.refreshIntervalMs,
      deadlineMs: deps.settings.refreshTimeoutMs,
      setTimer: deps.setTimer,
      run: (signal) => refreshWorkspace(config.name, this.#fetchers(), signal, deps.now, (list) => implausibility(list, this.#snapshot?.keys.length)),
      failed: (why, error) =>
        abandoned(
          config.name,
          why === 'crashed'
            ? new RefreshError('invalid_response', `unexpected error while refreshing: ${String(error).slice(0, 200)}`)
            : new RefreshError('timeout', why === 'deadline' ? 'refresh deadline reached and the request did not end when aborted' : 'exporter stopping'),
          deps.settings.refreshTimeoutMs / 1000,
          deps.now,
        ),
      onResult: (round) => this.#apply(round),
    });
  }

  /** The snapshot scrapes are served from; undefined before the first successful key list. */
  get snapshot(): Snapshot | undefined {
    return this.#snapshot;
  }

  start(): void {
    this.#poller.start();
  }

  /** Refreshes now, joining a refresh under way; resolves once its outcome is applied. */
  async refresh(): Promise<RefreshOutcome> {
    return this.#poller.refresh();
  }

  async stop(): Promise<void> {
    await this.#poller.stop();
    await this.#client.close();
  }

  status(): WorkspaceStatus {
    const fetchedAt = this.#keys.fetchedAt;
    const error = this.#keys.lastError;
    const snapshot = this.#snapshot;
    return {
      name: this.name,
      baseUrl: this.#redact(this.#config.baseUrl),
      keys: snapshot?.keys.length,
      lastSuccess: fetchedAt === undefined ? undefined : new Date(fetchedAt * 1000).toISOString(),
      lastError: error === undefined ? undefined : this.#redact(error.message),
      lists: snapshot === undefined ? undefined : keyListsOf(snapshot, this.#deps.now() / 1000),
    };
  }

  #fetchers(): Fetchers {
    const projects = this.#deps.projects;
    return {
      keys: (signal) => this.#client.listApiKeys(signal),
      budgets: !this.#deps.settings.fetchBudgets ? undefined : (signal) => this.#client.listBudgets(signal),
      projects: projects !== undefined && projects.due(this.name) ? (signal) => this.#client.listProjects(signal) : undefined,
    };
  }

  #apply(outcome: RefreshOutcome): void {
    const { health, logger } = this.#deps;
    if (outcome.ok && outcome.list) this.#keys.succeed(outcome.list.keys, outcome.endedAt);
    else if (outcome.error) this.#keys.fail(outcome.error);
    health.recordRefresh({
      workspace: this.name,
      ok: outcome.ok,
      durationSeconds: outcome.durationSeconds,
      endedAt: outcome.endedAt,
      reason: outcome.error?.reason,
      skipped: outcome.list?.skipped,
    });
    health.recordSource(this.name, 'api_keys', outcome.ok, outcome.endedAt);

    const budgetsChanged = this.#applyBudgets(outcome);
    const projectsChanged = this.#applyProjects(outcome);
    if (outcome.ok || budgetsChanged || projectsChanged || this.#expired(outcome.endedAt)) this.#publish(outcome.endedAt);
    this.#logKeys(logger, outcome);
    this.#deps.onRefresh(this.#snapshot);
  }

  #applyBudgets(round: RefreshOutcome): boolean {
    const budgets = round.budgets;
    if (budgets === undefined) return false;
    const wasUp = this.#budgets.up;
    const previous = this.#budgets.lastError;
    if (budgets.ok) this.#budgets.succeed(budgetsByKey(budgets.value.budgets), round.endedAt);
    else this.#budgets.fail(budgets.error);
    this.#deps.health.recordSource(this.name, 'budgets', budgets.ok, round.endedAt);
    this.#logSource('budgets', budgets, wasUp, previous);
    return budgets.ok;
  }

  #applyProjects(round: RefreshOutcome): boolean {
    const projects = round.projects;
    const cache = this.#deps.projects;
    if (projects === undefined || cache === undefined) return false;
    if (projects.ok) cache.store(this.name, projects.value.projects);
    this.#deps.health.recordSource(this.name, 'projects', projects.ok, round.endedAt);
    this.#logSource('projects', projects, this.#projectsUp, this.#projectsError);
    this.#projectsUp = projects.ok;
    this.#projectsError = projects.ok ? undefined : projects.error;
    return projects.ok;
  }

  /** Whether budgets or project names the snapshot holds are past their retention now. */
  #expired(now: number): boolean {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) return false;
    return snapshot.budgets !== this.#budgets.current(now) || snapshot.projects !== this.#deps.projects?.current(this.name);
  }

  /** A new snapshot from what each source has to serve now; none before the first key list. */
  #publish(now: number): void {
    const keys = this.#keys.current(now);
    const fetchedAt = this.#keys.fetchedAt;
    if (keys === undefined || fetchedAt === undefined) return;
    this.#snapshot = {
      workspace: this.name,
      version: (this.#snapshot?.version ?? 0) + 1,
      fetchedAt,
      keys,
      budgets: this.#budgets.current(now),
      projects: this.#deps.projects?.current(this.name),
    };
  }

  #logKeys(logger: Logger, round: RefreshOutcome): void {
    const workspace = this.name;
    if (round.ok && round.list) {
      const list = round.list;
      logger.info('refresh succeeded', {
        workspace,
        keys: list.keys.length,
        pages: list.pages,
        requests: list.requests + (round.budgets?.ok ? round.budgets.value.requests : 0) + (round.projects?.ok ? round.projects.value.requests : 0),
        skipped_records: Object.values(list.skipped).reduce((a, b) => a + b, 0),
        budgets: round.budgets?.ok ? round.budgets.value.budgets.length : null,
        projects: round.projects?.ok ? round.projects.value.projects.length : null,
        duration_seconds: round3(round.durationSeconds),
      });
      return;
    }
    const snapshot = this.#snapshot;
    const error = round.error ?? new RefreshError('invalid_response', 'refresh failed');
    logger.warn('refresh failed; serving the last good snapshot', {
      workspace,
      reason: error.reason,
      error: this.#redact(error.message),
      duration_seconds: round3(round.durationSeconds),
      snapshot_age_seconds: snapshot ? round3(round.endedAt - snapshot.fetchedAt) : null,
    });
  }

  /**
   * Budgets and projects are optional: a failure is one warning when it starts (or changes),
   * not one per refresh, and a recovery is one line too.
   */
  #logSource(source: 'budgets' | 'projects', fetched: Fetched<unknown>, wasUp: boolean | undefined, previous: RefreshError | undefined): void {
    const { logger } = this.#deps;
    const workspace = this.name;
    if (fetched.ok) {
      if (wasUp === false) logger.info(`${source} are read again`, { workspace, source });
      return;
    }
    const error = fetched.error;
    const fields = { workspace, source, reason: error.reason, status: error.status ?? null, error: this.#redact(error.message) };
    if (wasUp === false && previous?.reason === error.reason && previous.status === error.status) {
      logger.debug(`${source} still cannot be read`, fields);
      return;
    }
    const consequence =
      source === 'budgets'
        ? 'keys are exported without budget spending'
        : 'keys are exported with project ids; names come back with the next good fetch';
    const hint =
      error.status === 403 && source === 'budgets'
        ? 'the token needs the Budgets permission (a workspace management key with Budgets), or set ORQ_FETCH_BUDGETS=false'
        : undefined;
    logger.warn(`${source} could not be read; ${consequence}`, hint === undefined ? fields : { ...fields, hint });
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
