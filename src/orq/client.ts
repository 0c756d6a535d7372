/**
 * Lists every API key of a workspace from `GET /v2/api-keys`: one keep-alive connection,
 * cursor pagination, retries with backoff, rate-limit pacing and typed failures. It turns
 * pages into ApiKey records through records.ts and never publishes a partial list: either
 * every page arrived, or it throws a RefreshError.
 */
import type { LookupFunction } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { redactor } from '../log.js';
import type { ApiKey } from './api-key.js';
import { RefreshError, reasonForStatus, upstreamMessage } from './errors.js';
import { parsePage, parseRecord } from './records.js';
import { SKIP_REASONS, type SkipReason } from '../exposition/families.js';
import { abortableSleep } from '../util/sleep.js';

export const PAGE_SIZE = 200;
/** A bound on pages so a server that never says `has_more: false` cannot loop us forever. */
export const DEFAULT_MAX_PAGES = 5_000;
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** The longest the client waits for a rate-limit window, however far off the server says it ends. */
const MAX_RATE_LIMIT_WAIT_MS = 5 * 60_000;
/**
 * Added to a wait for X-RateLimit-Reset: the reset is given in whole seconds and timers may
 * fire a hair early, and a request that lands just before the window turns earns the 429 the
 * wait was meant to avoid.
 */
const RESET_MARGIN_MS = 100;

export interface ClientOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly projectId?: string | undefined;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly maxPages?: number;
  readonly userAgent: string;
  /** Told of every response's status code, or `error` / `timeout` when none came. */
  readonly onRequest?: (code: string) => void;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Wall clock in ms, for X-RateLimit-Reset. */
  readonly now?: () => number;
  /** For tests that need a dispatcher of their own (TLS options, say). */
  readonly dispatcher?: Dispatcher;
  /**
   * Socket options of the client's own pool: a CA to trust and a resolver, so tests can rotate
   * an upstream's certificate or make its name stop resolving without leaving loopback.
   */
  readonly connect?: { readonly ca?: string | Buffer; readonly lookup?: LookupFunction };
}

export interface KeyList {
  readonly keys: readonly ApiKey[];
  readonly skipped: Readonly<Record<SkipReason, number>>;
  readonly pages: number;
  readonly requests: number;
}

interface Page {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export class OrqClient {
  readonly #options: ClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #redact: (text: string) => string;
  #requests = 0;
  /**
   * performance.now() before which no request goes out: set from Retry-After, or from
   * X-RateLimit-Reset once X-RateLimit-Remaining reaches 0. Kept across refreshes, because
   * the window the last page of one refresh spent is the window the next refresh starts in.
   * Monotonic, so a test's frozen wall clock cannot make it wait for ever.
   */
  #notBefore = 0;

  constructor(options: ClientOptions) {
    this.#options = options;
    const url = new URL(options.baseUrl);
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#dispatcher =
      options.dispatcher ??
      new Pool(this.#origin, {
        connections: 1,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        connect: { ...options.connect, timeout: options.requestTimeoutMs },
      });
    this.#sleep = options.sleep ?? abortableSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#redact = redactor([options.token]);
  }

