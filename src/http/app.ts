/**
 * The Hono app: /metrics (or WEB_TELEMETRY_PATH), /healthz, /readyz, / and /-/reload, behind the web config's security headers
 * and basic auth. It knows nothing of the orq API; it reads the exposition and the
 * workspaces' status through the functions it is given, so tests drive it with app.request()
 * and no socket. Production, the tests and the benchmark all build it here and serve it with
 * `fetch: app.fetch`, so @hono/node-server's socket reaches the /metrics route.
 */
import { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context, type Handler, type MiddlewareHandler } from 'hono';
import type { WebConfig } from '../config/web-config.js';
import type { MetricsBody } from '../exposition/body.js';
import type { Encoding } from '../exposition/exposition.js';
import { CONTENT_TYPE } from '../exposition/text.js';
import type { Logger } from '../log.js';
import type { WorkspaceStatus } from '../workspace/status.js';
import { basicAuthMiddleware, createBasicAuth, type BasicAuth } from './auth/basic-auth.js';
import { acceptsGzip } from './encoding.js';
import { landingPage } from './landing.js';
import { bodyStream, writeBody } from './send-body.js';
import { securityHeaders } from './security-headers.js';

export interface AppDeps {
  readonly metricsBody: (encoding: Encoding) => Promise<MetricsBody>;
  readonly workspaces: () => readonly WorkspaceStatus[];
  readonly version: string;
  readonly logger: Logger;
  /**
   * Basic auth and security headers for every route (TLS is the server's part); a function
   * when the web config may be reloaded, asked at every request.
   */
  readonly webConfig?: WebConfig | (() => WebConfig | undefined);
  /**
   * Checks the users; made from a fixed webConfig's when absent. Pass one to close its worker
   * on stop; a function (with a function webConfig) to follow reloads: undefined, no auth.
   */
  readonly basicAuth?: BasicAuth | (() => BasicAuth | undefined);
  /** Where the metrics are served (WEB_TELEMETRY_PATH); /metrics by default. */
  readonly metricsPath?: string;
  /** Reloads the configuration for POST /-/reload; undefined answers 403, as Prometheus does without --web.enable-lifecycle. */
  readonly reload?: () => Promise<ReloadAnswer>;
}

/** How a reload went: refused, with one line per problem (never a token). */
export type ReloadAnswer = { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] };

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One path and the methods it answers; any other method gets 405 with Allow. GET answers HEAD
 * too. Handlers build their answers through the context (c.text, c.newResponse...), so the
 * headers the middleware set are on them.
 */
export interface Route {
  readonly path: string;
  readonly methods: readonly Method[];
  readonly handler: Handler;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // A fixed web config is one that never changes: both forms take the same path.
  const web = deps.webConfig;
  const currentWeb = typeof web === 'function' ? web : (): WebConfig | undefined => web;
  const currentAuth = typeof deps.basicAuth === 'function' ? deps.basicAuth : fixedAuth(deps.basicAuth, currentWeb());
  app.use('*', securityHeaders(() => currentWeb()?.headers ?? {}));
  app.use('*', basicAuthOf(currentAuth));

  mountRoutes(app, [
    { path: deps.metricsPath ?? '/metrics', methods: ['GET'], handler: (c) => serveMetrics(c, deps) },
    { path: '/-/reload', methods: ['POST'], handler: (c) => reload(c, deps) },
    { path: '/healthz', methods: ['GET'], handler: (c) => c.text('ok\n') },
    { path: '/readyz', methods: ['GET'], handler: (c) => readiness(c, deps.workspaces()) },
    { path: '/', methods: ['GET'], handler: async (c) => c.html(await landingPage(deps.version, deps.workspaces(), deps.metricsPath)) },
  ]);

  app.notFound((c) => c.text('not found\n', 404));
  app.onError((error, c) => {
    deps.logger.error('request failed', { path: c.req.path, error });
    return c.text('internal error\n', 500);
  });
  return app;
}

