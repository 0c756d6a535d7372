/**
 * HTTP basic auth against the web config's bcrypt hashes, as Hono middleware in front of every
 * route (as the exporter-toolkit wraps its whole mux).
 *
 * A verified (user, password) is remembered, by a hash rather than in clear, so a scraper that
 * sends the same credentials every few seconds pays bcrypt once and is then answered without
 * waiting for anything: however many wrong passwords queue up, they cannot delay it. Only
 * right answers are remembered, so a flood of wrong ones cannot push a scraper's entry out.
 * Everything else pays a full bcrypt comparison on the worker thread: a wrong password
 * against the user's hash, an unknown user against a decoy of the same cost. When the queue
 * of comparisons is full, the answer is 429 with Retry-After, held back a second first: a
 * guesser that retries at once then gets one answer a second per connection, instead of
 * keeping the event loop busy with refusals the scrapers would queue behind.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import { BcryptWorker, type PasswordComparer } from './bcrypt-worker.js';
import { decoyPicker, type DecoyPicker } from './decoy.js';

export type AuthVerdict =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'busy'; readonly retryAfterSeconds: number };

export interface BasicAuth {
  /** Checks an Authorization header; `gone` says whether the client has left, asked only if it waits its turn. */
  check(authorization: string | null | undefined, gone?: () => boolean): Promise<AuthVerdict>;
  /** Stops the worker thread; checks after this fail. */
  close(): Promise<void>;
}

export interface BasicAuthOptions {
  /** Verified (user, password) pairs remembered. */
  readonly cacheSize?: number;
  /** Does the bcrypt comparisons; a worker thread by default. */
  readonly comparer?: PasswordComparer;
  readonly decoys?: DecoyPicker;
  /** How long a 429 is held back; 0 answers at once. */
  readonly refusalDelayMs?: number;
  /** Refusals held back at once; more are answered at once, so holding them costs bounded memory. */
  readonly maxHeldRefusals?: number;
  /** Waits; tests record what is asked instead. */
  readonly wait?: (ms: number) => Promise<unknown>;
}

export const DEFAULT_VERIFIED_CACHE_SIZE = 256;
export const DEFAULT_REFUSAL_DELAY_MS = 1_000;
export const DEFAULT_MAX_HELD_REFUSALS = 1_024;

export function createBasicAuth(users: ReadonlyMap<string, string>, options: BasicAuthOptions = {}): BasicAuth {
  const verified = new LRUCache<string, true>({ max: options.cacheSize ?? DEFAULT_VERIFIED_CACHE_SIZE });
  const comparer = options.comparer ?? new BcryptWorker();
  const decoyFor = options.decoys ?? decoyPicker(users);
  const refusalDelayMs = options.refusalDelayMs ?? DEFAULT_REFUSAL_DELAY_MS;
  const maxHeld = options.maxHeldRefusals ?? DEFAULT_MAX_HELD_REFUSALS;
  const wait = options.wait ?? sleep;
  let held = 0;
  const holdBack = async (): Promise<void> => {
    if (refusalDelayMs <= 0 || held >= maxHeld) return;
    held++;
    try {
      await wait(refusalDelayMs);
    } finally {
      held--;
    }
  };
  return {
    async check(authorization, gone) {
      const credentials = parseBasic(authorization);
      if (credentials === undefined) return { kind: 'denied' };
      const hash = users.get(credentials.user);
      const key = createHash('sha256').update(`${credentials.user}\u0000${hash ?? ''}\u0000${credentials.password}`).digest('base64');
      if (hash !== undefined && verified.has(key)) return { kind: 'allowed' };
      // The decoy is picked only if the comparison runs: a refused request must cost the same
      // whether the user exists or not, so the 429s tell nothing either.
      const outcome = await comparer.compare(credentials.password, hash ?? (() => decoyFor(credentials.user)), gone);
      if (outcome.kind === 'busy') {
        await holdBack();
        return outcome;
      }
      if (outcome.kind !== 'match' || hash === undefined) return { kind: 'denied' };
      verified.set(key, true);
      return { kind: 'allowed' };
    },
    close: () => comparer.close(),
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

/** 401 without the right credentials, 429 while too many comparisons wait; the route otherwise. */
export function basicAuthMiddleware(auth: BasicAuth): MiddlewareHandler {
  return async (c, next) => {
    // The request's signal is only looked at when a comparison's turn comes: most refused
    // requests never make one, and a flood of them should cost as little as possible.
    const verdict = await auth.check(c.req.header('authorization'), () => c.req.raw.signal.aborted);
    if (verdict.kind === 'allowed') return next();
    if (verdict.kind === 'busy') {
      return c.text('too many authentication attempts; retry later\n', 429, { 'retry-after': String(verdict.retryAfterSeconds) });
    }
    return c.text('Unauthorized\n', 401, { 'www-authenticate': 'Basic' });
  };
}
