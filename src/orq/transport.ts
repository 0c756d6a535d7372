/**
 * GET requests to the orq API over one keep-alive connection: retries with backoff on 429,
 * 5xx, timeouts and network errors (never on 401/403), the rate-limit window, bounded bodies,
 * and typed failures whose messages never hold the token.
 */
import type { LookupFunction } from 'node:net';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { Client, type Dispatcher } from 'undici';
import { RefreshError, reasonForStatus, upstreamMessage } from './errors.js';
import { RateLimitWindow, MAX_RATE_LIMIT_WAIT_MS, retryAfterMs, type Headers } from './rate-limit.js';
import { asSupplier, type TokenSupplier } from './token.js';
import { classify, readPage, readText, type BodyLimits } from './response.js';
import type { PageBody } from './wire/list-scan.js';

/** What the client reads; also the `endpoint` label of the request counter. */
export const ENDPOINTS = ['api_keys', 'budgets', 'projects'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** What a token may hold to travel in an Authorization header: visible ASCII. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

export interface TransportOptions {
  readonly baseUrl: string;
  /** A fixed token, or one read anew as its file is rotated. */
  readonly token: string | TokenSupplier;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly backoffBaseMs?: number | undefined;
  readonly backoffMaxMs?: number | undefined;
  readonly userAgent: string;
  /** Hides the token in anything that leaves the client (error messages). */
  readonly redact: (text: string) => string;
  /** Told of every response's status code, or `error` / `timeout` when none came. */
  readonly onRequest?: ((endpoint: Endpoint, code: string) => void) | undefined;
  /** Each request, retry and wait, for LOG_LEVEL=debug. */
  readonly debug?: ((msg: string, fields: Record<string, unknown>) => void) | undefined;
  readonly sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
  readonly random?: (() => number) | undefined;
  /** Wall clock in ms, for X-RateLimit-Reset and Retry-After dates. */
  readonly now?: (() => number) | undefined;
  /** For tests that need a dispatcher of their own. */
  readonly dispatcher?: Dispatcher | undefined;
  /** Socket options of the transport's own connection: a CA to trust and a resolver, for tests of TLS and DNS faults. */
  readonly connect?: { readonly ca?: string | Buffer; readonly lookup?: LookupFunction } | undefined;
}

/** Why each status is worth a sentence of its own, per endpoint. */
const FORBIDDEN: Readonly<Record<Endpoint, string>> = {
  api_keys: 'upstream forbids listing keys with this token (403; a workspace management key is needed)',
  budgets: 'upstream forbids listing budgets with this token (403; it needs the Budgets permission)',
  projects: 'upstream forbids listing projects with this token (403)',
};

export class Transport {
  readonly #options: TransportOptions;
  readonly #dispatcher: Dispatcher;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #window = new RateLimitWindow();
  readonly #token: TokenSupplier;
  #requests = 0;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#token = asSupplier(options.token);
    const url = new URL(options.baseUrl);
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#dispatcher =
      options.dispatcher ??
      // One connection, so a Client rather than a Pool of one: a Pool hands a request to its
      // connection a turn of the event loop later, and the walk relies on the next page's
      // request leaving while this page is parsed.
      new Client(this.#origin, {
        pipelining: 1,
        keepAliveTimeout: 60_000,
        connect: { ...options.connect, timeout: options.requestTimeoutMs },
      });
    this.#sleep = options.sleep ?? ((ms, signal) => sleepFor(Math.max(0, ms), undefined, { signal }));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** Requests sent so far, retries included. */
  get requests(): number {
    return this.#requests;
  }

  async close(): Promise<void> {
    if (!this.#options.dispatcher) await this.#dispatcher.destroy();
  }

  /**
   * The body of `GET <base><path>?<query>` after retries, read and scanned, its parse left to
   * the caller; throws RefreshError. No message it throws, nor its parse, holds the token, even
   * when the upstream echoed it back.
   */
  async getPage(endpoint: Endpoint, pathAndQuery: string, signal: AbortSignal, limits: BodyLimits): Promise<PageBody> {
    try {
      const page = await this.#getPage(endpoint, pathAndQuery, signal, limits);
      return { peek: page.peek, parse: () => this.#redacted(() => page.parse(), signal) };
    } catch (error) {
      throw this.#failure(error, signal);
    }
  }

  #redacted<T>(read: () => T, signal: AbortSignal): T {
    try {
      return read();
    } catch (error) {
      throw this.#failure(error, signal);
    }
  }

  #failure(error: unknown, signal: AbortSignal): RefreshError {
    const failure = classify(error, signal);
    return new RefreshError(failure.reason, this.#options.redact(failure.message), failure.status);
  }

  async #getPage(endpoint: Endpoint, pathAndQuery: string, signal: AbortSignal, limits: BodyLimits): Promise<PageBody> {
    const path = `${this.#basePath}${pathAndQuery}`;
    /** A 401 is retried once, at once, when the token changed since the request was sent. */
    let retriedWithNewToken = false;
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < this.#options.maxRetries;
      // Awaited only when there is a wait: an await always yields, and the caller asks for the
      // next page just before parsing this one, so a yield here would send the request only
      // after that parsing instead of during it.
      const windowWait = this.#window.wait();
      if (windowWait !== undefined) await this.#waitForWindow(windowWait, signal);
      const token = this.#token.current();
      // undici never settles a request whose header it cannot write: refuse before dispatching.
      if (!HEADER_SAFE.test(token)) {
        throw new RefreshError('auth', 'the API token holds characters an HTTP header cannot carry (only visible ASCII)');
      }
      const started = performance.now();
      let response: Dispatcher.ResponseData;
      try {
        response = await this.#request(path, token, signal);
      } catch (error) {
        const failure = classify(error, signal);
        this.#options.onRequest?.(endpoint, failure.reason === 'timeout' ? 'timeout' : 'error');
        this.#debugRequest(endpoint, attempt, started, failure.reason);
        if (!retriesLeft || signal.aborted) throw failure;
        await this.#backoff(endpoint, attempt, undefined, signal, failure);
        continue;
      }
      const status = response.statusCode;
      this.#options.onRequest?.(endpoint, String(status));
      this.#window.noteHeaders(response.headers, this.#now());

      if (status >= 200 && status < 300) {
        try {
          const page = await readPage(response, limits);
          this.#debugRequest(endpoint, attempt, started, status);
          return page;
        } catch (error) {
          const failure = classify(error, signal);
          this.#debugRequest(endpoint, attempt, started, `${status} ${failure.reason}`);
          // A body cut short is worth another try; one refused for its size will be the same again.
          if (failure.reason === 'invalid_response' || !retriesLeft || signal.aborted) throw failure;
          await this.#backoff(endpoint, attempt, undefined, signal, failure);
          continue;
        }
      }

      this.#debugRequest(endpoint, attempt, started, status);
      // Redacted before upstreamMessage shortens it: a token cut in half would escape redaction.
      const body = this.#options.redact(await readText(response, MAX_ERROR_BODY_BYTES).catch(() => ''));
      const failure = new RefreshError(reasonForStatus(status), describeStatus(endpoint, status, upstreamMessage(body)), status);
      // A rotated token file: the 401 answered the old token. Looking at the file on a 401 (not
      // only once per refresh) makes a rotation that raced the refresh cost no failed refresh.
      if (status === 401 && !retriedWithNewToken && (this.#token.recheck() || this.#token.current() !== token)) {
        retriedWithNewToken = true;
        this.#options.debug?.('upstream refused the token and the token file has changed; retrying with the new token', { endpoint });
        continue;
      }
      const retryable = status === 429 || status >= 500;
      let serverWait: number | undefined;
      if (retryable) {
        // A 429 without Retry-After may still say when its window resets (noted above).
        serverWait = retryAfterMs(response.headers, this.#now()) ?? (status === 429 ? this.#window.wait() : undefined);
        if (serverWait !== undefined) {
          serverWait = Math.min(serverWait, MAX_RATE_LIMIT_WAIT_MS);
          this.#window.holdFor(serverWait);
        }
      }
      if (!retryable || !retriesLeft) throw failure;
      await this.#backoff(endpoint, attempt, serverWait, signal, failure);
    }
  }

  #request(path: string, token: string, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    this.#requests++;
    return this.#dispatcher.request({
      origin: this.#origin,
      path,
      method: 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'user-agent': this.#options.userAgent,
      },
      signal,
      headersTimeout: this.#options.requestTimeoutMs,
      bodyTimeout: this.#options.requestTimeoutMs,
    });
  }

  #debugRequest(endpoint: Endpoint, attempt: number, startedMs: number, result: number | string): void {
    this.#options.debug?.('upstream request', {
      endpoint,
      attempt: attempt + 1,
      result,
      duration_ms: Math.round(performance.now() - startedMs),
    });
  }

  /** Exponential backoff with full jitter, or the server's Retry-After when it gave one. */
  async #backoff(endpoint: Endpoint, attempt: number, retryAfter: number | undefined, signal: AbortSignal, failure: RefreshError): Promise<void> {
    const base = this.#options.backoffBaseMs ?? 500;
    const max = this.#options.backoffMaxMs ?? 30_000;
    const delay = retryAfter ?? Math.min(max, base * 2 ** attempt) * (0.5 + this.#random() / 2);
    this.#options.debug?.('retrying upstream request', {
      endpoint,
      attempt: attempt + 1,
      reason: failure.reason,
      wait_ms: Math.round(delay),
      retry_after: retryAfter !== undefined,
    });
    try {
      await this.#sleep(delay, signal);
    } catch {
      // The refresh deadline ran out while waiting: the failure that made us wait is the news.
      throw failure;
    }
  }

  async #waitForWindow(wait: number, signal: AbortSignal): Promise<void> {
    this.#options.debug?.('waiting for the upstream rate-limit window', { wait_ms: Math.round(wait) });
    try {
      await this.#sleep(wait, signal);
    } catch {
      throw new RefreshError('rate_limited', 'refresh deadline reached while waiting for the rate-limit window to reset');
    }
  }
}

function describeStatus(endpoint: Endpoint, status: number, message: string): string {
  const detail = message === '' ? '' : `: ${message}`;
  if (status === 401) return `upstream refused the token (401)${detail}`;
  if (status === 403) return `${FORBIDDEN[endpoint]}${detail}`;
  if (status === 429) return `upstream rate limit (429)${detail}`;
  if (status >= 300 && status < 400) return `unexpected redirect (${status}); redirects are not followed so the token stays with the configured host`;
  return `upstream answered ${status}${detail}`;
}

export { classify, type BodyLimits };
export type { Headers };
