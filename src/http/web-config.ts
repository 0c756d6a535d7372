/**
 * Serving the web config's basic auth and security headers (its schema is
 * src/config/web-config.ts; TLS is served by server.ts): a wrapper around the app's fetch.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { LRUCache } from 'lru-cache';
import type { WebConfig } from '../config/web-config.js';

/** A decoy for unknown users, so a wrong user name costs the same bcrypt time as a wrong password. */
const DECOY_HASH = '$2b$10$8YsFMjNHyK3EX4Z9/PsXD.dwEG.tFw7F90PTE3Z5s3YymozGkwemi';

/**
 * Checks an Authorization header against the users. A verified (user, password) pair is
 * remembered, by a hash rather than in clear, so scrapes every few seconds do not each pay
 * the bcrypt cost; wrong ones always pay it, and one comparison runs at a time, so guessing
 * cannot be sped up and cannot starve the scrapes of the event loop.
 */
export function basicAuthChecker(users: ReadonlyMap<string, string>, cacheSize = 256): (authorization: string | null) => Promise<boolean> {
  const verified = new LRUCache<string, true>({ max: cacheSize });
  let queue: Promise<unknown> = Promise.resolve();
  return async (authorization) => {
    const credentials = parseBasic(authorization);
    if (credentials === undefined) return false;
    const hash = users.get(credentials.user);
    const key = createHash('sha256').update(`${credentials.user}\u0000${hash ?? ''}\u0000${credentials.password}`).digest('base64');
    if (hash !== undefined && verified.has(key)) return true;
    const compare = queue.then(() => bcrypt.compare(credentials.password, hash ?? DECOY_HASH));
    queue = compare.catch(() => false);
    const ok = (await compare.catch(() => false)) && hash !== undefined;
    if (ok) verified.set(key, true);
    return ok;
  };
}

function parseBasic(header: string | null): { user: string; password: string } | undefined {
  if (header === null) return undefined;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** The app's fetch behind basic auth (when users are configured) and with the configured headers on every answer. */
export function protect(fetch: FetchHandler, config: WebConfig): FetchHandler {
  const check = config.users.size > 0 ? basicAuthChecker(config.users) : undefined;
  const headers = Object.entries(config.headers);
  return async (request) => {
    let response: Response;
    if (check !== undefined && !(await check(request.headers.get('authorization')))) {
      response = new Response('Unauthorized\n', {
        status: 401,
        headers: { 'www-authenticate': 'Basic', 'content-type': 'text/plain; charset=utf-8' },
      });
    } else {
      response = await fetch(request);
    }
    if (headers.length === 0) return response;
    try {
      for (const [name, value] of headers) response.headers.set(name, value);
      return response;
    } catch {
      // Some responses have immutable headers; a copy carries the same body.
      const copy = new Headers(response.headers);
      for (const [name, value] of headers) copy.set(name, value);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers: copy });
    }
  };
}