  async close(): Promise<void> {
    if (!this.#options.dispatcher) await this.#dispatcher.destroy();
  }

  /**
   * Every key, all pages; throws RefreshError when any page fails. No message it throws holds
   * the token, even when the upstream echoed it back.
   */
  async listApiKeys(signal: AbortSignal): Promise<KeyList> {
    try {
      return await this.#listApiKeys(signal);
    } catch (error) {
      const failure = error instanceof RefreshError ? error : classifyTransportError(error, signal);
      throw new RefreshError(failure.reason, this.#redact(failure.message), failure.status);
    }
  }

  async #listApiKeys(signal: AbortSignal): Promise<KeyList> {
    const startRequests = this.#requests;
    const maxPages = this.#options.maxPages ?? DEFAULT_MAX_PAGES;
    const byId = new Map<string, ApiKey>();
    const skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
    const cursors = new Set<string>();
    let pages = 0;
    let pending: Promise<Page> | undefined = this.#fetchPage(undefined, signal);

    while (pending !== undefined) {
      const page = await pending;
      pending = undefined;
      pages++;
      const parsed = parsePage(page.body);
      if (!parsed.ok) throw new RefreshError('invalid_response', `page ${pages}: ${parsed.problem}`);

      if (parsed.paginated && parsed.hasMore) {
        const next = lastId(parsed.items);
        if (next === undefined) {
          throw new RefreshError(
            'pagination',
            parsed.items.length === 0
              ? `page ${pages} is empty but says has_more: true`
              : `page ${pages} says has_more: true but has no item id to continue after`,
          );
        }
        if (cursors.has(next)) {
          throw new RefreshError('pagination', `page ${pages} repeats the cursor ${JSON.stringify(next)}: upstream pagination loops`);
        }
        if (pages >= maxPages) {
          throw new RefreshError('pagination', `more than ${maxPages} pages: giving up rather than looping`);
        }
        cursors.add(next);
        // Ask for the next page before reading this one's records, so their parsing overlaps
        // the next page's latency: cursor pagination allows no more overlap than that.
        pending = this.#fetchPage(next, signal);
      }

      for (const item of parsed.items) {
        const record = parseRecord(item);
        if (!record.ok) {
          skipped[record.reason]++;
        } else if (byId.has(record.key.id)) {
          skipped.duplicate_id++;
        } else {
          byId.set(record.key.id, this.#scrub(record.key));
        }
      }
    }
    return { keys: [...byId.values()], skipped, pages, requests: this.#requests - startRequests };
  }

  /**
   * An upstream that echoes the token into key data must not get it published on /metrics.
   * Checked on decoded fields rather than the raw body: a \u-escaped token is caught too, and a
   * short token can never corrupt the JSON it happens to spell.
   */
  #scrub(key: ApiKey): ApiKey {
    const token = this.#options.token;
    const { id, name, ownerId, projectId, tokenPrefix } = key;
    if (![id, name, ownerId, projectId, tokenPrefix].some((v) => v.includes(token))) return key;
    return {
      ...key,
      id: this.#redact(id),
      name: this.#redact(name),
      ownerId: this.#redact(ownerId),
      projectId: this.#redact(projectId),
      tokenPrefix: this.#redact(tokenPrefix),
    };
  }

  async #fetchPage(cursor: string | undefined, signal: AbortSignal): Promise<Page> {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor !== undefined) query.set('starting_after', cursor);
    if (this.#options.projectId) query.set('project_id', this.#options.projectId);
    const path = `${this.#basePath}/v2/api-keys?${query.toString()}`;

    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < this.#options.maxRetries;
      await this.#waitForRateLimitWindow(signal);
      let response: Dispatcher.ResponseData;
      try {
        response = await this.#request(path, signal);
      } catch (error) {
        const failure = classifyTransportError(error, signal);
        this.#options.onRequest?.(failure.reason === 'timeout' ? 'timeout' : 'error');
        if (!retriesLeft || signal.aborted) throw failure;
        await this.#backoff(attempt, undefined, signal, failure);
        continue;
      }
      const status = response.statusCode;
      this.#options.onRequest?.(String(status));
      this.#noteRateLimit(response.headers);

      if (status >= 200 && status < 300) {
        try {
          const text = await readBody(response, MAX_BODY_BYTES);
          return { body: parseJson(text), headers: response.headers };
        } catch (error) {
          const failure = error instanceof RefreshError ? error : classifyTransportError(error, signal);
          // A body cut short is worth another try; a body that is not JSON will be the same again.
          if (failure.reason === 'invalid_response' || !retriesLeft || signal.aborted) throw failure;
          await this.#backoff(attempt, undefined, signal, failure);
          continue;
        }
      }

      // Redacted before upstreamMessage shortens it: a token cut in half would escape redaction.
      const body = this.#redact(await readBody(response, MAX_ERROR_BODY_BYTES).catch(() => ''));
      const failure = new RefreshError(reasonForStatus(status), describeStatus(status, upstreamMessage(body)), status);
      const retryable = status === 429 || status >= 500;
      let serverWait: number | undefined;
      if (retryable) {
        // A 429 without Retry-After may still say when its window resets (noted above).
        serverWait = retryAfterMs(response.headers, this.#now()) ?? (status === 429 ? this.#windowWait() : undefined);
        if (serverWait !== undefined) {
          serverWait = Math.min(serverWait, MAX_RATE_LIMIT_WAIT_MS);
          this.#holdRequestsFor(serverWait);
        }
      }
      if (!retryable || !retriesLeft) throw failure;
      await this.#backoff(attempt, serverWait, signal, failure);
    }
  }

  #request(path: string, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    this.#requests++;
    return this.#dispatcher.request({
      origin: this.#origin,
      path,
      method: 'GET',
      headers: {
        authorization: `Bearer ${this.#options.token}`,
        accept: 'application/json',
        'user-agent': this.#options.userAgent,
      },
      signal,
      headersTimeout: this.#options.requestTimeoutMs,
      bodyTimeout: this.#options.requestTimeoutMs,
    });
  }

  /** Exponential backoff with full jitter, or the server's Retry-After when it gave one. */
  async #backoff(attempt: number, retryAfter: number | undefined, signal: AbortSignal, failure: RefreshError): Promise<void> {
    const base = this.#options.backoffBaseMs ?? 500;
    const max = this.#options.backoffMaxMs ?? 30_000;
    const delay = retryAfter ?? Math.min(max, base * 2 ** attempt) * (0.5 + this.#random() / 2);
    try {
      await this.#sleep(delay, signal);
    } catch {
      // The refresh deadline ran out while waiting: the failure that made us wait is the news.
      throw failure;
    }
  }

  /** Remembers when the server says the window is spent, so the next request waits for its reset instead of earning a 429. */
  #noteRateLimit(headers: Page['headers']): void {
    const remainingText = header(headers, 'x-ratelimit-remaining');
    const remaining = Number(remainingText);
    if (remainingText === undefined || remainingText.trim() === '' || !Number.isFinite(remaining) || remaining > 0) return;
    const wait = resetDelayMs(header(headers, 'x-ratelimit-reset'), this.#now());
    if (wait === undefined || wait <= 0) return;
    this.#holdRequestsFor(wait + RESET_MARGIN_MS);
  }

  #holdRequestsFor(ms: number): void {
    this.#notBefore = Math.max(this.#notBefore, performance.now() + Math.min(ms, MAX_RATE_LIMIT_WAIT_MS));
  }

  /** How long until the window noted from rate-limit headers reopens; undefined when none is noted. */
  #windowWait(): number | undefined {
    const wait = this.#notBefore - performance.now();
    return wait > 0 ? wait : undefined;
  }

  async #waitForRateLimitWindow(signal: AbortSignal): Promise<void> {
    const wait = this.#windowWait();
    if (wait === undefined) return;
    try {
      await this.#sleep(Math.min(wait, MAX_RATE_LIMIT_WAIT_MS), signal);
    } catch {
      throw new RefreshError('rate_limited', 'refresh deadline reached while waiting for the rate-limit window to reset');
    }
  }
}

