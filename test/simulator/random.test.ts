import { describe, expect, it } from 'vitest';
import { createRng, encodeUlidTime, mulberry32, unitHash } from '../../src/simulator/random.js';

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

describe('createRng streams', () => {
  it('draws what mulberry32 draws for the same seed, so a seed keeps its workspace', () => {
    const rng = createRng(77);
    const raw = mulberry32(77);
    for (let i = 0; i < 100; i++) expect(rng.next()).toBe(raw());
  });

  it('keeps two streams independent: drawing from one never moves the other', () => {
    const alone = createRng(3);
    const expected = Array.from({ length: 20 }, () => alone.next());
    const a = createRng(3);
    const b = createRng(4);
    const got: number[] = [];
    for (let i = 0; i < 20; i++) {
      b.ulid(0);
      got.push(a.next());
    }
    expect(got).toEqual(expected);
  });
});

describe('unitHash', () => {
  it('is stable, in [0, 1), and different per salt', () => {
    expect(unitHash('01HV5XQ2Z6M8N0P2R4T6V8X0Z2', 1)).toBe(unitHash('01HV5XQ2Z6M8N0P2R4T6V8X0Z2', 1));
    expect(unitHash('x', 1)).not.toBe(unitHash('x', 2));
    for (const text of ['', 'a', 'é🔑', 'x'.repeat(10_000)]) {
      const h = unitHash(text, 9);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(1);
    }
  });

  it('spreads ids that differ in one last character evenly, as counter-made ids do', () => {
    const ids = Array.from({ length: 4_000 }, (_, i) => `01HQ0000000000000000${String(i).padStart(6, '0')}`);
    const buckets = new Array<number>(8).fill(0);
    for (const id of ids) buckets[Math.floor(unitHash(id, 5) * 8)]! += 1;
    for (const n of buckets) {
      expect(n).toBeGreaterThan(400);
      expect(n).toBeLessThan(600);
    }
  });
});
