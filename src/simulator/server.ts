/**
 * A simulated orq workspace on loopback: a real HTTP server, so the exporter's client,
 * retries, timeouts and connection handling are exercised exactly as against orq.ai.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimKey } from './generator.js';
import { FaultQueue, defaultErrorCode, errorBody, type Fault, type FaultKind } from './faults.js';
import {
  KeyIndex,
  duplicatePage,
  listPage,
  paginate,
  parseFilters,
  parseListQuery,
  repeatCursorPage,
  type KeyPage,
  type ListQuery,
} from './listing.js';
import { RateLimiter, validateRateLimit, type RateLimit } from './rate-limit.js';
import { toShapeA, toShapeB } from './shapes.js';

export type { RateLimit } from './rate-limit.js';

export type Shape = 'a' | 'b';

export interface SimulatorOptions {
  keys: readonly SimKey[];
  /** the management key the exporter must present as `Authorization: Bearer <token>` */
  token: string;
  shape?: Shape;
  /** 0 (default) picks a free port */
  port?: number;
  /** added before every response */
  latencyMs?: number;
  workspaceId?: string;
  rateLimit?: RateLimit;
  /** the clock rate-limit windows are measured on; default Date.now */
  now?: () => number;
  /**
   * most requests kept in `requests`; past it the oldest tenth is dropped, so a long demo or
   * load run does not grow without bound. Default 100,000.
   */
  recordLimit?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** the last value of each query parameter */
  query: Record<string, string>;
  authorized: boolean;
  /** the status sent; 0 while no response has started (and for ever for `hang`) */
  status: number;
  /** the fault that answered this request, if any */
  fault?: FaultKind;
  /** epoch ms the request arrived */
  at: number;
}

export interface Simulator {
  /** base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly requests: ReadonlyArray<Readonly<RecordedRequest>>;
  keys(): readonly SimKey[];
  setKeys(keys: readonly SimKey[]): void;
  setShape(shape: Shape): void;
  setLatency(ms: number): void;
  setRateLimit(rateLimit: RateLimit | undefined): void;
  /** queue faults; each answers the next `/v2/api-keys` request (or `times` of them) */
  inject(...faults: Fault[]): void;
  /** requests still scripted by injected faults */
  pendingFaults(): number;
  clearFaults(): void;
  clearRequests(): void;
  /** stops listening and destroys every open socket, hanging requests included */
  close(): Promise<void>;
}

export const DEFAULT_WORKSPACE_ID = 'ws_01HQSIMULATED0000000000000';

const JSON_TYPE = 'application/json; charset=utf-8';

