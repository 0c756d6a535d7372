/**
 * Small loopback servers the simulator does not provide: a TCP or TLS relay in front of it
 * (so a test can drop connections, swap certificates or stop resolving its name), an HTTP
 * front that stalls a body half-way, and a recorder that logs whatever reaches it.
 */
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { setImmediate } from 'node:timers/promises';
import { createServer as createTlsServer, type SecureContextOptions } from 'node:tls';

export interface Relay {
  readonly port: number;
  /** Ends every relayed connection, so the client has to connect (and resolve, and handshake) again. */
  dropConnections(): Promise<void>;
  /** TLS relays only: the certificate new connections are offered. */
  setSecureContext(options: SecureContextOptions): void;
  close(): Promise<void>;
}

/** Relays every connection to 127.0.0.1:targetPort; with `tls`, terminates TLS first. */
export async function startRelay(targetPort: number, tls?: SecureContextOptions): Promise<Relay> {
  const sockets = new Set<Socket>();
  const relay = (client: Socket): void => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const forget = (): void => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
    client.pipe(upstream).pipe(client);
  };
  const tlsServer = tls === undefined ? undefined : createTlsServer(tls, relay);
  // A failed handshake is the fault under test, not an error of the relay.
  tlsServer?.on('tlsClientError', () => undefined);
  const server: Server = tlsServer ?? createNetServer(relay);
  await listen(server);
  return {
    port: (server.address() as AddressInfo).port,
    dropConnections: async () => {
      const closed = [...sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
      for (const socket of sockets) socket.destroy();
      // Once the relay's descriptors are closed the kernel has sent FIN on loopback, and the
      // exporter (in this process) reads it in the next poll phase: two turns of the event
      // loop, and its pool has dropped the dead sockets before the next request picks one.
      await Promise.all(closed);
      await setImmediate();
      await setImmediate();
    },
    setSecureContext: (options) => {
      if (tlsServer === undefined) throw new Error('not a TLS relay');
      tlsServer.setSecureContext(options);
    },
    close: () => closeServer(server, sockets),
  };
}

export interface Front {
  readonly url: string;
  /** While true, responses stop half-way through the body and never end. */
  stallBodies: boolean;
  close(): Promise<void>;
}

/** An HTTP front for `targetUrl` that can stall bodies: a response that never ends. */
export async function startFront(targetUrl: string): Promise<Front> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const front: Front = {
    url: '',
    stallBodies: false,
    close: () => closeServer(server, sockets),
  };
  const server = createHttpServer((req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(body.length) });
          if (front.stallBodies) res.write(body.subarray(0, Math.floor(body.length / 2)));
          else res.end(body);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(server);
  Object.assign(front, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return front;
}

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** Answers 200 to anything and remembers what reached it. */
export async function startRecorder(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[],"has_more":false}');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => closeServer(server, sockets),
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
}
