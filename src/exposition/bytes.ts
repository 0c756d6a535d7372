/**
 * Building exposition text straight into Buffers. At 100,000 keys a render is tens of
 * megabytes; building it as JS strings and encoding them afterwards costs several passes over
 * the bytes and a rope of a million pieces, so the hot paths write bytes in place instead.
 */

/**
 * The longest `String(n)` of a finite double: a sign, 17 significant digits and either
 * `0.00000` in front or `e-308` behind. Rounded up: the bound sizes buffers we never grow.
 */
export const MAX_NUMBER_LENGTH = 32;

const MINUS = 0x2d;
const ZERO = 0x30;

/**
 * Writes a number as `String(value)` spells it and returns the new offset. Integers, which
 * most clock-dependent values are, skip the string; the rest are ASCII by construction.
 * `out` must have MAX_NUMBER_LENGTH bytes free at `at`.
 */
export function writeNumber(out: Buffer, at: number, value: number): number {
  // Below 2^53 every integer prints as its digits, no exponent (String switches at 1e21).
  if (Number.isSafeInteger(value)) {
    let v = value;
    if (v < 0) {
      out[at++] = MINUS;
      v = -v;
    }
    return writeDigits(out, at, v);
  }
  return writeAscii(out, at, String(value));
}

/** How many bytes writeNumber writes for `value`: it must match, as Content-Length is sent first. */
export function numberLength(value: number): number {
  if (!Number.isSafeInteger(value)) return String(value).length;
  let length = value < 0 ? 2 : 1;
  const v = Math.abs(value);
  for (let p = 10; p <= v; p *= 10) length++;
  return length;
}

/** The decimal digits of a non-negative safe integer. */
function writeDigits(out: Buffer, at: number, v: number): number {
  let end = at + 1;
  for (let p = 10; p <= v; p *= 10) end++;
  let i = end;
  while (v >= 10) {
    const q = Math.floor(v / 10);
    out[--i] = ZERO + (v - q * 10);
    v = q;
  }
  out[--i] = ZERO + v;
  return end;
}

/**
 * Copies an ASCII string byte by byte. For the short strings of numbers a JS loop beats a
 * native latin1Write call, whose fixed cost is larger than the copy.
 */
export function writeAscii(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}
