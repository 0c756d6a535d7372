/**
 * What one source (the key list, the budgets) last fetched successfully, and whether its
 * last fetch succeeded. A failed fetch keeps the last good data: for the key list for ever
 * (readiness and every key series depend on it), for budgets only while it is recent enough
 * to mean something (`retentionSeconds`), since spending goes stale fast.
 */
import type { RefreshError } from '../orq/errors.js';

export class SourceState<T> {
  readonly #retentionSeconds: number;
  #data: T | undefined;
  #fetchedAt: number | undefined;
  #up: boolean | undefined;
  #lastError: RefreshError | undefined;

  /** `retentionSeconds`: how long after its fetch good data is still served; Infinity for ever. */
  constructor(retentionSeconds: number) {
    this.#retentionSeconds = retentionSeconds;
  }

  /** Undefined before the first fetch ended. */
  get up(): boolean | undefined {
    return this.#up;
  }

  /** Unix seconds of the last successful fetch. */
  get fetchedAt(): number | undefined {
    return this.#fetchedAt;
  }

  get lastError(): RefreshError | undefined {
    return this.#lastError;
  }

  succeed(data: T, at: number): void {
    this.#data = data;
    this.#fetchedAt = at;
    this.#up = true;
    this.#lastError = undefined;
  }

  fail(error: RefreshError): void {
    this.#up = false;
    this.#lastError = error;
  }

  /** The data to serve at `now` (Unix seconds): the last good data while within retention. */
  current(now: number): T | undefined {
    if (this.#fetchedAt === undefined || now - this.#fetchedAt > this.#retentionSeconds) return undefined;
    return this.#data;
  }
}
