/**
 * One refresh of a workspace: the key list, then (when switched on) the budgets, then (when
 * due) the projects, each fetched on its own so one failing never blanks another. Every fetch
 * ends when the signal aborts, even one whose request never settles.
 */
import type { BudgetList, KeyList, ProjectList } from '../orq/client.js';
import { RefreshError } from '../orq/errors.js';
import type { Implausible } from './plausible.js';

export type Fetched<T> =
  | { readonly ok: true; readonly value: T; readonly durationSeconds: number }
  | { readonly ok: false; readonly error: RefreshError; readonly durationSeconds: number };

/**
 * How a refresh went. `ok`, `error` and `list` are the key list's: it alone decides whether the
 * refresh succeeded (and readiness); budgets and projects report beside it.
 */
export interface RefreshOutcome {
  readonly workspace: string;
  readonly ok: boolean;
  readonly durationSeconds: number;
  /** Unix seconds when the refresh ended. */
  readonly endedAt: number;
  readonly error?: RefreshError | undefined;
  readonly list?: KeyList | undefined;
  /** Undefined when budgets are not fetched (switched off). */
  readonly budgets?: Fetched<BudgetList> | undefined;
  /** Undefined when projects were not fetched this time (switched off, or not due). */
  readonly projects?: Fetched<ProjectList> | undefined;
}

export interface Fetchers {
  readonly keys: (signal: AbortSignal) => Promise<KeyList>;
  readonly budgets?: ((signal: AbortSignal) => Promise<BudgetList>) | undefined;
  readonly projects?: ((signal: AbortSignal) => Promise<ProjectList>) | undefined;
}

/**
 * Runs one refresh. `judge` may still refuse a key list that arrived whole (an implausible
 * one): it returns why, or undefined.
 */
export async function refreshWorkspace(
  workspace: string,
  fetchers: Fetchers,
  signal: AbortSignal,
  now: () => number,
  judge: (list: KeyList) => Implausible | undefined,
): Promise<RefreshOutcome> {
  const started = performance.now();
  const keys = await fetched(fetchers.keys, signal);
  const budgets = fetchers.budgets && (await fetched(fetchers.budgets, signal));
  const projects = fetchers.projects && (await fetched(fetchers.projects, signal));
  const base = { workspace, endedAt: now() / 1000, durationSeconds: (performance.now() - started) / 1000, budgets, projects };
  if (!keys.ok) return { ...base, ok: false, error: keys.error };
  const why = judge(keys.value);
  if (why !== undefined) return { ...base, ok: false, error: new RefreshError(why.reason, why.message) };
  return { ...base, ok: true, list: keys.value };
}

/** The outcome of a refresh that was abandoned: the key list failed, nothing else is known. */
export function abandoned(workspace: string, error: RefreshError, durationSeconds: number, now: () => number): RefreshOutcome {
  return { workspace, ok: false, endedAt: now() / 1000, durationSeconds, error };
}

async function fetched<T>(fetch: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<Fetched<T>> {
  const started = performance.now();
  const durationSeconds = (): number => (performance.now() - started) / 1000;
  try {
    const value = await untilAborted(fetch(signal), signal);
    return { ok: true, value, durationSeconds: durationSeconds() };
  } catch (error) {
    return { ok: false, error: asRefreshError(error, signal), durationSeconds: durationSeconds() };
  }
}

/** The promise, or a rejection as soon as the signal aborts, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function asRefreshError(error: unknown, signal: AbortSignal): RefreshError {
  if (error instanceof RefreshError) return error;
  if (signal.aborted) return new RefreshError('timeout', 'refresh deadline reached before every page arrived');
  // A bug of ours rather than the upstream's; still only a failed fetch, never a crash.
  const message = error instanceof Error ? error.message : String(error);
  return new RefreshError('invalid_response', `unexpected error while refreshing: ${message.slice(0, 200)}`);
}
