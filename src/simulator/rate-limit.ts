/**
 * The per-workspace request budget orq enforces on management endpoints, so the exporter's
 * handling of 429, Retry-After and X-RateLimit-* can be tested against a server that
 * actually counts.
 */

export interface RateLimit {
  /** requests allowed per window */
  limit: number;
  windowMs: number;
}

/** Fixed windows aligned to the epoch, so X-RateLimit-Reset is the same for every client. */
export class RateLimiter {
  private windowStart = -1;
  private used = 0;

  constructor(
    readonly config: RateLimit,
    private readonly now: () => number,
  ) {}

  private roll(): number {
    const t = this.now();
    const start = Math.floor(t / this.config.windowMs) * this.config.windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    return t;
  }

  /** Counts one request; false when it is over the budget. */
  admit(): boolean {
    this.roll();
    this.used += 1;
    return this.used <= this.config.limit;
  }

  headers(): Record<string, string> {
    this.roll();
    return {
      'x-ratelimit-limit': String(this.config.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.config.limit - this.used)),
      'x-ratelimit-reset': String(Math.ceil((this.windowStart + this.config.windowMs) / 1000)),
    };
  }

  retryAfterSeconds(): number {
    const t = this.roll();
    return Math.max(1, Math.ceil((this.windowStart + this.config.windowMs - t) / 1000));
  }
}

export function validateRateLimit(rateLimit: RateLimit | undefined): void {
  if (rateLimit === undefined) return;
  if (!Number.isInteger(rateLimit.limit) || rateLimit.limit < 0 || !(rateLimit.windowMs > 0)) {
    throw new RangeError(`rateLimit needs an integer limit >= 0 and windowMs > 0, got ${JSON.stringify(rateLimit)}`);
  }
}
