import { describe, expect, it } from 'vitest';
import { createRng, encodeUlidTime, mulberry32 } from '../../src/simulator/random.js';

describe('mulberry32', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(seqA);
    for (const x of seqA) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('createRng', () => {
  it('int() covers both ends of its range and nothing outside', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('pick() refuses an empty list instead of returning undefined', () => {
    expect(() => createRng(1).pick([])).toThrow(RangeError);
  });

  it('ulid() is 26 Crockford characters whose prefix encodes the time', () => {
    const rng = createRng(9);
    const t = Date.UTC(2024, 4, 1, 12, 0, 0, 123);
    const id = rng.ulid(t);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.slice(0, 10)).toBe(encodeUlidTime(t));
    expect(rng.ulid(t)).not.toBe(id);
  });

  it('encodeUlidTime() matches the ULID spec example and sorts with time', () => {
    // From the ULID spec: 1469918176385 ms encodes as 01ARYZ6S41.
    expect(encodeUlidTime(1469918176385)).toBe('01ARYZ6S41');
    expect(encodeUlidTime(0)).toBe('0000000000');
    expect(encodeUlidTime(1000) < encodeUlidTime(1001)).toBe(true);
  });

  it('uuid() looks like a version-4 UUID', () => {
    const rng = createRng(5);
    for (let i = 0; i < 50; i++) {
      expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
