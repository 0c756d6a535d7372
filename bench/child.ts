/**
 * A fresh process running the real exporter (startExporter, as main.ts does) against the
 * parent's simulator, reading keys, budgets and projects. It refreshes until some 500 pages
 * have gone by, serves plain and gzip scrapes, measures its resident memory, reports to the
 * parent, then keeps serving for the load test until told to stop. A fresh process per size
 * keeps one size's garbage out of another's figures.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyBytes } from '../src/exposition/body.js';
import { acceptsGzip } from '../src/http/encoding.js';
import { CONTENT_TYPE } from '../src/exposition/text.js';
import type { RunningExporter } from '../src/exporter.js';
import { writtenBytes } from './measure.js';
import { complete, startBenchExporter } from './exporter.js';
import type { RefreshPages } from './results.js';

export interface ChildRequest {
  readonly simulatorUrl: string;
  readonly token: string;
  /** Pages to fetch, over as many refreshes as that takes, before the refresh that is timed. */
  readonly warmPages: number;
}

export interface MemoryFigures {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface ChildReport {
  readonly type: 'ready';
  readonly url: string;
  readonly keys: number;
  /** Pages of the last refresh, per source. */
  readonly pages: RefreshPages;
  /** Pages of the first refresh, every source. */
  readonly firstPages: number;
  /** Key-list requests of the first refresh. */
  readonly requests: number;
  /** The first refresh, in a process that has run nothing yet (cold JIT, new connection). */
  readonly firstRefreshSeconds: number;
  /** The last of `refreshes` refreshes, as the exporter spends its life refreshing. */
  readonly refreshSeconds: number;
  readonly refreshes: number;
  readonly lastRequests: number;
  /** A bare node:http server in this process writing this exporter's body, already built: the load floor. */
  readonly floorUrl: string;
  /** From the end of the refresh to the first plain and gzip bodies being ready: prepare, deflate, render. */
  readonly firstScrapesMs: number;
  readonly plainBytes: number;
  readonly gzipBytes: number;
  /** A second after the first scrapes, as the process stands between scrapes. */
  readonly settled: MemoryFigures;
  /** The same after a full garbage collection: what the exporter actually holds. */
  readonly collected: MemoryFigures;
}

export type ParentMessage = { readonly type: 'renders' } | { readonly type: 'stop' };
export type ChildMessage = ChildReport | { readonly type: 'renders'; readonly renders: number } | { readonly type: 'error'; readonly message: string };

function figures(): MemoryFigures {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

function memoryAtRest(): { settled: MemoryFigures; collected: MemoryFigures } {
  const settled = figures();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return { settled, collected: figures() };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
  const exporter = await startBenchExporter(request.simulatorUrl, request.token);
  // start() began the first refresh; this joins it. Outcomes stay inside refreshOnce: an
  // outcome held here would hold its snapshot's keys through the memory figures.
  const first = await refreshOnce(exporter);
  // Let the first snapshot's exposition finish preparing, as it would before the next refresh.
  await exporter.exposition.body('gzip');
  // An exporter refreshes for its whole life: the refresh timed is one after some hundreds of
  // pages, when the client's code is as optimised as it will be (the first is reported too).
  const refreshes = Math.max(2, Math.ceil(request.warmPages / first.allPages));
  for (let i = 2; i < refreshes; i++) {
    await refreshOnce(exporter);
    await exporter.exposition.body('gzip');
  }
  const started = performance.now();
  const next = await refreshOnce(exporter);
  const plainBytes = writtenBytes(await exporter.exposition.body('identity'));
  const gzipBytes = writtenBytes(await exporter.exposition.body('gzip'));
  const firstScrapesMs = performance.now() - started - next.seconds * 1000;
  // Memory as the exporter sits between scrapes: the per-second render has expired by then.
  // Taken from a timer of its own, not from this function, whose frame holds on to values.
  const { settled, collected } = await new Promise<{ settled: MemoryFigures; collected: MemoryFigures }>((resolve) => setTimeout(() => resolve(memoryAtRest()), 1100));
  const floorUrl = await serveFloor({
    identity: bodyBytes(await exporter.exposition.body('identity')),
    gzip: bodyBytes(await exporter.exposition.body('gzip')),
  });

  send({
    type: 'ready',
    url: exporter.url,
    keys: next.keys,
    pages: next.pages,
    firstPages: first.allPages,
    requests: first.requests,
    lastRequests: next.requests,
    firstRefreshSeconds: first.seconds,
    refreshSeconds: next.seconds,
    refreshes,
    floorUrl,
    firstScrapesMs,
    plainBytes,
    gzipBytes,
    settled,
    collected,
  });

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'renders') send({ type: 'renders', renders: exporter.exposition.renders });
    else if (message.type === 'stop') void exporter.stop().then(() => process.exit(0));
  });
}

interface RefreshFigures {
  readonly keys: number;
  readonly pages: RefreshPages;
  readonly allPages: number;
  /** Key-list requests. */
  readonly requests: number;
  readonly seconds: number;
}

async function refreshOnce(exporter: RunningExporter): Promise<RefreshFigures> {
  const [outcome] = await exporter.refreshAll();
  const done = complete(outcome);
  const pages = { keys: done.list.pages, budgets: done.budgets.pages, projects: done.projects?.pages ?? 0 };
  return { keys: done.list.keys.length, pages, allPages: pages.keys + pages.budgets + pages.projects, requests: done.list.requests, seconds: done.durationSeconds };
}

function serveFloor(bodies: Readonly<Record<'identity' | 'gzip', Buffer>>): Promise<string> {
  const server = createServer((req, res) => {
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    const body = gzip ? bodies.gzip : bodies.identity;
    res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
