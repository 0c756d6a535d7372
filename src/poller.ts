/**
 * Owns time for one workspace: runs a refresh now and then every interval after the previous
 * one ended (so refreshes never overlap), publishes a new snapshot only when a whole list
 * arrived, and tells its observer how each refresh went. The clock and timers are injected so
 * tests drive it without sleeping.
 */
import type { Snapshot } from './snapshot.js';
import type { KeyList } from './orq/client.js';
import { RefreshError } from './orq/errors.js';

export interface RefreshOutcome {
  readonly workspace: string;
  readonly ok: boolean;
  readonly durationSeconds: number;
  /** Unix seconds when the refresh ended. */
  readonly endedAt: number;
  readonly error?: RefreshError;
  readonly list?: KeyList;
}

export interface PollerOptions {
  readonly workspace: string;
  readonly intervalMs: number;
  /** The whole refresh, all pages and retries, must end within this. */
  readonly deadlineMs: number;
  readonly listKeys: (signal: AbortSignal) => Promise<KeyList>;
  readonly onOutcome?: (outcome: RefreshOutcome) => void;
  /** Wall clock in ms. */
  readonly now?: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

export class Poller {
  readonly #options: PollerOptions;
  readonly #now: () => number;
  readonly #setTimer: NonNullable<PollerOptions['setTimer']>;
  #snapshot: Snapshot | undefined;
  #inFlight: Promise<RefreshOutcome> | undefined;
  #abort: AbortController | undefined;
  #timer: { cancel(): void } | undefined;
  #stopped = false;

  constructor(options: PollerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#setTimer = options.setTimer ?? defaultTimer;
  }

  get workspace(): string {
    return this.#options.workspace;
  }

  /** The last good snapshot, or undefined before the first successful refresh. */
  get snapshot(): Snapshot | undefined {
    return this.#snapshot;
  }

  /** Refreshes now, then every interval after each refresh ends. */
  start(): void {
    this.#stopped = false;
    void this.#tick();
  }

  async #tick(): Promise<void> {
    await this.refresh();
    if (!this.#stopped) this.#timer = this.#setTimer(() => void this.#tick(), this.#options.intervalMs);
  }

  /** One refresh; a call while one runs joins it instead of starting another. */
  refresh(): Promise<RefreshOutcome> {
    this.#inFlight ??= this.#run().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #run(): Promise<RefreshOutcome> {
    const abort = new AbortController();
    this.#abort = abort;
    const deadline = setTimeout(() => abort.abort(new Error('refresh deadline')), this.#options.deadlineMs);
    const started = performance.now();
    let outcome: RefreshOutcome;
    try {
      const list = await this.#options.listKeys(abort.signal);
      const endedAt = this.#now() / 1000;
      this.#snapshot = {
        workspace: this.#options.workspace,
        version: (this.#snapshot?.version ?? 0) + 1,
        fetchedAt: endedAt,
        keys: list.keys,
      };
      outcome = { workspace: this.#options.workspace, ok: true, durationSeconds: elapsed(started), endedAt, list };
    } catch (error) {
      outcome = {
        workspace: this.#options.workspace,
        ok: false,
        durationSeconds: elapsed(started),
        endedAt: this.#now() / 1000,
        error: asRefreshError(error, abort.signal),
      };
    } finally {
      clearTimeout(deadline);
      this.#abort = undefined;
    }
    this.#options.onOutcome?.(outcome);
    return outcome;
  }

  /** Stops the schedule and abandons a refresh under way; the snapshot stays readable. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#abort?.abort(new Error('exporter stopping'));
    await this.#inFlight?.catch(() => undefined);
  }
}

function asRefreshError(error: unknown, signal: AbortSignal): RefreshError {
  if (error instanceof RefreshError) return error;
  if (signal.aborted) return new RefreshError('timeout', 'refresh deadline reached before every page arrived');
  // A bug of ours rather than the upstream's; still only a failed refresh, never a crash.
  const message = error instanceof Error ? error.message : String(error);
  return new RefreshError('invalid_response', `unexpected error while refreshing: ${message.slice(0, 200)}`);
}

function elapsed(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}

function defaultTimer(fn: () => void, ms: number): { cancel(): void } {
  const timer = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(timer) };
}
