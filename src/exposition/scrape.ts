/**
 * The families whose values move with the clock, from prepared snapshots: days to expiry,
 * expired, seconds since last use, and the age of each snapshot. They are lazy text
 * (body.ts): written out block by block for each plain scrape that sends them and for the one
 * deflate of the second, never held whole. A render writes megabytes of them at 100,000 keys,
 * and fresh memory for every second costs more in page faults than the writing; a block
 * reused costs neither. Each line is its prepared head (the family's prefix and the key's
 * rest, lines.ts) copied as bytes, then the value written in place; nothing goes through a JS
 * string but the fractional numbers.
 */
import { BLOCK_BYTES, type LazyText } from './body.js';
import { MAX_NUMBER_LENGTH, numberLength, writeAscii, writeNumber } from './bytes.js';
import { families } from './families.js';
import { lineBytes, linesBytes, type Cursor, type Lines } from './lines.js';
import type { ClockLines, PreparedSnapshot } from './prepare.js';
import { familyHeader } from './text.js';

const SECONDS_PER_DAY = 86_400;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const ONE = 0x31;

const DAYS_HEADER = Buffer.from(familyHeader(families.keyDaysToExpiry), 'utf8');
export const EXPIRED_HEADER = Buffer.from(familyHeader(families.keyExpired), 'utf8');
const SINCE_HEADER = Buffer.from(familyHeader(families.keySecondsSinceLastUse), 'utf8');
const AGE_HEADER = Buffer.from(familyHeader(families.snapshotAge), 'utf8');

const DAYS_NAME_LENGTH = families.keyDaysToExpiry.name.length;
const EXPIRED_NAME = Buffer.from(families.keyExpired.name, 'latin1');
const NOTHING = Buffer.alloc(0);

/** The expired lines of one snapshot at some time, and how many keys had expired then. */
export interface ExpiredText {
  readonly expiredCount: number;
  readonly text: LazyText;
}

export interface ClockRender {
  /** `orq_api_key_days_to_expiry`, header and lines. */
  readonly days: LazyText;
  /** `orq_api_key_expired` lines of each snapshot (after EXPIRED_HEADER), reused while unchanged. */
  readonly expired: readonly ExpiredText[];
  /** `orq_api_key_seconds_since_last_use` and `orq_exporter_snapshot_age_seconds`. */
  readonly rest: LazyText;
}

/**
 * The clock families at `second` (whole Unix seconds). `previous` is each snapshot's last
 * expired text, index for index; it is reused when no key crossed its expiry since.
 */
export function renderClockFamilies(
  prepared: readonly PreparedSnapshot[],
  second: number,
  previous: ReadonlyArray<ExpiredText | undefined> = [],
): ClockRender {
  const ages = [AGE_HEADER];
  for (const p of prepared) {
    const line = Buffer.allocUnsafe(p.ageHead.length + MAX_NUMBER_LENGTH + 1);
    let to = p.ageHead.copy(line, 0);
    to = writeNumber(line, to, Math.max(0, second - p.snapshot.fetchedAt));
    line[to++] = NEWLINE;
    ages.push(line.subarray(0, to));
  }
  return {
    days: clockText(DAYS_HEADER, prepared.map((p) => p.daysToExpiry), 'days', second, NOTHING),
    expired: prepared.map((p, i) => expiredText(p, second, previous[i])),
    rest: clockText(SINCE_HEADER, prepared.map((p) => p.sinceLastUse), 'since', second, Buffer.concat(ages)),
  };
}

type Clock = 'days' | 'since';

/** A line's value at `second` from its time. */
function valueAt(clock: Clock, at: number, second: number): number {
  // A last use "in the future" is clock skew between us and upstream, not negative idleness.
  return clock === 'days' ? (at - second) / SECONDS_PER_DAY : Math.max(0, second - at);
}

/**
 * `header`, every line of `lines` with its value at `second`, then `tail`. The length spells
 * every value once, and only when asked (a plain scrape's Content-Length; gzip never asks).
 */
function clockText(header: Buffer, lines: readonly ClockLines[], clock: Clock, second: number, tail: Buffer): LazyText {
  let measured: Measured | undefined;
  return {
    get length(): number {
      measured ??= measure(header, lines, clock, second, tail);
      return measured.length;
    },
    *blocks() {
      let room = header.length + tail.length;
      for (const c of lines) room += linesBytes(c.lines) + c.at.length * (MAX_NUMBER_LENGTH + 1);
      const cursor = { block: Buffer.allocUnsafeSlow(Math.min(BLOCK_BYTES, room)), to: 0 };
      cursor.to = header.copy(cursor.block, 0);
      for (let w = 0; w < lines.length; w++) {
        const c = lines[w]!;
        // Fractional values spelled while measuring are not spelled again.
        yield* clockLines(cursor, c.lines.prefix, c, second, { clock, spelled: measured?.spelled[w] });
      }
      if (cursor.to + tail.length > cursor.block.length) {
        yield cursor.block.subarray(0, cursor.to);
        cursor.to = 0;
      }
      cursor.to += tail.copy(cursor.block, cursor.to);
      if (cursor.to > 0) yield cursor.block.subarray(0, cursor.to);
    },
  };
}

