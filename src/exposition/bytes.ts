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

/** Blocks of this size hold what a snapshot keeps; see ByteWriter. */
export const BLOCK_BYTES = 1 << 20;

/**
 * Appends text to fixed-size blocks, for the text built once per snapshot. A buffer that
 * doubles as it grows would allocate and free a run of ever larger buffers at every refresh;
 * glibc then raises its mmap threshold and serves later large buffers from a heap that only
 * fragments, so the RSS of a long-running exporter creeps up refresh after refresh. Blocks of
 * one size are reused as they are freed. Blocks are served, and deflated, one by one.
 */
export class ByteWriter {
  readonly #blocks: Buffer[] = [];
  #buf: Buffer;
  #pos = 0;
  /** Text not yet encoded: a write per line would cost more in call overhead than in bytes. */
  #pending = '';

  /** `expected` sizes the first block, so a small family does not take a whole block. */
  constructor(expected: number) {
    this.#buf = Buffer.allocUnsafeSlow(Math.min(BLOCK_BYTES, Math.max(256, expected)));
  }

  /** UTF-8 text: label values come from upstream and may be anything. */
  text(s: string): void {
    this.#pending += s;
    if (this.#pending.length >= FLUSH_CHARS) this.#flush();
  }

  /** The text so far, block by block; the writer is spent. */
  finish(): Buffer[] {
    this.#flush();
    if (this.#pos > 0) this.#blocks.push(this.#buf.subarray(0, this.#pos));
    return this.#blocks;
  }

  #flush(): void {
    const text = this.#pending;
    this.#pending = '';
    const bytes = Buffer.byteLength(text, 'utf8');
    if (this.#pos + bytes > this.#buf.length) {
      // Kept whole behind a view, not copied out: freeing it would be the very churn blocks avoid.
      if (this.#pos > 0) this.#blocks.push(this.#buf.subarray(0, this.#pos));
      this.#buf = Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, bytes));
      this.#pos = 0;
    }
    this.#pos += this.#buf.write(text, this.#pos, bytes, 'utf8');
  }
}

/** About 1% of a block: the most a block leaves unused when the next text does not fit. */
const FLUSH_CHARS = 4096;