function validateLatency(ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`latency must be a finite number >= 0, got ${ms}`);
  return ms;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  validateRateLimit(options.rateLimit);
  const now = options.now ?? Date.now;
  const workspaceId = options.workspaceId ?? DEFAULT_WORKSPACE_ID;
  const expectedAuth = `Bearer ${options.token}`;
  let index = new KeyIndex(options.keys);
  let shape: Shape = options.shape ?? 'a';
  let latencyMs = validateLatency(options.latencyMs ?? 0);
  let limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit, now);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const recordLimit = options.recordLimit ?? 100_000;
  if (!Number.isInteger(recordLimit) || recordLimit < 1) throw new RangeError(`recordLimit must be a positive integer, got ${recordLimit}`);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | undefined;

  // Items rendered once per key set: a 100,000-key walk would otherwise re-render every
  // key on every page and the simulator, not the exporter, would be what a benchmark measures.
  let renderedA = new WeakMap<SimKey, string>();
  let renderedB = new WeakMap<SimKey, string>();
  const itemJson = (key: SimKey, s: Shape): string => {
    const cache = s === 'a' ? renderedA : renderedB;
    let json = cache.get(key);
    if (json === undefined) {
      json = JSON.stringify(s === 'a' ? toShapeA(key) : toShapeB(key, workspaceId));
      cache.set(key, json);
    }
    return json;
  };
  const listBody = (items: readonly SimKey[], hasMore: boolean): string =>
    shape === 'a'
      ? `{"object":"list","data":[${items.map((k) => itemJson(k, 'a')).join(',')}],"has_more":${hasMore}}`
      : `[${items.map((k) => itemJson(k, 'b')).join(',')}]`;

  /** Resolves after ms, or never if the simulator closes first: the response is moot then. */
  const delay = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });

  const send = (
    res: ServerResponse,
    rec: RecordedRequest,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void => {
    if (res.destroyed || res.headersSent || closing !== undefined) return;
    rec.status = status;
    const bodyAllowed = status >= 200 && status !== 204 && status !== 304;
    res.writeHead(status, {
      ...(bodyAllowed ? { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...limiter?.headers(),
      ...headers,
    });
    res.end(bodyAllowed ? body : undefined);
  };

  const sendError = (res: ServerResponse, rec: RecordedRequest, status: number, code: string, message: string): void =>
    send(res, rec, status, errorBody('error_object', code, message));

  const answerPage = (res: ServerResponse, rec: RecordedRequest, page: KeyPage): void => {
    if (!page.ok) return sendError(res, rec, 400, 'invalid_request', page.message);
    send(res, rec, 200, listBody(page.value.data, page.value.hasMore));
  };

  /** The normal answer to an authorised `GET /v2/api-keys`: a page, or 400 for a bad query. */
  const normalKeysBody = (query: Record<string, string>): { status: number; body: string } => {
    if (shape === 'b') {
      const filters = parseFilters(query);
      if (!filters.ok) return { status: 400, body: errorBody('error_object', 'invalid_request', filters.message) };
      return { status: 200, body: listBody(index.view('name', filters.value), false) };
    }
    const q = parseListQuery(query);
    const page = q.ok ? listPage(index, q.value) : q;
    if (!page.ok) return { status: 400, body: errorBody('error_object', 'invalid_request', page.message) };
    return { status: 200, body: listBody(page.value.data, page.value.hasMore) };
  };

  /** A list altered by a fault: shape A alters the cursor page, shape B (no cursors) the whole array. */
  const alteredPage = (
    query: Record<string, string>,
    pageA: (index: KeyIndex, q: ListQuery) => KeyPage,
    arrayB: (all: readonly SimKey[]) => SimKey[],
  ): KeyPage => {
    if (shape === 'b') {
      const filters = parseFilters(query);
      if (!filters.ok) return filters;
      return { ok: true, value: { data: arrayB(index.view('name', filters.value)), hasMore: false } };
    }
    const q = parseListQuery(query);
    return q.ok ? pageA(index, q.value) : q;
  };

  const answerFault = (res: ServerResponse, rec: RecordedRequest, fault: Fault, query: Record<string, string>): void => {
    switch (fault.kind) {
      case 'hang':
        return;
      case 'status':
        return send(
          res,
          rec,
          fault.status,
          fault.body ?? errorBody('error_object', defaultErrorCode(fault.status), `simulated ${fault.status}`),
          fault.headers,
        );
      case 'reset': {
        if (res.destroyed) return;
        const { body } = normalKeysBody(query);
        rec.status = 200;
        res.writeHead(200, {
          'content-type': JSON_TYPE,
          'content-length': String(Buffer.byteLength(body)),
          ...limiter?.headers(),
        });
        // flushHeaders-then-destroy would race the body; destroying in the write callback
        // guarantees the client has the headers and half the body before the connection drops.
        res.write(body.slice(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
        return;
      }
      case 'invalid_json': {
        const body =
          shape === 'a'
            ? '{"object":"list","data":[{"api_key_id":"01HZX3Q5J6K7M8N9P0QRSTVWXY","name":"trunc'
            : '[{"id":"01HZX3Q5J6K7M8N9P0QRSTVWXY","name":"trunc';
        return send(res, rec, 200, body);
      }
      case 'wrong_shape':
        return send(res, rec, 200, JSON.stringify(fault.body === undefined ? { items: 5 } : fault.body));
      case 'empty_has_more':
        return send(res, rec, 200, '{"object":"list","data":[],"has_more":true}');
      case 'records':
        return send(
          res,
          rec,
          200,
          shape === 'a'
            ? JSON.stringify({ object: 'list', data: fault.items, has_more: false })
            : JSON.stringify(fault.items),
        );
      case 'repeat_cursor':
        return answerPage(res, rec, alteredPage(query, repeatCursorPage, (all) => [...all]));
      case 'duplicate_ids':
        return answerPage(
          res,
          rec,
          alteredPage(query, duplicatePage, (all) => (all[0] === undefined ? [] : [all[0], ...all])),
        );
      case 'slow': {
        const { status, body } = normalKeysBody(query);
        return send(res, rec, status, body);
      }
    }
  };

  const answerProjects = (res: ServerResponse, rec: RecordedRequest, query: Record<string, string>): void => {
    const q = parseListQuery(query);
    if (!q.ok) return sendError(res, rec, 400, 'invalid_request', q.message);
    const ids = index.projectIds();
    const after = q.value.startingAfter === undefined ? undefined : index.projectRankOf(q.value.startingAfter);
    const before = q.value.endingBefore === undefined ? undefined : index.projectRankOf(q.value.endingBefore);
    if ((q.value.startingAfter !== undefined && after === undefined) || (q.value.endingBefore !== undefined && before === undefined)) {
      return sendError(res, rec, 400, 'invalid_request', 'unknown project cursor');
    }
    const rankOf = (id: string): number => index.projectRankOf(id) ?? -1;
    const page = paginate(ids, rankOf, {
      limit: q.value.limit,
      ...(after === undefined ? {} : { after }),
      ...(before === undefined ? {} : { before }),
    });
    const data = page.data.map((project_id) => {
      const slug = `project-${project_id.slice(-6).toLowerCase()}`;
      return { project_id, name: slug, key: slug, is_archived: false };
    });
    send(res, rec, 200, JSON.stringify({ object: 'list', data, has_more: page.hasMore }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorized: req.headers.authorization === expectedAuth,
      status: 0,
      at: now(),
    };
    if (requests.length >= recordLimit) requests.splice(0, Math.ceil(recordLimit / 10));
    requests.push(rec);
    respond(req, res, rec).catch((err: unknown) => {
      // A bug in the simulator must show up as a failing test, not a crashed worker.
      send(res, rec, 500, JSON.stringify({ message: `simulator error: ${String(err)}` }));
    });
  };

  const respond = async (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> => {
    const route = rec.path.replace(/\/+$/, '');
    const isKeys = route === '/v2/api-keys';
    if (!isKeys && route !== '/v2/projects') {
      await delay(latencyMs);
      return send(res, rec, 404, JSON.stringify({ message: 'Not Found' }));
    }
    if (rec.method !== 'GET') {
      await delay(latencyMs);
      return send(res, rec, 405, JSON.stringify({ message: 'Method Not Allowed' }), { allow: 'GET' });
    }
    if (!rec.authorized) {
      await delay(latencyMs);
      const message = req.headers.authorization === undefined ? 'missing bearer token' : 'invalid api key';
      return sendError(res, rec, 401, 'invalid_api_key', message);
    }
    // Counted on arrival, before latency, as a gateway in front of the API would.
    if (limiter !== undefined && !limiter.admit()) {
      const retryAfter = String(limiter.retryAfterSeconds());
      await delay(latencyMs);
      return send(res, rec, 429, errorBody('error_object', 'rate_limited', 'rate limit exceeded'), {
        'retry-after': retryAfter,
      });
    }
    // Taken on arrival too, so concurrent requests consume faults in the order they came.
    const fault = isKeys ? faults.take() : undefined;
    if (fault !== undefined) rec.fault = fault.kind;
    if (fault?.kind === 'hang') return;
    if (fault !== undefined || !isKeys) {
      await delay(latencyMs + (fault?.kind === 'slow' ? fault.ms : 0));
      if (fault !== undefined) return answerFault(res, rec, fault, rec.query);
      return answerProjects(res, rec, rec.query);
    }
    // The latency is the whole time the API takes to answer, its own work included: the body
    // is built first and the answer leaves `latencyMs` after the request came.
    const arrived = performance.now();
    const { status, body } = normalKeysBody(rec.query);
    await delay(latencyMs - (performance.now() - arrived));
    send(res, rec, status, body);
  };

  const server = createServer(handle);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    keys: () => index.keys,
    setKeys(keys) {
      index = new KeyIndex(keys);
      renderedA = new WeakMap();
      renderedB = new WeakMap();
    },
    setShape(next) {
      shape = next;
    },
    setLatency(ms) {
      latencyMs = validateLatency(ms);
    },
    setRateLimit(rateLimit) {
      validateRateLimit(rateLimit);
      limiter = rateLimit === undefined ? undefined : new RateLimiter(rateLimit, now);
    },
    inject: (...list) => faults.push(...list),
    pendingFaults: () => faults.pending,
    clearFaults: () => faults.clear(),
    clearRequests() {
      requests.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
