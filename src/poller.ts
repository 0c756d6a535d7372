/**
 * Owns time for one job: runs it now and then every interval after the previous run ended (so
 * runs never overlap), joins a call that comes while one runs, and ends every run by its
 * deadline. The deadline is the poller's own: the job's signal is aborted at the deadline, and
 * a job that still has not settled shortly after (a dispatcher that never answers an abort) is
 * abandoned and reported as timed out, so nothing the job waits on can wedge the schedule.
 * The clock and timers are injected so tests drive it without sleeping.
 */

/** How long a job may take to notice its aborted signal before it is abandoned. */
export const ABANDON_AFTER_ABORT_MS = 1_000;

export type Timer = { cancel(): void };
export type SetTimer = (fn: () => void, ms: number) => Timer;

export interface PollerOptions<R> {
  readonly intervalMs: number;
  /** The whole run, every request and wait, must end within this. */
  readonly deadlineMs: number;
  readonly run: (signal: AbortSignal) => Promise<R>;
  /**
   * The result of a run that did not settle by its deadline, was stopped, or threw (a bug: a
   * job reports upstream failures in its result, but a throw must still not end the schedule).
   */
  readonly failed: (why: 'deadline' | 'stopped' | 'crashed', error?: unknown) => R;
  readonly onResult?: ((result: R) => void) | undefined;
  readonly setTimer?: SetTimer | undefined;
}

export class Poller<R> {
  readonly #options: PollerOptions<R>;
  readonly #setTimer: SetTimer;
  #inFlight: Promise<R> | undefined;
  #stopRun: ((why: 'stopped') => void) | undefined;
  #timer: Timer | undefined;
  #stopped = false;

  constructor(options: PollerOptions<R>) {
    this.#options = options;
    this.#setTimer = options.setTimer ?? defaultTimer;
  }

  /** Runs now, then every interval after each run ends. */
  start(): void {
    this.#stopped = false;
    void this.#tick();
  }

  async #tick(): Promise<void> {
    await this.refresh();
    if (!this.#stopped) this.#timer = this.#setTimer(() => void this.#tick(), this.#options.intervalMs);
  }

  /** One run; a call while one runs joins it instead of starting another. */
  refresh(): Promise<R> {
    this.#inFlight ??= this.#run().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #run(): Promise<R> {
    const abort = new AbortController();
    const timers: Timer[] = [];
    const ended = new Promise<R>((resolve) => {
      timers.push(
        this.#setTimer(() => {
          abort.abort(new Error('refresh deadline'));
          timers.push(this.#setTimer(() => resolve(this.#options.failed('deadline')), ABANDON_AFTER_ABORT_MS));
        }, this.#options.deadlineMs),
      );
      this.#stopRun = (why) => {
        abort.abort(new Error('exporter stopping'));
        resolve(this.#options.failed(why));
      };
    });
    const job = Promise.resolve()
      .then(() => this.#options.run(abort.signal))
      .catch((error: unknown) => this.#options.failed('crashed', error));
    let result: R;
    try {
      result = await Promise.race([job, ended]);
    } finally {
      for (const timer of timers) timer.cancel();
      this.#stopRun = undefined;
    }
    if (!this.#stopped) this.#options.onResult?.(result);
    return result;
  }

  /** Stops the schedule and abandons a run under way at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#stopRun?.('stopped');
    await this.#inFlight?.catch(() => undefined);
  }
}

function defaultTimer(fn: () => void, ms: number): Timer {
  const timer = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(timer) };
}
