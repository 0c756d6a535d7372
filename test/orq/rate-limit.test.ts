/**
 * The rate-limit window and the headers it is read from. That the transport waits what they
 * say, across retries and refreshes, is hardening/faults.test.ts's (against the simulator);
 * here are the readings themselves: every form of the headers, what is ignored, and the caps.
 * The monotonic clock is stubbed, so no test waits.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { header, MAX_RATE_LIMIT_WAIT_MS, RateLimitWindow, resetDelayMs, retryAfterMs, type Headers } from '../../src/orq/rate-limit.js';

const NOW_MS = Date.UTC(2026, 5, 1, 12, 0, 0);
/** What noteHeaders adds to a reset, for whole-second resets and early timers. */
const MARGIN_MS = 100;

let monotonic = 1_000;
beforeEach(() => {
  monotonic = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => monotonic);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const noted = (headers: Headers): number | undefined => {
  const window = new RateLimitWindow();
  window.noteHeaders(headers, NOW_MS);
  return window.wait();
};

describe('RateLimitWindow', () => {
  it('is open until told otherwise', () => {
    expect(new RateLimitWindow().wait()).toBeUndefined();
  });

  it('waits for X-RateLimit-Reset, plus a margin, once X-RateLimit-Remaining reaches 0', () => {
    expect(noted({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' })).toBe(2_000 + MARGIN_MS);
    // A Unix time in seconds rather than a delay.
    expect(noted({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_MS / 1000 + 3) })).toBe(3_000 + MARGIN_MS);
    // Spent past empty counts as spent.
    expect(noted({ 'x-ratelimit-remaining': '-1', 'x-ratelimit-reset': '1' })).toBe(1_000 + MARGIN_MS);
  });

  it.each<[string, Headers]>([
    ['requests remain', { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '30' }],
    ['no remaining count', { 'x-ratelimit-reset': '30' }],
    ['a blank remaining count', { 'x-ratelimit-remaining': ' ', 'x-ratelimit-reset': '30' }],
    ['a remaining count that is no number', { 'x-ratelimit-remaining': 'none', 'x-ratelimit-reset': '30' }],
    ['no reset', { 'x-ratelimit-remaining': '0' }],
    ['a reset that is no number', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'soon' }],
    ['a reset of 0', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }],
    ['a reset already past', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_MS / 1000 - 5) }],
  ])('does not wait for %s', (_what, headers) => {
    expect(noted(headers)).toBeUndefined();
  });

  it('never waits longer than MAX_RATE_LIMIT_WAIT_MS, however far off the reset', () => {
    expect(noted({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '86400' })).toBe(MAX_RATE_LIMIT_WAIT_MS);
    const window = new RateLimitWindow();
    window.holdFor(Number.MAX_SAFE_INTEGER);
    expect(window.wait()).toBe(MAX_RATE_LIMIT_WAIT_MS);
  });

  it('keeps the later of two holds, and counts down on the monotonic clock until it is open again', () => {
    const window = new RateLimitWindow();
    window.holdFor(5_000);
    window.holdFor(1_000);
    expect(window.wait()).toBe(5_000);
    monotonic += 4_000;
    expect(window.wait()).toBe(1_000);
    monotonic += 1_000;
    expect(window.wait()).toBeUndefined();
  });
});

describe('retryAfterMs', () => {
  it.each<[string | string[] | undefined, number | undefined]>([
    ['3', 3_000],
    ['0', 0],
    ['1.5', 1_500],
    // A negative delay is no delay, not a request to go back in time.
    ['-5', 0],
    [new Date(NOW_MS + 7_000).toUTCString(), 7_000],
    [new Date(NOW_MS - 7_000).toUTCString(), 0],
    [['2', '9'], 2_000],
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['later', undefined],
  ])('%j is %s ms', (value, ms) => {
    expect(retryAfterMs(value === undefined ? {} : { 'retry-after': value }, NOW_MS)).toBe(ms);
  });
});

describe('resetDelayMs', () => {
  it.each<[string | undefined, number | undefined]>([
    ['30', 30_000],
    // Up to 1e9 it is a delay in seconds (31 years); beyond, a Unix time in seconds.
    ['1000000000', 1e12],
    [String(NOW_MS / 1000 + 60), 60_000],
    [String(NOW_MS / 1000 - 60), -60_000],
    ['-1', undefined],
    ['x', undefined],
    ['Infinity', undefined],
    [undefined, undefined],
  ])('%j is %s ms', (value, ms) => {
    expect(resetDelayMs(value, NOW_MS)).toBe(ms);
  });
});

describe('header', () => {
  it('takes the first of a repeated header, by its lowercase name', () => {
    expect(header({ 'retry-after': ['1', '2'] }, 'retry-after')).toBe('1');
    expect(header({ 'retry-after': '1' }, 'retry-after')).toBe('1');
    expect(header({}, 'retry-after')).toBeUndefined();
  });
});
