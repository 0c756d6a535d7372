import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readThresholds, THRESHOLD_RECORDS } from '../../scripts/dashboards/thresholds.js';
import { generate, RULES_FILE } from '../../scripts/generated.js';
import { withThreshold, withThresholds } from './rules-text.js';

const RULES = readFileSync(RULES_FILE, 'utf8');
const { expiryWarningDays: WARNING, expiryCriticalDays: CRITICAL, unusedDays: UNUSED } = THRESHOLD_RECORDS;

const read = (text: string) => readThresholds(parse(text) as unknown);
const problemsOf = (text: string): readonly string[] => {
  const result = read(text);
  return result.ok ? [] : result.problems;
};

/** Shares of a budget: 0.01 to 1. */
const ratio = fc.integer({ min: 1, max: 100 }).map((n) => n / 100);
/** Days as a person writes them: whole, or with a decimal part. */
const days = fc.oneof(fc.integer({ min: 1, max: 36_500 }), fc.integer({ min: 1, max: 99_999 }).map((n) => n / 100));

describe('readThresholds', () => {
  it('reads the committed rule file', () => {
    expect(read(RULES).ok).toBe(true);
  });

  it('reads whatever days the records hold, whole or fractional', () => {
    fc.assert(
      fc.property(days, days, days, days, ratio, ratio, (a, b, unusedDays, noExpiryMaxAgeDays, c, d) => {
        fc.pre(a !== b && c !== d);
        const values = {
          expiryWarningDays: Math.max(a, b),
          expiryCriticalDays: Math.min(a, b),
          unusedDays,
          noExpiryMaxAgeDays,
          budgetWarningRatio: Math.min(c, d),
          budgetCriticalRatio: Math.max(c, d),
        };
        expect(read(withThresholds(RULES, values))).toEqual({ ok: true, thresholds: values });
      }),
      { numRuns: 40 },
    );
  });

  it('takes spaces inside vector() and an expr written as a block', () => {
    expect(read(withThreshold(RULES, UNUSED, 'vector( 45 )'))).toMatchObject({ ok: true, thresholds: { unusedDays: 45 } });
    expect(read(withThreshold(RULES, UNUSED, '|\n          vector(46)'))).toMatchObject({ ok: true, thresholds: { unusedDays: 46 } });
  });

  it('names a missing record, one line each', () => {
    const text = withThreshold(withThreshold(RULES, UNUSED, undefined), WARNING, undefined);
    expect(problemsOf(text)).toEqual([
      `${WARNING}: no recording rule by this name; the dashboard reads a threshold from it`,
      `${UNUSED}: no recording rule by this name; the dashboard reads a threshold from it`,
    ]);
  });

  it('refuses a record defined twice', () => {
    const text = RULES.replace(`- record: ${UNUSED}`, `- record: ${UNUSED}\n        expr: vector(7)\n      - record: ${UNUSED}`);
    expect(problemsOf(text)).toEqual([`${UNUSED}: recorded 2 times; keep one`]);
  });

  it.each([
    ['vector(14) * 2', 'got "vector(14) * 2"'],
    ['14', 'got a number'],
    ['"14"', 'got "14"'],
    ['vector(1e3)', 'got "vector(1e3)"'],
    ['vector(0x10)', 'got "vector(0x10)"'],
    ['vector(-1)', 'got "vector(-1)"'],
    ['vector(Inf)', 'got "vector(Inf)"'],
    ['vector(.5)', 'got "vector(.5)"'],
    ['[vector(14)]', 'got a list'],
    ['{a: 1}', 'got a mapping'],
    ['~', 'got null'],
    [`sum(${'x'.repeat(200)})`, `got "sum(${'x'.repeat(76)}…"`],
  ])('refuses expr %s, saying what it got', (expr, got) => {
    expect(problemsOf(withThreshold(RULES, UNUSED, expr))).toEqual([
      `${UNUSED}: expr must be vector(<days>) with a plain number, like vector(14) (${got})`,
    ]);
  });

  it('refuses a rule without an expr', () => {
    expect(problemsOf(RULES.replace(new RegExp(`(- record: ${UNUSED}\\n)\\s*expr: .*\\n`), '$1'))).toEqual([
      `${UNUSED}: expr must be vector(<days>) with a plain number, like vector(14) (got nothing)`,
    ]);
  });

  it.each(['vector(0)', 'vector(0.0)', `vector(1${'0'.repeat(400)})`])('refuses %s days', (expr) => {
    expect(problemsOf(withThreshold(RULES, UNUSED, expr))).toEqual([expect.stringMatching(new RegExp(`^${UNUSED}: must be a positive number of days \\(got `))]);
  });

  it.each([
    [14, 14],
    [30, 14],
  ])('refuses a critical window of %s days against a warning one of %s', (critical, warning) => {
    const text = withThreshold(withThreshold(RULES, CRITICAL, `vector(${critical})`), WARNING, `vector(${warning})`);
    expect(problemsOf(text)).toEqual([
      `${CRITICAL}: must be below ${WARNING} (${critical} is not below ${warning}): the critical window is the end of the warning one`,
    ]);
  });

  it('reports every bad record at once', () => {
    const text = withThreshold(withThreshold(RULES, CRITICAL, 'vector(0)'), UNUSED, 'time()');
    expect(problemsOf(text)).toHaveLength(2);
  });

  it.each([
    ['a list', '- 1\n- 2\n', 'groups: the rule file must have a list of rule groups'],
    ['no groups', 'rules: []\n', 'groups: the rule file must have a list of rule groups'],
    ['groups as a mapping', 'groups: {a: 1}\n', 'groups: the rule file must have a list of rule groups'],
    ['a group without rules', 'groups:\n  - name: a\n', 'groups[0]: must be a mapping with a list of rules'],
    ['a group that is a string', 'groups:\n  - name: a\n    rules: []\n  - b\n', 'groups[1]: must be a mapping with a list of rules'],
  ])('refuses a file that is %s', (_, text, problem) => {
    expect(problemsOf(text)).toEqual([problem]);
  });
});

describe('generate', () => {
  it('prefixes every problem with the rule file, one line each', () => {
    const result = generate(withThreshold(RULES, UNUSED, 'vector(x)'));
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(new RegExp(`^${RULES_FILE}: ${UNUSED}: expr must be`))] });
  });

  it.each([
    ['broken YAML', 'groups: [\n'],
    ['a duplicate key', 'groups: []\ngroups: []\n'],
    ['an unknown tag', 'groups: !!binary aGVsbG8=\n'],
  ])('refuses %s in one line per problem', (_, text) => {
    const result = generate(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) expect(problem).toMatch(new RegExp(`^${RULES_FILE}: [^\\n]+$`));
  });
});

describe('budget thresholds', () => {
  const { budgetWarningRatio: BW, budgetCriticalRatio: BC } = THRESHOLD_RECORDS;
  it('refuses a share over 1, and a critical share not above the warning one', () => {
    expect(problemsOf(withThreshold(RULES, BC, 'vector(1.5)'))).toEqual([`${BC}: must be a share of the budget, at most 1 (got 1.5)`]);
    expect(problemsOf(withThreshold(RULES, BC, 'vector(0.8)'))).toEqual([
      `${BC}: must be above ${BW} (0.8 is not above 0.8): the critical window starts where the warning one ends`,
    ]);
    expect(problemsOf(withThreshold(RULES, BW, 'vector(80%)'))).toEqual([`${BW}: expr must be vector(<ratio>) with a plain number, like vector(0.8) (got "vector(80%)")`]);
  });
});
