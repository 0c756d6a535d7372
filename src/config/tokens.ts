/**
 * What an API token may be. It goes into an `Authorization` header, and every log line is
 * scrubbed of it, so both follow from one rule:
 *
 * - printable ASCII, no spaces: anything else either cannot go in a header (a NUL, a control
 *   character, a letter beyond Latin-1 made undici's pool never settle) or is a copy-and-paste
 *   accident (a zero-width space, a non-breaking space, a Latin-1 letter);
 * - 20 to 4096 characters: every real key is longer than 20 (`sk-orq-` and a 26-character ULID
 *   before the secret; the demo's is 29), and a string that long does not turn up in a log line
 *   by chance, while a one-character token turned "exporter" into "e[REDACTED]porter". 4 KiB
 *   holds the longest legacy JWT and passes every common proxy's header limit (nginx: 8 KiB).
 *
 * Problems are worded without the token: they end up in logs.
 */
import { MAX_FILE_BYTES } from '../util/read-file.js';
import { cannotRead } from '../util/cannot-read.js';
import { isPlausibleToken, TOKEN_LENGTH } from '../util/redact.js';

export { isPlausibleToken, TOKEN_LENGTH } from '../util/redact.js';

/** Why this text cannot be an API token, as a phrase such as `holds a space (U+0020) inside...`; undefined when it can. */
export function tokenProblem(token: string): string | undefined {
  for (const char of token) {
    const code = char.codePointAt(0)!;
    if (code >= 0x21 && code <= 0x7e) continue;
    const what = /\s/u.test(char) ? 'a space' : code < 0x20 || (code >= 0x7f && code <= 0x9f) ? 'a control character' : INVISIBLE.test(char) ? 'an invisible character' : 'a character beyond ASCII';
    return `holds ${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')}); an API key is printable ASCII in one word, as an HTTP header needs`;
  }
  if (!isPlausibleToken(token)) {
    return `is ${token.length} character${token.length === 1 ? '' : 's'} long; an API key is ${TOKEN_LENGTH.min} to ${TOKEN_LENGTH.max}`;
  }
  return undefined;
}

/** Format characters and other zero-width code points, which a copy-and-paste carries along unseen. */
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/u;

export type ReadFile = (path: string, maxBytes: number) => string;

/**
 * A token, or why not. `seen` is the text that was read, accepted or not, for the caller to
 * keep out of every error line.
 */
export type TokenRead =
  | { readonly ok: true; readonly token: string }
  | { readonly ok: false; readonly problem: string; readonly seen?: string };

/** The token a file holds (surrounding whitespace dropped), naming the file but never quoting its content. */
export function readTokenFile(path: string, readFile: ReadFile): TokenRead {
  let content: string;
  try {
    content = readFile(path, MAX_FILE_BYTES.token);
  } catch (error) {
    return { ok: false, problem: cannotReadPath(path, error) };
  }
  const token = content.trim();
  if (token === '') return { ok: false, problem: `${JSON.stringify(path)} is empty` };
  const checked = checkToken(token);
  return checked.ok ? checked : { ok: false, problem: `${JSON.stringify(path)} ${checked.problem}`, seen: token };
}

/**
 * cannotRead, but a "path" that is an API key (set where the file's path belongs, a likely
 * slip) is described rather than quoted.
 */
export function cannotReadPath(path: string, error: unknown): string {
  if (path.includes('/') || tokenProblem(path) !== undefined) return cannotRead(path, error);
  const why = /\(([^()]*)\)$/.exec(cannotRead('', error))?.[1] ?? 'unreadable';
  return `cannot read a file whose name looks like an API key (${why}); this setting takes the path of a file holding the key`;
}

/** A token given as a value (ORQ_API_KEY, or the variable a workspace's api_key_env names). */
export function checkToken(value: string): TokenRead {
  const token = value.trim();
  if (/\s/.test(token)) return { ok: false, problem: 'holds more than one word', seen: token };
  const problem = tokenProblem(token);
  return problem === undefined ? { ok: true, token } : { ok: false, problem, seen: token };
}
