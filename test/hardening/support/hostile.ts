/**
 * A loopback server that answers each request for the key list with whatever a test scripts:
 * the hostile upstreams of the adversarial review (pages far larger than asked, bodies of
 * millions of records, pages of junk), streamed so the test process never holds them whole
 * either. Budgets and projects get an empty list, so only the key list is under attack.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Script = (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>;

export interface Hostile {
  readonly url: string;
  /** Requests answered so far. */
  readonly requests: () => number;
  /** Replaces how the following requests are answered. */
  script(next: Script): void;
  close(): Promise<void>;
}

export async function startHostile(initial: Script): Promise<Hostile> {
  let script = initial;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    req.resume();
    if (!(req.url ?? '').startsWith('/v2/api-keys')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[],"has_more":false,"hasMore":false}');
      return;
    }
    const n = requests++;
    Promise.resolve(script(req, res, n)).catch(() => res.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    script: (next) => void (script = next),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Streams `count` items as a JSON array (or an envelope's data), in chunks, respecting
 * back-pressure, and stops quietly if the client hangs up, as it should on a body it refuses.
 */
export async function streamList(
  res: ServerResponse,
  count: number,
  item: (i: number) => string,
  envelope?: { hasMore: boolean },
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  let chunk = envelope ? '{"object":"list","data":[' : '[';
  for (let i = 0; i < count; i++) {
    chunk += (i > 0 ? ',' : '') + item(i);
    if (chunk.length >= 64 * 1024) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drained(res);
      chunk = '';
    }
  }
  chunk += envelope ? `],"has_more":${envelope.hasMore}}` : ']';
  if (!res.destroyed) res.end(chunk);
}

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** A plain key record of the SDK's variant. */
export function sdkKey(i: number): string {
  return `{"id":"k${String(i).padStart(9, '0')}","name":"key ${i}","status":"API_KEY_STATUS_ACTIVE"}`;
}
