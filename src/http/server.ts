/**
 * Listens with the app's fetch handed to @hono/node-server as it is (`app.fetch`), so the
 * /metrics route gets the node:http response to write to. With TLS: node:https with the web
 * config's settings, the client-certificate policy, certificate reload and a 400 for plain
 * HTTP on the TLS port.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { TlsSettings } from '../config/web-config.js';
import type { Logger } from '../log.js';
import { reloadCertificatesOnConnection } from './tls/certificate-reload.js';
import { enforceClientPolicy } from './tls/client-policy.js';
import { httpsServerOptions } from './tls/https-options.js';
import { answerPlainHttp } from './tls/plain-http-guard.js';

/** What @hono/node-server calls: a Hono app's `fetch`, taking the node request env with it. */
export type FetchCallback = Parameters<typeof serve>[0]['fetch'];

export interface ListenOptions {
  readonly fetch: FetchCallback;
  readonly port: number;
  readonly hostname: string;
  readonly tls?: TlsSettings | undefined;
  readonly logger: Logger;
  /** Clock for the certificate reload check, moved by tests. */
  readonly now?: () => number;
}

export interface Listening {
  readonly server: ServerType;
  readonly port: number;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

export function listen(options: ListenOptions): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const { tls } = options;
    const base = { fetch: options.fetch, port: options.port, hostname: options.hostname };
    const onListening = (): void => resolve({ server, port: (server.address() as AddressInfo).port, close: () => closeServer(server) });
    const server =
      tls === undefined
        ? serve(base, onListening)
        : serve({ ...base, createServer: createHttpsServer, serverOptions: httpsServerOptions(tls) }, onListening);
    if (tls !== undefined) {
      const https = server as HttpsServer;
      enforceClientPolicy(https, tls);
      reloadCertificatesOnConnection(https, tls, { logger: options.logger, now: options.now });
      answerPlainHttp(https);
    }
    server.once('error', reject);
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive scrapers would hold close() open; stopping must not wait for them.
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}
