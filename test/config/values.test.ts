/**
 * The kinds of value a setting takes. The duration ceiling and floors are durations.test.ts's,
 * through every duration setting; here are whole numbers, booleans, and how much of a given
 * value an error repeats.
 */
import { describe, expect, it } from 'vitest';
import { boolean, duration, MAX_QUOTED, quote, wholeNumber, type Fail } from '../../src/config/values.js';

/** A Fail that records each problem. */
function recorder(): { fail: Fail; problems: Array<[string, string | undefined]> } {
  const problems: Array<[string, string | undefined]> = [];
  return {
    problems,
    fail: (problem, got) => {
      problems.push([problem, got]);
      return undefined;
    },
  };
}

describe('wholeNumber', () => {
  it.each([
    ['0', 0],
    ['65535', 65535],
    ['007', 7],
  ])('takes %j as %d, its bounds included', (text, n) => {
    const { fail, problems } = recorder();
    expect(wholeNumber(text, 0, 65535, fail)).toBe(n);
    expect(problems).toEqual([]);
  });

  it.each(['65536', '-1', '+1', '1.0', '1e3', '0x10', ' 1', '1 ', '', '١٢', '9'.repeat(400)])('refuses %j, saying the range', (text) => {
    const { fail, problems } = recorder();
    expect(wholeNumber(text, 0, 65535, fail)).toBeUndefined();
    expect(problems).toEqual([['must be a whole number from 0 to 65535', text]]);
  });
});

describe('boolean', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
    ['1', true],
    ['0', false],
  ])('takes %j as %s', (text, value) => {
    const { fail, problems } = recorder();
    expect(boolean(text, fail)).toBe(value);
    expect(problems).toEqual([]);
  });

  it.each(['yes', 'on', '', '2'])('refuses %j', (text) => {
    const { fail, problems } = recorder();
    expect(boolean(text, fail)).toBeUndefined();
    expect(problems).toEqual([['must be true or false (or 1 or 0)', text]]);
  });
});

describe('duration', () => {
  it('gives milliseconds, and refuses below the floor it is given, saying the floor as a duration', () => {
    const { fail, problems } = recorder();
    expect(duration('1m30s', 1_000, fail)).toBe(90_000);
    expect(duration('999ms', 1_000, fail)).toBeUndefined();
    expect(problems).toEqual([['must be at least 1s', '999ms']]);
  });
});

describe('quote', () => {
  it('quotes as JSON, so a value stays on one line', () => {
    expect(quote('a"b\nc')).toBe('"a\\"b\\nc"');
  });

  it(`keeps up to ${MAX_QUOTED} characters and cuts the rest, marked`, () => {
    expect(quote('x'.repeat(MAX_QUOTED))).toBe(JSON.stringify('x'.repeat(MAX_QUOTED)));
    expect(quote('x'.repeat(MAX_QUOTED + 1))).toBe(JSON.stringify(`${'x'.repeat(MAX_QUOTED)}…`));
  });

  it('counts characters, not UTF-16 units: a cut never leaves half a surrogate pair', () => {
    const keys = '🔑'.repeat(MAX_QUOTED + 5);
    const quoted = JSON.parse(quote(keys)) as string;
    expect(quoted).toBe(`${'🔑'.repeat(MAX_QUOTED)}…`);
    // No lone surrogate anywhere (ES2023 lib has no isWellFormed).
    expect(quoted).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
