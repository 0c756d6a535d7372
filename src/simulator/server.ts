/**
 * A simulated orq workspace on loopback: a real HTTP server, so the exporter's client,
 * retries, timeouts and connection handling are exercised exactly as against orq.ai. This
 * module only routes and delivers; what each request gets is decided in replies.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimBudgetRecord } from './budgets.js';
import { FaultScript, type Endpoint, type Fault, type FaultKind } from './faults.js';
import type { SimKey } from './generator.js';
import {
  DEFAULT_WORKSPACE_ID,
  initialVariant,
  validateLatency,
  validateRecordLimit,
  validateVariant,
  type SimulatorOptions,
} from './options.js';
import type { SimProject } from './projects.js';
import { RateLimiter, validateRateLimit, type RateLimit } from './rate-limit.js';
import { budgetsReply, defaultIncludeBudget, keysReply, projectsReply, type IncludeBudgetMode } from './replies.js';
import { encode, errorReply, send as sendReply, type Reply } from './reply.js';
import { SimState } from './state.js';
import type { WireVariant } from './wire.js';

export type { RateLimit } from './rate-limit.js';
export { DEFAULT_WORKSPACE_ID, type LegacyShape, type SimulatorOptions } from './options.js';

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
  /** the projects served: the given ones, or those derived from the keys */
  projects(): readonly SimProject[];
  /** every budget served: each key's own, then the extra ones */
  budgets(): readonly SimBudgetRecord[];
  variant(): WireVariant;
  setKeys(keys: readonly SimKey[]): void;
  /** undefined goes back to projects derived from the keys */
  setProjects(projects: readonly SimProject[] | undefined): void;
  setExtraBudgets(budgets: readonly SimBudgetRecord[]): void;
  setVariant(variant: WireVariant): void;
  /** undefined goes back to the variant's default */
  setIncludeBudget(mode: IncludeBudgetMode | undefined): void;
  setBudgetsPermission(granted: boolean): void;
  setLatency(ms: number): void;
  setRateLimit(rateLimit: RateLimit | undefined): void;
  /** the management key accepted from now on (a rotated key); the old one gets 401 */
  setToken(token: string): void;
  /** queue faults; each answers the next `/v2/api-keys` request (or `times` of them) */
  inject(...faults: Fault[]): void;
  /** queue faults for one endpoint */
  injectFor(endpoint: Endpoint, ...faults: Fault[]): void;
  /** requests still scripted by injected faults, for one endpoint or all */
  pendingFaults(endpoint?: Endpoint): number;
  clearFaults(endpoint?: Endpoint): void;
  clearRequests(): void;
  /** stops listening and destroys every open socket, hanging requests included */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const ROUTES: Readonly<Record<string, Endpoint>> = {
  '/v2/api-keys': 'api-keys',
  '/v2/budgets': 'budgets',
  '/v2/projects': 'projects',
};

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  validateRateLimit(options.rateLimit);
  const now = options.now ?? Date.now;
  let expectedAuth = `Bearer ${options.token}`;
  const state = new SimState(options.workspaceId ?? DEFAULT_WORKSPACE_ID, {
    keys: options.keys,
    projects: options.projects,
    extraBudgets: options.extraBudgets,
  });
  let variant = initialVariant(options);
  let includeBudget = options.includeBudget;
  let budgetsPermission = options.budgetsPermission ?? true;
  let latencyMs = validateLatency(options.latencyMs ?? 0);
  let limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit, now);
  const faults = new FaultScript();
  const requests: RecordedRequest[] = [];
  const recordLimit = validateRecordLimit(options.recordLimit ?? 100_000);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | undefined;

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

  /**
   * `bytes` is the body already encoded: a large page takes milliseconds to encode, which
   * belong inside the latency (the API's own work), not after it.
   */
  const deliver = (res: ServerResponse, rec: RecordedRequest, reply: Reply, bytes = encode(reply)): void => {
    if (reply.kind === 'hang' || res.destroyed || res.headersSent || closing !== undefined) return;
    if (reply.kind === 'reset') {
      rec.status = 200;
      res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': String(bytes.length), ...limiter?.headers() });
      // flushHeaders-then-destroy would race the body; destroying in the write callback
      // guarantees the client has the headers and half the body before the connection drops.
      res.write(reply.body.slice(0, Math.floor(reply.body.length / 2)), () => res.socket?.destroy());
      return;
    }
    rec.status = reply.status;
    const bodyAllowed = reply.status >= 200 && reply.status !== 204 && reply.status !== 304;
    res.writeHead(reply.status, {
      ...(bodyAllowed ? { 'content-type': JSON_TYPE, 'content-length': String(bytes.length) } : {}),
      ...limiter?.headers(),
      ...reply.headers,
    });
    res.end(bodyAllowed ? bytes : undefined);
  };

  const replyFor = (endpoint: Endpoint, query: URLSearchParams, fault: Fault | undefined): Reply => {
    switch (endpoint) {
      case 'api-keys':
        return keysReply(state, { variant, includeBudget: includeBudget ?? defaultIncludeBudget(variant), query }, fault);
      case 'budgets':
        return budgetsReply(state, query, budgetsPermission, fault);
      case 'projects':
        return projectsReply(state, query, fault);
    }
  };

  const respond = async (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, query: URLSearchParams): Promise<void> => {
    const endpoint = ROUTES[rec.path.replace(/\/+$/, '')];
    const refuse = async (reply: Reply): Promise<void> => {
      await delay(latencyMs);
      deliver(res, rec, reply);
    };
    if (endpoint === undefined) return refuse(sendReply(404, JSON.stringify({ message: 'Not Found' })));
    if (rec.method !== 'GET') return refuse(sendReply(405, JSON.stringify({ message: 'Method Not Allowed' }), { allow: 'GET' }));
    if (!rec.authorized) {
      const message = req.headers.authorization === undefined ? 'missing bearer token' : 'invalid api key';
      return refuse(errorReply(401, 'invalid_api_key', message));
    }
    // Counted on arrival, before latency, as a gateway in front of the API would.
    if (limiter !== undefined && !limiter.admit()) {
      return refuse(errorReply(429, 'rate_limited', 'rate limit exceeded', { 'retry-after': String(limiter.retryAfterSeconds()) }));
    }
    // Taken on arrival too, so concurrent requests consume faults in the order they came.
    const fault = faults.take(endpoint);
    if (fault !== undefined) rec.fault = fault.kind;
    if (fault?.kind === 'hang') return;
    // The latency is the whole time the API takes to answer, its own work included: the body
    // is built first and the answer leaves `latencyMs` after the request came.
    const arrived = performance.now();
    const reply = replyFor(endpoint, query, fault);
    if (reply.kind === 'hang') return;
    const bytes = encode(reply);
    await delay(latencyMs + (reply.delayMs ?? 0) - (performance.now() - arrived));
    deliver(res, rec, reply, bytes);
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
    respond(req, res, rec, url.searchParams).catch((err: unknown) => {
      // A bug in the simulator must show up as a failing test, not a crashed worker.
      deliver(res, rec, sendReply(500, JSON.stringify({ message: `simulator error: ${String(err)}` })));
    });
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
    keys: () => state.keys,
    projects: () => state.projects,
    budgets: () => state.budgets,
    variant: () => variant,
    setKeys: (keys) => state.update({ keys }),
    setProjects: (projects) => state.update({ projects }),
    setExtraBudgets: (extraBudgets) => state.update({ extraBudgets }),
    setVariant(next) {
      variant = validateVariant(next);
    },
    setIncludeBudget(mode) {
      includeBudget = mode;
    },
    setBudgetsPermission(granted) {
      budgetsPermission = granted;
    },
    setLatency(ms) {
      latencyMs = validateLatency(ms);
    },
    setRateLimit(rateLimit) {
      validateRateLimit(rateLimit);
      limiter = rateLimit === undefined ? undefined : new RateLimiter(rateLimit, now);
    },
    setToken(token) {
      expectedAuth = `Bearer ${token}`;
    },
    inject: (...list) => faults.push('api-keys', ...list),
    injectFor: (endpoint, ...list) => faults.push(endpoint, ...list),
    pendingFaults: (endpoint) => faults.pending(endpoint),
    clearFaults: (endpoint) => faults.clear(endpoint),
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
