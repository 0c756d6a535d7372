import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../src/orq/wire/values.js';

describe('parseTimestamp', () => {
  it.each([
    ['2026-11-27T00:00:00Z', 1795737600],
    ['2026-11-27T01:00:00+01:00', 1795737600],
    ['2026-11-27', 1795737600],
    [1795737600, 1795737600],
    [1795737600123, 1795737600.123],
    [{ seconds: '1795737600', nanos: 500_000_000 }, 1795737600.5],
  ])('%j is %d', (value, seconds) => {
    expect(parseTimestamp(value)).toBeCloseTo(seconds, 6);
  });
  it.each([['yesterday'], ['1'], ['+275760-09-13T00:00:01Z'], ['9999-99-99T00:00:00Z'], [NaN], [1e300], [null], [[]]])('%j is no time', (value) => {
    expect(parseTimestamp(value)).toBeNull();
  });
});
