/**
 * Scrapes over loopback: the exporter's app without its direct write, the floor (a bare
 * node:http server writing a body that is already built) and one keep-alive client that reads
 * every byte, as Prometheus does. Gzip bodies are read as sent, not decompressed: that is the scraper's work.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';
import type { Encoding, Exposition } from '../src/exposition/exposition.js';
import { CONTENT_TYPE } from '../src/exposition/text.js';
import { createApp } from '../src/http/app.js';
import { acceptsGzip } from '../src/http/encoding.js';
import { listen as listenApp } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The exporter's app over its exposition, served by its own listen() but with a fetch that
 * hides the node:http response from the app: /metrics then answers through a web Response, as
 * it would without the direct write. Compared with the exporter itself, it shows what the
 * direct write saves.
 */
export async function serveResponsePath(exposition: Exposition): Promise<Listening> {
  const app = createApp({ metricsBody: (e: Encoding) => exposition.body(e), workspaces: () => [], version: 'bench', logger: silentLogger });
  const server = await listenApp({ fetch: (request: Request) => app.fetch(request), port: 0, hostname: '127.0.0.1', logger: silentLogger });
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

/** The floor: a body already built, written by node:http with nothing else to do. */
export function serveBytes(bodies: Readonly<Record<Encoding, Buffer>>): Promise<Listening> {
  const server = createServer((req, res) => {
    const encoding: Encoding = acceptsGzip(req.headers['accept-encoding']) ? 'gzip' : 'identity';
    const body = bodies[encoding];
    const headers: Record<string, string | number> = { 'content-type': CONTENT_TYPE, 'content-length': body.length };
    if (encoding === 'gzip') headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers);
    res.end(body);
  });
  return listen(server);
}

export function listen(server: Server): Promise<Listening> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** One keep-alive connection, like a Prometheus scrape loop. */
export class Scraper {
  readonly #client: Client;

  constructor(url: string) {
    this.#client = new Client(url, { pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });
  }

  /** Scrapes /metrics and returns the body size; reads every byte but keeps none. */
  async scrape(encoding: Encoding): Promise<number> {
    const res = await this.#client.request({
      path: '/metrics',
      method: 'GET',
      headers: encoding === 'gzip' ? { 'accept-encoding': 'gzip' } : {},
    });
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
    const gzipped = res.headers['content-encoding'] === 'gzip';
    if (gzipped !== (encoding === 'gzip')) throw new Error(`asked for ${encoding}, got content-encoding ${String(res.headers['content-encoding'])}`);
    return bytes;
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
