/**
 * A seedable pseudo-random source, so a simulated workspace is the same bytes for the same
 * seed: tests can assert exact values and a benchmark run can be repeated.
 */

/** Crockford base32, the alphabet of ULIDs (no I, L, O, U). */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const HEX = '0123456789abcdef';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  float(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** true with probability p. */
  chance(p: number): boolean;
  /** A 26-character ULID whose time part encodes timeMs and whose random part comes from this source. */
  ulid(timeMs: number): string;
  /** A version-4-looking UUID. */
  uuid(): string;
  /** n characters of lowercase letters and digits. */
  alnum(n: number): string;
}

/**
 * mulberry32: 32 bits of state, fast and good enough for test data. Its small state means
 * two ids drawn from it can collide; callers that need uniqueness must check for it.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const chars = (alphabet: string, n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  };
  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick() from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (p) => next() < p,
    ulid: (timeMs) => {
      // Filled as char codes and turned into a string once: a 100,000-key workspace draws
      // hundreds of thousands of ids, and char-by-char concatenation dominated its cost.
      writeUlidTime(timeMs, ULID_CODES);
      for (let i = 10; i < 26; i++) ULID_CODES[i] = CROCKFORD_CODES[Math.floor(next() * 32)] as number;
      return String.fromCharCode(...ULID_CODES);
    },
    uuid: () => {
      const h = chars(HEX, 32);
      // Version nibble 4 and variant 10xx, as a real v4 UUID has.
      const variant = HEX[8 + Math.floor(next() * 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    alnum: (n) => chars(ALNUM, n),
  };
}

const CROCKFORD_CODES = Array.from(CROCKFORD, (c) => c.charCodeAt(0));
const ULID_CODES = new Array<number>(26).fill(48);

function writeUlidTime(timeMs: number, codes: number[]): void {
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 9; i >= 0; i--) {
    codes[i] = CROCKFORD_CODES[t % 32] as number;
    t = Math.floor(t / 32);
  }
}

/** The 10-character, 48-bit millisecond prefix of a ULID; sorts in time order. */
export function encodeUlidTime(timeMs: number): string {
  const codes = new Array<number>(10);
  writeUlidTime(timeMs, codes);
  return String.fromCharCode(...codes);
}
