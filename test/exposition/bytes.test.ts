/**
 * The byte writers behind every render: writeNumber must spell a number exactly as String()
 * does (the scrape-time families are compared against the string path nowhere else), within
 * the room MAX_NUMBER_LENGTH promises, and numberLength must say how long that is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NUMBER_LENGTH, numberLength, writeAscii, writeNumber } from '../../src/exposition/bytes.js';

/** Fixed seed: a failure reproduces; fast-check prints the counterexample. */
const SEED = 20_260_602;
const RUNS = { seed: SEED, numRuns: 20_000 };
/** Bytes the writers must not touch: none of them writes 0xff (all ASCII or UTF-8). */
const UNTOUCHED = 0xff;

/** What writeNumber writes for `value` at offset `at`, checking it stays in its room. */
function written(value: number, at = 3): string {
  const out = Buffer.alloc(at + MAX_NUMBER_LENGTH + 3, UNTOUCHED);
  const end = writeNumber(out, at, value);
  expect(end - at).toBeLessThanOrEqual(MAX_NUMBER_LENGTH);
  // Nothing before `at` or after the returned end is written.
  expect(out.subarray(0, at).every((b) => b === UNTOUCHED)).toBe(true);
  expect(out.subarray(end).every((b) => b === UNTOUCHED)).toBe(true);
  return out.toString('latin1', at, end);
}

describe('writeNumber', () => {
  it('spells every finite double as String(x), within MAX_NUMBER_LENGTH', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => written(x) === String(x)),
      RUNS,
    );
  });

  it('spells every integer as String(x), safe or not, either side of 2^53 and 1e21', () => {
    const integers = fc.oneof(
      fc.integer(),
      fc.maxSafeInteger(),
      fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(Number),
      fc.integer({ min: -1000, max: 1000 }).map((d) => Number.MAX_SAFE_INTEGER + d),
      fc.integer({ min: -1000, max: 1000 }).map((d) => 1e21 + d * 2 ** 17),
    );
    fc.assert(
      fc.property(integers, (x) => written(x) === String(x)),
      RUNS,
    );
  });

  it('spells every double whose bits are drawn uniformly (every exponent equally likely) as String(x)', () => {
    // fc.double favours ordinary magnitudes; raw bit patterns reach subnormals and the
    // largest exponents as often as anything else.
    const bits = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })).map(([hi, lo]) => {
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, hi);
      view.setUint32(4, lo);
      return view.getFloat64(0);
    });
    fc.assert(
      fc.property(bits.filter(Number.isFinite), (x) => written(x) === String(x)),
      RUNS,
    );
  });

  it.each([
    [0, '0'],
    // String(-0) is "0": a negative zero must not come out as "-0" from the integer path.
    [-0, '0'],
    [1, '1'],
    [-1, '-1'],
    [9, '9'],
    [10, '10'],
    [-10, '-10'],
    [99, '99'],
    [100, '100'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [Number.MIN_SAFE_INTEGER, '-9007199254740991'],
    [2 ** 53, '9007199254740992'],
    [1e20, '100000000000000000000'],
    [1e21, '1e+21'],
    [-1e21, '-1e+21'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [-Number.MAX_VALUE, '-1.7976931348623157e+308'],
    [Number.MIN_VALUE, '5e-324'],
    [-Number.MIN_VALUE, '-5e-324'],
    [2.2250738585072014e-308, '2.2250738585072014e-308'],
    [-2.2250738585072014e-308, '-2.2250738585072014e-308'],
    [1e-7, '1e-7'],
    [1e-6, '0.000001'],
    // The longest spelling: a sign, "0.00000" and 17 significant digits.
    [-1.2345678901234567e-6, '-0.0000012345678901234567'],
    [0.1 + 0.2, '0.30000000000000004'],
    [2.5, '2.5'],
    [-1 / 3, '-0.3333333333333333'],
    [1.5 / 86_400, '0.00001736111111111111'],
  ])('%s is %s', (value, text) => {
    expect(written(value)).toBe(text);
  });

  it('writes at the offset it is given and returns where the number ends', () => {
    const out = Buffer.alloc(2 * MAX_NUMBER_LENGTH, UNTOUCHED);
    let at = writeNumber(out, 0, 42);
    expect(at).toBe(2);
    at = writeNumber(out, at, -0.5);
    expect(at).toBe(6);
    expect(out.toString('latin1', 0, at)).toBe('42-0.5');
  });

  it('has room for the longest String() of any double', () => {
    // The bound sizes buffers that are never grown: it must hold the worst case of every form.
    for (const x of [-Number.MAX_VALUE, -Number.MIN_VALUE, -2.2250738585072014e-308, -1.2345678901234567e-6, -1.2345678901234567e20]) {
      expect(String(x).length).toBeLessThanOrEqual(MAX_NUMBER_LENGTH);
    }
  });
});

describe('numberLength', () => {
  it('is the length writeNumber writes, for every double and every integer', () => {
    const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1000, max: 1000 }).map((d) => Number.MAX_SAFE_INTEGER + d));
    fc.assert(
      fc.property(value, (x) => numberLength(x) === written(x).length),
      RUNS,
    );
    for (const x of [0, -0, 9, 10, -9, -10, 99, 100, 1e15, 1e21, -1e21, 0.1, -5e-324]) expect(numberLength(x), String(x)).toBe(written(x).length);
  });
});

describe('writeAscii', () => {
  it('copies the text byte for byte at the offset and returns its end', () => {
    const out = Buffer.alloc(16, UNTOUCHED);
    expect(writeAscii(out, 2, 'NaN')).toBe(5);
    expect(out.toString('latin1', 2, 5)).toBe('NaN');
    expect(out[1]).toBe(UNTOUCHED);
    expect(out[5]).toBe(UNTOUCHED);
    expect(writeAscii(out, 7, '')).toBe(7);
  });
});
