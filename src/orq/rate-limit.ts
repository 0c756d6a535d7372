/**
 * The upstream's rate-limit window as the client last heard of it: set from Retry-After, or
 * from X-RateLimit-Reset once X-RateLimit-Remaining reaches 0. Kept across refreshes and
 * endpoints (one token, one limit), because the window the last page of one refresh spent is
 * the window the next request starts in. Monotonic time, so a test's frozen wall clock cannot
 * make it wait for ever.
 */

/** The longest the client waits for a rate-limit window, however far off the server says it ends. */
export const MAX_RATE_LIMIT_WAIT_MS = 5 * 60_000;
/**
 * Added to a wait for X-RateLimit-Reset: the reset is given in whole seconds and timers may
 * fire a hair early, and a request that lands just before the window turns earns the 429 the
 * wait was meant to avoid.
 */
const RESET_MARGIN_MS = 100;

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export class RateLimitWindow {
  /** performance.now() before which no request goes out. */
  #notBefore = 0;

  /** Remembers when the server says the window is spent, so the next request waits for its reset. */
  noteHeaders(headers: Headers, nowMs: number): void {
    const remainingText = header(headers, 'x-ratelimit-remaining');
    const remaining = Number(remainingText);
    if (remainingText === undefined || remainingText.trim() === '' || !Number.isFinite(remaining) || remaining > 0) return;
    const wait = resetDelayMs(header(headers, 'x-ratelimit-reset'), nowMs);
    if (wait === undefined || wait <= 0) return;
    this.holdFor(wait + RESET_MARGIN_MS);
  }

  holdFor(ms: number): void {
    this.#notBefore = Math.max(this.#notBefore, performance.now() + Math.min(ms, MAX_RATE_LIMIT_WAIT_MS));
  }

  /** How long until the window reopens; undefined when none is noted. */
  wait(): number | undefined {
    const wait = this.#notBefore - performance.now();
    return wait > 0 ? Math.min(wait, MAX_RATE_LIMIT_WAIT_MS) : undefined;
  }
}

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = header(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

/** X-RateLimit-Reset is seen both as seconds from now and as a Unix time in seconds. */
export function resetDelayMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n > 1e9 ? n * 1000 - nowMs : n * 1000;
}
