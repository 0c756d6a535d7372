/**
 * HTTP basic auth against the web config's bcrypt hashes, as Hono middleware in front of every
 * route (as the exporter-toolkit wraps its whole mux).
 *
 * A verified (user, password) is remembered, by a hash rather than in clear, so a scraper that
 * sends the same credentials every few seconds pays bcrypt once. Wrong passwords always pay
 * it, unknown users pay it against a decoy hash, one comparison at a time.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';

export type AuthVerdict = { readonly kind: 'allowed' } | { readonly kind: 'denied' };

export interface BasicAuth {
  /** Checks an Authorization header. */
  check(authorization: string | null | undefined): Promise<AuthVerdict>;
  close(): Promise<void>;
}

export interface BasicAuthOptions {
  /** Verified (user, password) pairs remembered. */
  readonly cacheSize?: number;
}

export const DEFAULT_VERIFIED_CACHE_SIZE = 256;

/** A decoy for unknown users, so a wrong user name costs the same bcrypt time as a wrong password. */
const DECOY_HASH = '$2b$10$8YsFMjNHyK3EX4Z9/PsXD.dwEG.tFw7F90PTE3Z5s3YymozGkwemi';

export function createBasicAuth(users: ReadonlyMap<string, string>, options: BasicAuthOptions = {}): BasicAuth {
  const verified = new LRUCache<string, true>({ max: options.cacheSize ?? DEFAULT_VERIFIED_CACHE_SIZE });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    async check(authorization) {
      const credentials = parseBasic(authorization);
      if (credentials === undefined) return { kind: 'denied' };
      const hash = users.get(credentials.user);
      const key = createHash('sha256').update(`${credentials.user}\u0000${hash ?? ''}\u0000${credentials.password}`).digest('base64');
      if (hash !== undefined && verified.has(key)) return { kind: 'allowed' };
      const compare = queue.then(() => bcrypt.compare(credentials.password, hash ?? DECOY_HASH));
      queue = compare.catch(() => false);
      const ok = (await compare.catch(() => false)) && hash !== undefined;
      if (!ok) return { kind: 'denied' };
      verified.set(key, true);
      return { kind: 'allowed' };
    },
    close: async () => undefined,
  };
}

/** The user and password of a `Basic` Authorization header; undefined for anything else. */
export function parseBasic(header: string | null | undefined): { user: string; password: string } | undefined {
  if (header === null || header === undefined) return undefined;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** 401 without the right credentials; the route otherwise. */
export function basicAuthMiddleware(auth: BasicAuth): MiddlewareHandler {
  return async (c, next) => {
    const verdict = await auth.check(c.req.header('authorization'));
    if (verdict.kind === 'allowed') return next();
    return c.text('Unauthorized\n', 401, { 'www-authenticate': 'Basic' });
  };
}