export function mountRoutes(app: Hono, routes: readonly Route[]): void {
  for (const route of routes) {
    const allow = allowHeader(route.methods);
    app.on([...route.methods], route.path, route.handler);
    // Registered after the route, so it only answers the methods the route does not.
    app.all(route.path, (c) => c.text('method not allowed\n', 405, { allow }));
  }
}

/** The Allow header of a route: its methods, and HEAD wherever GET is. */
export function allowHeader(methods: readonly Method[]): string {
  return [...new Set(methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])))].join(', ');
}

async function serveMetrics(c: Context, deps: AppDeps): Promise<Response> {
  const encoding: Encoding = acceptsGzip(c.req.header('accept-encoding')) ? 'gzip' : 'identity';
  let body: MetricsBody;
  try {
    body = await deps.metricsBody(encoding);
  } catch (error) {
    deps.logger.error('rendering /metrics failed', { error });
    return c.text('rendering metrics failed\n', 500);
  }
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPE,
    'content-length': String(body.length),
    'cache-control': 'no-store',
    vary: 'Accept-Encoding',
  };
  if (encoding === 'gzip') headers['content-encoding'] = 'gzip';
  // HEAD keeps the Response path: Hono answers HEAD by rebuilding the GET response, which
  // @hono/node-server would then write a second time.
  const outgoing = c.req.method === 'GET' ? nodeResponse(c.env) : undefined;
  if (outgoing === undefined) return c.newResponse(c.req.method === 'HEAD' ? null : bodyStream(body), 200, headers);
  // Straight to the socket (send-body.ts): through a web stream each chunk waits for 'drain'
  // before the next is read. The headers are those of a Response built through the context,
  // so the middleware's headers are on it too.
  const head = c.newResponse(null, 200, headers).headers;
  outgoing.writeHead(200, Object.fromEntries(head));
  void writeBody(outgoing, body).catch((error: unknown) => {
    deps.logger.error('writing /metrics failed', { error });
    outgoing.destroy();
  });
  return RESPONSE_ALREADY_SENT;
}

/** The given checker, or one made from a fixed web config's users; none without users. */
function fixedAuth(given: BasicAuth | undefined, web: WebConfig | undefined): () => BasicAuth | undefined {
  const auth = given ?? (web !== undefined && web.users.size > 0 ? createBasicAuth(web.users) : undefined);
  return () => auth;
}

/** Basic auth by whichever checker is current; its middleware is made once per checker. */
function basicAuthOf(current: () => BasicAuth | undefined): MiddlewareHandler {
  let last: BasicAuth | undefined;
  let middleware: MiddlewareHandler | undefined;
  return async (c, next) => {
    const auth = current();
    if (auth === undefined) return next();
    if (auth !== last || middleware === undefined) {
      last = auth;
      middleware = basicAuthMiddleware(auth);
    }
    return middleware(c, next);
  };
}

async function reload(c: Context, deps: AppDeps): Promise<Response> {
  if (deps.reload === undefined) return c.text('Lifecycle API is not enabled.\n', 403);
  const result = await deps.reload();
  if (result.ok) return c.text('configuration reloaded\n');
  // The running configuration stays; one line per problem says what to fix in the files.
  return c.text(`${result.errors.join('\n')}\n`, 500);
}

function readiness(c: Context, workspaces: readonly WorkspaceStatus[]): Response {
  const waiting = workspaces.filter((w) => w.lastSuccess === undefined);
  if (waiting.length === 0) return c.text('ready\n');
  return c.text(`not ready: no successful refresh yet for ${waiting.map((w) => w.name).join(', ')}\n`, 503);
}

/** The node:http response under @hono/node-server; absent under app.request() in tests. */
function nodeResponse(env: unknown): ServerResponse | undefined {
  if (typeof env !== 'object' || env === null || !('outgoing' in env)) return undefined;
  return env.outgoing instanceof ServerResponse ? env.outgoing : undefined;
}

