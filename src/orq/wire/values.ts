/**
 * Scalar fields of upstream JSON: strings bounded for labels, finite numbers, timestamps in
 * every spelling seen. Pure, and never throwing, whatever the input.
 */
import { isObject } from '../../util/json.js';

/** Label values are bounded so one absurd upstream string cannot bloat every scrape. */
export const MAX_LABEL_LENGTH = 1024;

/** A string (or a number, as an id sometimes is) fit for a label; '' for anything else. */
export function text(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number' && Number.isFinite(value)) s = String(value);
  else return '';
  return wellFormed(s.length > MAX_LABEL_LENGTH ? s.slice(0, MAX_LABEL_LENGTH) : s);
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Lone surrogates (JSON allows "\ud800") become U+FFFD here, as UTF-8 would write them anyway:
 * otherwise "\ud800" and "\udfff" are two ids in JavaScript but one series on the wire, and a
 * scrape would carry the same series twice. The cut at MAX_LABEL_LENGTH can split a pair too.
 */
function wellFormed(s: string): string {
  return SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}

/** Finite numbers only: protobuf int64 arrives as a string, and NaN or Infinity is no value. */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;
/** Any epoch number above this is taken as milliseconds (it is the year 5138 in seconds). */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * Unix seconds from an RFC 3339 string, an epoch number (seconds or milliseconds) or a
 * protobuf Timestamp object; null for anything else, including dates JavaScript cannot hold.
 */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'string') {
    const raw = value.trim();
    if (!RFC3339.test(raw)) return null;
    const ms = Date.parse(raw);
    return Number.isFinite(ms) ? ms / 1000 : null;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const seconds = Math.abs(value) >= MILLISECONDS_THRESHOLD ? value / 1000 : value;
    return Number.isFinite(new Date(seconds * 1000).getTime()) ? seconds : null;
  }
  if (isObject(value)) {
    const seconds = parseNumber(value['seconds']);
    if (seconds === null) return null;
    const nanos = parseNumber(value['nanos']) ?? 0;
    return parseTimestamp(seconds + nanos / 1e9);
  }
  return null;
}

/** The first of the spellings a field has had that is present at all. */
export function firstPresent(...values: unknown[]): unknown {
  for (const v of values) if (v !== undefined && v !== null) return v;
  return undefined;
}

/** A field under either of its spellings (camelCase on /v2/budgets, snake_case elsewhere). */
export function field(value: Record<string, unknown>, camel: string, snake: string): unknown {
  return firstPresent(value[camel], value[snake]);
}

export function objectAt(value: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = value[key];
  return isObject(v) ? v : undefined;
}
