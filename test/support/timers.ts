/** Timers that fire only when a test says so, in the order they were set. */
export interface ManualTimers {
  readonly pending: Array<{ fn: () => void; ms: number; cancelled: boolean }>;
  setTimer(fn: () => void, ms: number): { cancel(): void };
  /** Fires the oldest timer still pending (skipping cancelled ones); false when none is. */
  fire(): boolean;
  /** The delays of the timers not cancelled, oldest first. */
  live(): number[];
}

export function manualTimers(): ManualTimers {
  const pending: ManualTimers['pending'] = [];
  return {
    pending,
    setTimer(fn, ms) {
      const t = { fn, ms, cancelled: false };
      pending.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
    fire() {
      for (let t = pending.shift(); t !== undefined; t = pending.shift()) {
        if (!t.cancelled) {
          t.fn();
          return true;
        }
      }
      return false;
    },
    live: () => pending.filter((t) => !t.cancelled).map((t) => t.ms),
  };
}

export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise callback already queued run (a few turns of the event loop). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}
