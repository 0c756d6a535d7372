/**
 * One workspace of the exporter: its client, its schedule, its three sources (keys, budgets,
 * projects) and the snapshot that joins what each last fetched successfully. A failing budgets
 * or projects fetch never blanks the keys; a failing key list keeps the last good snapshot.
 */
import type { WorkspaceConfig } from '../config.js';
import type { HealthMetrics } from '../exposition/health.js';
import { TokenFile } from '../config/token-file.js';
import { redactor, type Logger, type Redactor } from '../log.js';
import { OrqClient, type ClientOptions } from '../orq/client.js';
import { RefreshError } from '../orq/errors.js';
import { keyIdOfToken } from '../orq/token.js';
import type { KeyBudget } from '../orq/budget.js';
import { Poller, type SetTimer } from '../poller.js';
import { budgetsByKey, type Snapshot } from '../snapshot.js';
import { VERSION } from '../version.js';
import { implausibility } from './plausible.js';
import type { ProjectsCache } from './projects-cache.js';
import { abandoned, refreshWorkspace, type RefreshOutcome, type Fetchers } from './refresh.js';
import { logKeys, logSource, type SourceLog } from './refresh-log.js';
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
  /** Told of a token read after start (a rotated token file), before anything is logged of it. */
  readonly onSecret?: ((token: string) => void) | undefined;
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
  readonly #redact: Redactor;
  /** Undefined for a token given as a value, which cannot change. */
  readonly #tokenFile: TokenFile | undefined;
  readonly #keys = new SourceState<Snapshot['keys']>(Number.POSITIVE_INFINITY);
  readonly #budgets: SourceState<ReadonlyMap<string, readonly KeyBudget[]>>;
  #snapshot: Snapshot | undefined;
  /** Once stopped, a request still unwinding must not bring back series a reload removed. */
  #stopped = false;
  #projectsUp: boolean | undefined;
  #projectsError: RefreshError | undefined;

  constructor(config: WorkspaceConfig, deps: WorkspaceDeps) {
    this.name = config.name;
    this.#config = config;
    this.#deps = deps;
    this.#budgets = new SourceState(budgetsRetentionSeconds(deps.settings.refreshIntervalMs));
    // One redactor for this token, shared by the client's errors, the logs and the status page.
    this.#redact = redactor([config.token]);
    this.#tokenFile =
      config.tokenFile === undefined
        ? undefined
        : new TokenFile({
            path: config.tokenFile,
            token: config.token,
            onChange: (token) => this.#tokenChanged(token),
            onRefused: (problem) =>
              deps.logger.warn('the token file changed but cannot be used; keeping the current token', { workspace: config.name, problem: this.#redact(problem) }),
          });
    this.#client = deps.client ?? new OrqClient({
      baseUrl: config.baseUrl,
      token: this.#tokenFile ?? config.token,
      projectId: config.projectId,
      requestTimeoutMs: deps.settings.requestTimeoutMs,
      maxRetries: deps.settings.retries,
      maxKeys: deps.settings.maxKeys,
      backoffBaseMs: deps.backoffBaseMs,
      userAgent: `orq-api-keys-exporter/${VERSION}`,
      redact: this.#redact,
      onRequest: (endpoint, code) => {
        if (!this.#stopped) deps.health.recordApiRequest(config.name, endpoint, code);
      },
      debug: (msg, fields) => deps.logger.debug(msg, { workspace: config.name, ...fields }),
      now: deps.now,
      connect: deps.connect,
    });
    deps.health.recordOwnKey(config.name, keyIdOfToken(config.token));
    this.#poller = new Poller<RefreshOutcome>({
      intervalMs: deps.settings.refreshIntervalMs,
      deadlineMs: deps.settings.refreshTimeoutMs,
      setTimer: deps.setTimer,
      run: (signal) => {
        // One stat per refresh: a rotated token file is used from this refresh on.
        this.#tokenFile?.recheck();
        return refreshWorkspace(config.name, this.#fetchers(), signal, deps.now, (list) => implausibility(list, this.#snapshot?.keys.length));
      },
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

  /** A reload read this workspace's token file again and found another token: use it now. */
  adoptToken(token: string): void {
    this.#tokenFile?.adopt(token);
  }

  #tokenChanged(token: string): void {
    // Learnt by every redactor before anything is logged of the change.
    this.#redact.add(token);
    this.#deps.logger.addSecret?.(token);
    this.#deps.onSecret?.(token);
    const apiKeyId = keyIdOfToken(token);
    this.#deps.health.recordOwnKey(this.name, apiKeyId);
    this.#deps.logger.info('the token file changed; using the new token', { workspace: this.name, token_file: this.#tokenFile?.path, api_key_id: apiKeyId ?? null });
  }

  /** Refreshes now, joining a refresh under way; resolves once its outcome is applied. */
  async refresh(): Promise<RefreshOutcome> {
    return this.#poller.refresh();
  }

  /** Whether stop() was called: its schedule is over and nothing it learns is recorded. */
  get stopped(): boolean {
    return this.#stopped;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
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
    logKeys(logger, this.name, outcome, this.#snapshot, this.#redact);
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
    logSource(this.#sourceLog(), 'budgets', budgets, wasUp, previous);
    return budgets.ok;
  }

  #applyProjects(round: RefreshOutcome): boolean {
    const projects = round.projects;
    const cache = this.#deps.projects;
    if (projects === undefined || cache === undefined) return false;
    if (projects.ok) cache.store(this.name, projects.value.projects);
    this.#deps.health.recordSource(this.name, 'projects', projects.ok, round.endedAt);
    logSource(this.#sourceLog(), 'projects', projects, this.#projectsUp, this.#projectsError);
    this.#projectsUp = projects.ok;
    this.#projectsError = projects.ok ? undefined : projects.error;
    return projects.ok;
  }

  #sourceLog(): SourceLog {
    return { logger: this.#deps.logger, workspace: this.name, redact: this.#redact };
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
}
