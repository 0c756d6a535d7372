import { describe, expect, it } from 'vitest';
import { compare, evaluate, failed, TARGETS, type Judged } from '../../bench/targets.js';
import { freshRow, renderRow, results } from './fixture.js';

function judged(name: string, list: readonly Judged[]): Judged {
  const found = list.find((j) => j.target.name.startsWith(name));
  if (found === undefined) throw new Error(`no target named ${name}`);
  return found;
}

describe('compare', () => {
  it.each([
    [5, 'at least', 5, true],
    [4.99, 'at least', 5, false],
    [3, 'at most', 3, true],
    [3.01, 'at most', 3, false],
    [999, 'under', 1000, true],
    [1000, 'under', 1000, false],
    [Number.NaN, 'at most', 3, false],
  ] as const)('%d %s %d is %s', (value, comparison, threshold, expected) => {
    expect(compare(value, comparison, threshold)).toBe(expected);
  });
});

describe('the targets table', () => {
  it('gives every target a threshold, a unit and a reason', () => {
    for (const t of TARGETS) {
      expect(Number.isFinite(t.threshold), t.name).toBe(true);
      expect(t.unit, t.name).not.toBe('');
      expect(t.why.length, t.name).toBeGreaterThan(10);
    }
    expect(new Set(TARGETS.map((t) => t.name)).size).toBe(TARGETS.length);
  });
});

describe('evaluate', () => {
  const all = evaluate(results());

  it('judges each ratio from the medians of the run', () => {
    const plainHttp = judged('10,000 keys: faster than prom-client (plain, HTTP)', all);
    expect(plainHttp.measured?.value).toBeCloseTo(380 / 18);
    expect(plainHttp.pass).toBe(true);
    const floor = judged('10,000 keys: within the floor (plain, HTTP)', all);
    expect(floor.measured?.value).toBeCloseTo(18 / 11);
    expect(floor.pass).toBe(true);
    // Only plain HTTP is held to the floor; the other ratios are figures, not targets.
    expect(TARGETS.filter((t) => t.name.includes('within the floor')).map((t) => t.name)).toEqual(['10,000 keys: within the floor (plain, HTTP)']);
  });

  it('takes the slowest p99 of the largest size and the gzip ratio of its bodies', () => {
    expect(judged('100,000 keys: slowest scrape', all).measured?.value).toBe(200);
    expect(judged('100,000 keys: gzip shrinks', all).measured?.value).toBe(8);
  });

  it('judges the refresh against every page it read, and the key requests against the page size', () => {
    const refresh = judged('refresh time against the floor', all);
    expect(refresh.measured?.value).toBeCloseTo(1.1);
    expect(refresh.pass).toBe(true);
    expect(judged('key-list requests', all).pass).toBe(true);
    const off = evaluate(results({ fresh: [freshRow(10_000, { requests: [50, 51] })] }));
    expect(judged('key-list requests', off).measured?.value).toBe(1);
    expect(judged('key-list requests', off).pass).toBe(false);
  });

  it('measures memory per key above the empty process at the largest size', () => {
    const memory = judged('resident memory', all);
    expect(memory.measured?.value).toBeCloseTo(1500);
    expect(memory.pass).toBe(true);
  });

  it('reports what the run did not measure as not run, never as passed, and fails no target for it', () => {
    const small = evaluate(results({ render: [renderRow(1_000, 'identity', 'HTTP', 1, 10, 1)], load: [], fresh: [] }));
    expect(small.every((j) => j.pass === undefined)).toBe(true);
    expect(failed(small)).toEqual([]);
  });

  it('counts a render beyond one per second as a failure', () => {
    const twice = evaluate(results({ load: [{ ...results().load[0]!, renders: 6, secondsSpanned: 4 }] }));
    expect(judged('concurrent scrapes: renders', twice).measured?.value).toBe(2);
    expect(failed(twice).map((j) => j.target.name)).toContain('concurrent scrapes: renders beyond one per second');
  });
});
