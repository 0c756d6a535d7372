/**
 * The families whose values move with the clock, rendered at scrape time from prepared
 * snapshots: days to expiry, expired, seconds since last use, and the age of each snapshot.
 * Each line is its prepared head (name and labels) copied as bytes, then the value written in
 * place; nothing goes through a JS string but the fractional numbers.
 */
import { MAX_NUMBER_LENGTH, writeNumber } from './bytes.js';
import { families } from './families.js';
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

/** The expired lines of one snapshot at some time, and how many keys had expired then. */
export interface ExpiredText {
  readonly expiredCount: number;
  readonly text: Buffer;
}

export interface ClockRender {
  /** `orq_api_key_days_to_expiry`, header and lines. */
  readonly days: Buffer;
  /** `orq_api_key_expired` lines of each snapshot (after EXPIRED_HEADER), reused while unchanged. */
  readonly expired: readonly ExpiredText[];
  /** `orq_api_key_seconds_since_last_use` and `orq_exporter_snapshot_age_seconds`. */
  readonly rest: Buffer;
}

/**
 * Renders the clock families at `second` (whole Unix seconds). `previous` is each snapshot's
 * last expired text, index for index; it is reused when no key crossed its expiry since.
 */
export function renderClockFamilies(
  prepared: readonly PreparedSnapshot[],
  second: number,
  previous: ReadonlyArray<ExpiredText | undefined> = [],
): ClockRender {
  let daysSize = DAYS_HEADER.length;
  let restSize = SINCE_HEADER.length + AGE_HEADER.length;
  for (const p of prepared) {
    daysSize += upperBound(p.daysToExpiry);
    restSize += upperBound(p.sinceLastUse) + p.ageHead.length + MAX_NUMBER_LENGTH + 1;
  }

  const days = Buffer.allocUnsafe(daysSize);
  let to = DAYS_HEADER.copy(days, 0);
  for (const p of prepared) to = writeDaysToExpiry(days, to, p.daysToExpiry, second);
  const daysEnd = to;

  const rest = Buffer.allocUnsafe(restSize);
  to = SINCE_HEADER.copy(rest, 0);
  for (const p of prepared) to = writeSinceLastUse(rest, to, p.sinceLastUse, second);
  to += AGE_HEADER.copy(rest, to);
  for (const p of prepared) {
    to += p.ageHead.copy(rest, to);
    to = writeNumber(rest, to, Math.max(0, second - p.snapshot.fetchedAt));
    rest[to++] = NEWLINE;
  }

  return {
    days: days.subarray(0, daysEnd),
    expired: prepared.map((p, i) => expiredText(p, second, previous[i])),
    rest: rest.subarray(0, to),
  };
}

function upperBound(lines: ClockLines): number {
  return lines.heads.length + lines.ends.length * (MAX_NUMBER_LENGTH + 1);
}

// Two loops that differ in one expression, rather than one taking a function: the value is
// computed inline, at the cost of a few repeated lines.

function writeDaysToExpiry(out: Buffer, to: number, lines: ClockLines, second: number): number {
  const { heads, ends, at } = lines;
  let from = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    to += heads.copy(out, to, from, end);
    from = end;
    to = writeNumber(out, to, (at[i]! - second) / SECONDS_PER_DAY);
    out[to++] = NEWLINE;
  }
  return to;
}

function writeSinceLastUse(out: Buffer, to: number, lines: ClockLines, second: number): number {
  const { heads, ends, at } = lines;
  let from = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    to += heads.copy(out, to, from, end);
    from = end;
    // A last use "in the future" is clock skew between us and upstream, not negative idleness.
    to = writeNumber(out, to, Math.max(0, second - at[i]!));
    out[to++] = NEWLINE;
  }
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
  const { heads, ends, at } = p.daysToExpiry;
  const lines = ends.length;
  // Exact size: this text is kept, and reused, for as long as no key crosses its expiry.
  const text = Buffer.allocUnsafe(heads.length + lines * (EXPIRED_NAME.length - DAYS_NAME_LENGTH + 2));
  let to = 0;
  let from = 0;
  for (let i = 0; i < lines; i++) {
    const end = ends[i]!;
    to += EXPIRED_NAME.copy(text, to);
    to += heads.copy(text, to, from + DAYS_NAME_LENGTH, end);
    from = end;
    text[to++] = second >= at[i]! ? ONE : ZERO;
    text[to++] = NEWLINE;
  }
  return { expiredCount, text };
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
