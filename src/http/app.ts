/**
 * The Hono app: /metrics, /healthz, /readyz and /. It knows nothing of the orq API; it reads
 * the exposition and the workspaces' status through the functions it is given, so tests drive
 * it with app.request() and no socket.
 */
import { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import type { Encoding } from '../exposition/exposition.js';
import { CONTENT_TYPE } from '../exposition/text.js';
import type { Logger } from '../log.js';
import { acceptsGzip } from './encoding.js';
import { landingPage, type WorkspaceStatus } from './landing.js';

export interface AppDeps {
  readonly metricsBody: (encoding: Encoding) => Promise<readonly Buffer[]>;
  readonly workspaces: () => readonly WorkspaceStatus[];
  readonly version: string;
  readonly logger: Logger;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/metrics', async (c) => {
    const encoding: Encoding = acceptsGzip(c.req.header('accept-encoding')) ? 'gzip' : 'identity';
    let chunks: readonly Buffer[];
    try {
      chunks = await deps.metricsBody(encoding);
    } catch (error) {
      deps.logger.error('rendering /metrics failed', { error });
      return c.text('rendering metrics failed\n', 500);
    }
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      'content-length': String(chunks.reduce((n, c) => n + c.length, 0)),
      'cache-control': 'no-store',
      vary: 'Accept-Encoding',
    };
    if (encoding === 'gzip') headers['content-encoding'] = 'gzip';
    // HEAD keeps the Response path: Hono rebuilds HEAD responses, which would write twice.
    const outgoing = c.req.method === 'GET' ? nodeResponse(c.env) : undefined;
    if (outgoing !== undefined) {
      // Straight to the socket, as node:http writes one prebuilt buffer: every chunk queued at
      // once (they are already in memory, and are not copied) and flushed together. Through a
      // web stream each chunk waited for 'drain' before the next was read: at 10,000 keys,
      // two dozen round trips that made a scrape up to twice as slow (bench/RESULTS.md).
      outgoing.writeHead(200, headers);
      outgoing.cork();
      for (const chunk of chunks) outgoing.write(chunk);
      outgoing.end();
      return RESPONSE_ALREADY_SENT;
    }
    return new Response(bodyOf(chunks), { status: 200, headers });
  });

  app.get('/healthz', (c) => c.text('ok\n'));

  app.get('/readyz', (c) => {
    const waiting = deps.workspaces().filter((w) => w.lastSuccess === undefined);
    if (waiting.length === 0) return c.text('ready\n');
    return c.text(`not ready: no successful refresh yet for ${waiting.map((w) => w.name).join(', ')}\n`, 503);
  });

  app.get('/', (c) => c.html(landingPage(deps.version, deps.workspaces())));

  app.notFound((c) => c.text('not found\n', 404));
  app.onError((error, c) => {
    deps.logger.error('request failed', { path: c.req.path, error });
    return c.text('internal error\n', 500);
  });
  return app;
}

/** The node:http response under @hono/node-server; absent under app.request() in tests. */
function nodeResponse(env: unknown): ServerResponse | undefined {
  if (typeof env !== 'object' || env === null || !('outgoing' in env)) return undefined;
  return env.outgoing instanceof ServerResponse ? env.outgoing : undefined;
}

/** One buffer goes out as it is; several are streamed in order without being copied together. */
function bodyOf(chunks: readonly Buffer[]): Uint8Array | ReadableStream<Uint8Array> {
  if (chunks.length === 1) return chunks[0]!;
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}