/** What follows a head: a value at the second (spelled already or not), or expired or not. */
type Value = { readonly clock: Clock; readonly spelled: ReadonlyArray<string | undefined> | undefined } | 'expired';

/**
 * The lines of `c` after `prefix`, into the cursor's block, each whole block yielded when the
 * next line does not fit. A line longer than a block (a key id from upstream can be long) is
 * yielded in a buffer of its own.
 */
function* clockLines(cursor: Cursor, prefix: Buffer, c: ClockLines, second: number, value: Value): Generator<Buffer, void, undefined> {
  const { lines: heads, at } = c;
  const { block } = cursor;
  const ends = heads.ends;
  const extra = prefix.length - heads.prefix.length + (value === 'expired' ? 2 : MAX_NUMBER_LENGTH + 1);
  let to = cursor.to;
  let from = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const most = lineBytes(heads, i) + extra;
    let out = block;
    if (to + most > block.length) {
      if (to > 0) yield block.subarray(0, to);
      to = 0;
      if (most > block.length) out = Buffer.allocUnsafeSlow(most);
    }
    to = writeHead(out, to, prefix, heads, i, from, end);
    from = end;
    if (value === 'expired') {
      out[to++] = second >= at[i]! ? ONE : ZERO;
    } else {
      const text = value.spelled?.[i];
      to = text === undefined ? writeNumber(out, to, valueAt(value.clock, at[i]!, second)) : writeAscii(out, to, text);
    }
    out[to++] = NEWLINE;
    if (out !== block) {
      yield out.subarray(0, to);
      to = 0;
    }
  }
  cursor.to = to;
}

interface Measured {
  readonly length: number;
  /** Per ClockLines, per line: the value as String() spells it, where it is not an integer. */
  readonly spelled: ReadonlyArray<ReadonlyArray<string | undefined>>;
}

/** The exact length; the fractional values it had to spell are kept for the writing. */
function measure(header: Buffer, lines: readonly ClockLines[], clock: Clock, second: number, tail: Buffer): Measured {
  let length = header.length + tail.length;
  const spelled = lines.map(({ lines: heads, at }) => {
    length += linesBytes(heads) + at.length;
    const texts = new Array<string | undefined>(at.length);
    for (let i = 0; i < at.length; i++) {
      const value = valueAt(clock, at[i]!, second);
      if (Number.isSafeInteger(value)) {
        length += numberLength(value);
      } else {
        const text = String(value);
        texts[i] = text;
        length += text.length;
      }
    }
    return texts;
  });
  return { length, spelled };
}

/**
 * Line `i`'s head: `prefix`, the line's key id, then its rest between `start` and `end`;
 * returns the offset after it.
 */
function writeHead(out: Buffer, to: number, prefix: Buffer, lines: Lines, i: number, start: number, end: number): number {
  out.set(prefix, to);
  to += prefix.length;
  // A key id and a rest are a few dozen bytes: a loop costs less than a native copy's call.
  const keys = lines.keys;
  if (keys !== undefined) {
    const k = keys.of[i]!;
    const { bytes, ends } = keys.ids;
    for (let j = k === 0 ? 0 : ends[k - 1]!, idEnd = ends[k]!; j < idEnd; j++) out[to++] = bytes[j]!;
  }
  const rests = lines.rests;
  for (let j = start; j < end; j++) out[to++] = rests[j]!;
  return to;
}

/**
 * Keys with expiry at or before `second` are expired; the count of them names that set
 * exactly, so the text of the previous render is reused until a key crosses its expiry.
 * Its lines are the days-to-expiry heads with the other name, and a one-byte value.
 */
function expiredText(p: PreparedSnapshot, second: number, previous: ExpiredText | undefined): ExpiredText {
  const expiredCount = countAtOrBefore(p.sortedExpiries, second);
  if (previous !== undefined && previous.expiredCount === expiredCount) return previous;
  const days = p.daysToExpiry;
  const prefix = Buffer.concat([EXPIRED_NAME, days.lines.prefix.subarray(DAYS_NAME_LENGTH)]);
  const lines = days.lines.ends.length;
  const length = linesBytes(days.lines) + (prefix.length - days.lines.prefix.length + 2) * lines;
  return {
    expiredCount,
    text: {
      length,
      *blocks() {
        const cursor = { block: Buffer.allocUnsafeSlow(Math.min(BLOCK_BYTES, length)), to: 0 };
        yield* clockLines(cursor, prefix, days, second, 'expired');
        if (cursor.to > 0) yield cursor.block.subarray(0, cursor.to);
      },
    },
  };
}

/** How many of the ascending `sorted` are <= x. */
function countAtOrBefore(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
