import { describe, expect, it } from 'vitest';
import { RateLimiter, validateRateLimit } from '../../src/simulator/rate-limit.js';

describe('RateLimiter', () => {
  it('admits `limit` requests per fixed window aligned to the epoch, then refuses until the next', () => {
    let clock = 120_500;
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000 }, () => clock);
    expect([limiter.admit(), limiter.admit(), limiter.admit()]).toEqual([true, true, false]);
    expect(limiter.retryAfterSeconds()).toBe(60);
    clock = 179_999;
    expect(limiter.admit()).toBe(false);
    expect(limiter.retryAfterSeconds()).toBe(1);
    clock = 180_000;
    expect(limiter.admit()).toBe(true);
  });

  it('reports limit, what remains (never below 0) and the window’s end in seconds', () => {
    const clock = 1_000;
    const limiter = new RateLimiter({ limit: 1, windowMs: 10_000 }, () => clock);
    expect(limiter.headers()).toEqual({ 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '10' });
    limiter.admit();
    limiter.admit();
    expect(limiter.headers()['x-ratelimit-remaining']).toBe('0');
  });

  it('with a limit of 0 refuses everything', () => {
    const limiter = new RateLimiter({ limit: 0, windowMs: 1_000 }, () => 0);
    expect(limiter.admit()).toBe(false);
  });
});

describe('validateRateLimit', () => {
  it.each([
    { limit: -1, windowMs: 1 },
    { limit: 1.5, windowMs: 1 },
    { limit: 1, windowMs: 0 },
    { limit: 1, windowMs: Number.NaN },
  ])('refuses %j', (rateLimit) => {
    expect(() => validateRateLimit(rateLimit)).toThrow(RangeError);
  });

  it('accepts none, and a sane one', () => {
    expect(() => validateRateLimit(undefined)).not.toThrow();
    expect(() => validateRateLimit({ limit: 0, windowMs: 1 })).not.toThrow();
  });
});
