/**
 * The base URL of an orq.ai API (ORQ_BASE_URL, a workspace's base_url). A URL may carry a
 * secret in its user info (`https://user:TOKEN@host`) or its query (`?api_key=...`), and the
 * text may not even parse (`http://user:TOKEN@host:99999/`): an error repeats the URL only
 * with both taken out, whatever its scheme and whether it parses or not.
 */
import type { Fail } from './values.js';

const WANTED = 'must be an http:// or https:// URL';

/** The origin and path, without a trailing slash; or a problem, and undefined. */
export function parseBaseUrl(text: string, fail: Fail): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) return fail(WANTED, withoutSecrets(text));
  // Credentials in the URL would end up in logs; the token has settings of its own.
  if (url.username !== '' || url.password !== '') return fail('must not contain a user name or password; the API key has its own setting');
  // A query or fragment would break the paths appended to it, and may hold a key too.
  if (/[?#]/.test(text)) return fail('must not have a query or fragment', withoutSecrets(text));
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The text with any user info and query or fragment replaced by `…`, worked out on the text
 * itself so it holds for URLs that do not parse: everything after the first `?` or `#` goes,
 * and so does everything before the last `@` (after a `scheme://`), path included if need be.
 */
export function withoutSecrets(text: string): string {
  const cut = text.search(/[?#]/);
  let out = cut === -1 ? text : `${text.slice(0, cut + 1)}…`;
  const at = out.lastIndexOf('@');
  if (at !== -1) {
    // Only a short `scheme://` is kept: in `sk-orq-...:x@host` the "scheme" is the token.
    const scheme = /^[a-z][a-z0-9+.-]{0,15}:\/\//i.exec(out)?.[0] ?? '';
    out = at >= scheme.length ? `${scheme}…${out.slice(at)}` : `…${out.slice(at)}`;
  }
  return out;
}
