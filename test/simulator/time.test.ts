import { describe, expect, it } from 'vitest';
import { DAY, isoSeconds, periodStart } from '../../src/simulator/time.js';

describe('isoSeconds', () => {
  it('drops milliseconds rather than rounding into the next second', () => {
    expect(isoSeconds(Date.UTC(2025, 0, 2, 3, 4, 5, 999))).toBe('2025-01-02T03:04:05Z');
  });

  it('agrees with Date#toISOString across centuries, leap days and midnight', () => {
    const samples = [0, Date.UTC(2024, 1, 29, 23, 59, 59), Date.UTC(2000, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 500)];
    for (let i = 0; i < 2_000; i++) samples.push(Math.floor(Math.sin(i) * 4e12));
    for (const t of samples) {
      expect(isoSeconds(t)).toBe(new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    }
  });
});

describe('periodStart', () => {
  // A Wednesday afternoon in a leap year.
  const now = Date.UTC(2024, 1, 28, 15, 30, 12);
  const created = Date.UTC(2023, 6, 9, 8);

  it.each([
    [1, Date.UTC(2024, 1, 28), 'daily: UTC midnight'],
    [2, Date.UTC(2024, 1, 26), 'weekly: the Monday before'],
    [3, Date.UTC(2024, 1, 1), 'monthly: the first'],
    [4, Date.UTC(2024, 0, 1), 'yearly: the first of January'],
    [5, created, 'one_time: the creation'],
    [0, created, 'unspecified: the creation'],
    [9, created, 'an unknown period: the creation'],
  ])('period %i starts at %s (%s)', (period, expected) => {
    expect(periodStart(period, now, created)).toBe(expected);
  });

  it('never starts after now or more than its length before it, on every day of a year', () => {
    for (let t = Date.UTC(2023, 11, 25, 23, 59, 59); t < Date.UTC(2025, 0, 8); t += DAY) {
      expect(t - periodStart(1, t, 0)).toBeLessThan(DAY);
      const week = t - periodStart(2, t, 0);
      expect(week).toBeGreaterThanOrEqual(0);
      expect(week).toBeLessThan(7 * DAY);
      expect(new Date(periodStart(2, t, 0)).getUTCDay()).toBe(1);
      expect(new Date(periodStart(3, t, 0)).getUTCDate()).toBe(1);
    }
  });
});
