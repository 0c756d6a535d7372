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

/**
 * mulberry32 as a class: every instance shares one `next`, so a generator drawing from two
 * streams keeps its calls monomorphic. (Closures per instance made V8 see several call
 * targets at each draw and halved the generator's speed.)
 */
class Mulberry implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  ulid(timeMs: number): string {
    // Filled as char codes and turned into a string once: a 100,000-key workspace draws
    // hundreds of thousands of ids, and char-by-char concatenation dominated its cost.
    writeUlidTime(timeMs, ULID_CODES);
    for (let i = 10; i < 26; i++) ULID_CODES[i] = CROCKFORD_CODES[Math.floor(this.next() * 32)] as number;
    return String.fromCharCode(...ULID_CODES);
  }

  uuid(): string {
    const h = this.chars(HEX, 32);
    // Version nibble 4 and variant 10xx, as a real v4 UUID has.
    const variant = HEX[8 + Math.floor(this.next() * 4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  alnum(n: number): string {
    return this.chars(ALNUM, n);
  }

  private chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry(seed);
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

/**
 * A stable number in [0, 1) for a text and a salt (FNV-1a). For choices that must not use
 * the seeded stream, so they stay put when a key is made by hand or the stream changes.
 */
export function unitHash(text: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  // murmur3's finaliser: ids that differ in one character must still land far apart.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
