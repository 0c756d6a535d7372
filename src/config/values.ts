/**
 * The kinds of value a setting takes (durations, whole numbers, booleans) and the rule for
 * every problem they can have: a phrase saying what is wanted, and what was given, which the
 * loader quotes only after scrubbing it of secrets.
 */
import { formatDuration, parseDuration } from '../util/duration.js';
import { parseBoolean } from '../util/flags.js';

/** Reports a problem with a setting; `got` is the text the user gave, quoted after redaction. */
export type Fail = (problem: string, got?: string) => undefined;

/**
 * Node's timers hold at most 2^31-1 ms (24.8 days); a longer one fires after 1 ms, so a
 * refresh every 30 days became 3,525 refreshes in 10 s. Every duration setting stays below.
 */
export const MAX_DURATION_MS = 24 * 24 * 3_600_000;
/** MAX_DURATION_MS as a user writes it (formatDuration would say 3w3d). */
export const MAX_DURATION_TEXT = '24d';

export const DURATION_EXAMPLE = 'a duration such as 30s, 2m or 1h';

export function duration(text: string, minMs: number, fail: Fail): number | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return fail(`must be ${DURATION_EXAMPLE}`, text);
  if (ms < minMs) return fail(`must be at least ${formatDuration(minMs)}`, text);
  if (ms > MAX_DURATION_MS) return fail(`must be at most ${MAX_DURATION_TEXT}, the longest a timer holds`, text);
  return ms;
}

export function wholeNumber(text: string, min: number, max: number, fail: Fail): number | undefined {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) return fail(`must be a whole number from ${min} to ${max}`, text);
  return n;
}

export function boolean(text: string, fail: Fail): boolean | undefined {
  const value = parseBoolean(text);
  return value ?? fail('must be true or false (or 1 or 0)', text);
}

/** How much of a given value an error repeats: enough to recognise it, never a whole file's worth. */
export const MAX_QUOTED = 120;

/** A value quoted for an error line: one line, cut to MAX_QUOTED characters. */
export function quote(text: string): string {
  const cut = [...text];
  return JSON.stringify(cut.length > MAX_QUOTED ? `${cut.slice(0, MAX_QUOTED).join('')}…` : text);
}