function lastId(items: readonly unknown[]): string | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const record = parseRecord(items[i]);
    if (record.ok) return record.key.id;
  }
  return undefined;
}

function describeStatus(status: number, message: string): string {
  const detail = message === '' ? '' : `: ${message}`;
  if (status === 401) return `upstream refused the token (401)${detail}`;
  if (status === 403) return `upstream forbids listing keys with this token (403; a workspace management key is needed)${detail}`;
  if (status === 429) return `upstream rate limit (429)${detail}`;
  if (status >= 300 && status < 400) return `unexpected redirect (${status}); redirects are not followed so the token stays with the configured host`;
  return `upstream answered ${status}${detail}`;
}

async function readBody(response: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      response.body.destroy();
      throw new RefreshError('invalid_response', `response body larger than ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes a stretch of the body in its message, cut anywhere: a token echoed there could
    // be cut in half and escape redaction. Only the part before the quote is kept.
    const detail = (error instanceof Error ? error.message : String(error)).split('"')[0]!.replace(/[\s,]+$/, '');
    throw new RefreshError('invalid_response', `response is not valid JSON (${detail.slice(0, 120)}; ${text.length} characters)`);
  }
}

function header(headers: Page['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(headers: Page['headers'], nowMs: number): number | undefined {
  const value = header(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

/** X-RateLimit-Reset is seen both as seconds from now and as a Unix time in seconds. */
export function resetDelayMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n > 1e9 ? n * 1000 - nowMs : n * 1000;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function classifyTransportError(error: unknown, signal: AbortSignal): RefreshError {
  if (error instanceof RefreshError) return error;
  if (signal.aborted) return new RefreshError('timeout', 'refresh deadline reached before every page arrived');
  const code = errorCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new RefreshError('timeout', `upstream did not answer in time (${code})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RefreshError('network', `request failed: ${code ?? 'error'}${message ? ` (${message.slice(0, 160)})` : ''}`);
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
    e = typeof e === 'object' && 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}
