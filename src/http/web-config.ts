/**
 * Serving the web config (its schema is src/config/web-config.ts): node:https options and the
 * client-certificate policy for TLS, certificate reload, and a wrapper around the app's fetch
 * for basic auth and the security headers.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Server as HttpsServer, ServerOptions as HttpsServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import { LRUCache } from 'lru-cache';
import { secureContextOptions, type TlsSettings, type WebConfig } from '../config/web-config.js';
import type { Logger } from '../log.js';

export function httpsServerOptions(tls: TlsSettings): HttpsServerOptions {
  return {
    ...secureContextOptions(tls),
    requestCert: tls.clientAuth !== 'NoClientCert',
    // The other policies are checked once the handshake is done (acceptClient), since Node
    // can only either verify every client certificate or none at handshake time.
    rejectUnauthorized: tls.clientAuth === 'RequireAndVerifyClientCert',
  };
}

/** Whether a client that finished the handshake may send requests, per client_auth_type and client_allowed_sans. */
export function acceptClient(tls: TlsSettings, socket: TLSSocket): boolean {
  const cert = socket.getPeerCertificate();
  const presented = cert !== null && cert !== undefined && Object.keys(cert).length > 0;
  if (tls.clientAuth === 'RequireAnyClientCert' && !presented) return false;
  if (tls.clientAuth === 'VerifyClientCertIfGiven' && presented && !socket.authorized) return false;
  if (tls.clientAllowedSans !== undefined) {
    if (!presented) return false;
    const sans = (cert.subjectaltname ?? '').split(', ').map((entry) => entry.slice(entry.indexOf(':') + 1));
    if (!sans.some((san) => tls.clientAllowedSans!.includes(san))) return false;
  }
  return true;
}

/**
 * Enforces the client policy on every TLS connection, and re-reads certificate files at most
 * once a second when one has changed, so a rotated certificate is served without a restart.
 */
export function attachTls(server: HttpsServer, tls: TlsSettings, logger: Logger): void {
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    if (!acceptClient(tls, socket)) socket.destroy();
  });
  const files = [tls.certFile, tls.keyFile, tls.clientCaFile].filter((f): f is string => f !== undefined);
  if (files.length === 0) return;
  const stamp = (): string => files.map((f) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 'missing').join(',');
  let seen = stamp();
  let checkedAt = 0;
  server.prependListener('connection', () => {
    const now = Date.now();
    if (now - checkedAt < 1_000) return;
    checkedAt = now;
    const current = stamp();
    if (current === seen) return;
    seen = current;
    try {
      const cert = tls.certFile !== undefined ? readFileSync(tls.certFile, 'utf8') : tls.cert;
      const key = tls.keyFile !== undefined ? readFileSync(tls.keyFile, 'utf8') : tls.key;
      const clientCa = tls.clientCaFile !== undefined ? readFileSync(tls.clientCaFile, 'utf8') : tls.clientCa;
      server.setSecureContext(secureContextOptions({ ...tls, cert, key, clientCa }));
      logger.info('reloaded the TLS certificate', { cert_file: tls.certFile ?? null });
    } catch (error) {
      // Half-written files during a rotation: keep serving the old pair and try again later.
      seen = '';
      logger.warn('could not reload the TLS certificate; serving the previous one', { error: errorMessage(error) });
    }
  });
}

/** A decoy for unknown users, so a wrong user name costs the same bcrypt time as a wrong password. */
const DECOY_HASH = '$2b$10$8YsFMjNHyK3EX4Z9/PsXD.dwEG.tFw7F90PTE3Z5s3YymozGkwemi';

/**
 * Checks an Authorization header against the users. A verified (user, password) pair is
 * remembered, by a hash rather than in clear, so scrapes every few seconds do not each pay
 * the bcrypt cost; wrong ones always pay it, and one comparison runs at a time, so guessing
 * cannot be sped up and cannot starve the scrapes of the event loop.
 */
export function basicAuthChecker(users: ReadonlyMap<string, string>, cacheSize = 256): (authorization: string | null) => Promise<boolean> {
  const verified = new LRUCache<string, true>({ max: cacheSize });
  let queue: Promise<unknown> = Promise.resolve();
  return async (authorization) => {
    const credentials = parseBasic(authorization);
    if (credentials === undefined) return false;
    const hash = users.get(credentials.user);
    const key = createHash('sha256').update(`${credentials.user}\u0000${hash ?? ''}\u0000${credentials.password}`).digest('base64');
    if (hash !== undefined && verified.has(key)) return true;
    const compare = queue.then(() => bcrypt.compare(credentials.password, hash ?? DECOY_HASH));
    queue = compare.catch(() => false);
    const ok = (await compare.catch(() => false)) && hash !== undefined;
    if (ok) verified.set(key, true);
    return ok;
  };
}

function parseBasic(header: string | null): { user: string; password: string } | undefined {
  if (header === null) return undefined;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** The app's fetch behind basic auth (when users are configured) and with the configured headers on every answer. */
export function protect(fetch: FetchHandler, config: WebConfig): FetchHandler {
  const check = config.users.size > 0 ? basicAuthChecker(config.users) : undefined;
  const headers = Object.entries(config.headers);
  return async (request) => {
    let response: Response;
    if (check !== undefined && !(await check(request.headers.get('authorization')))) {
      response = new Response('Unauthorized\n', {
        status: 401,
        headers: { 'www-authenticate': 'Basic', 'content-type': 'text/plain; charset=utf-8' },
      });
    } else {
      response = await fetch(request);
    }
    if (headers.length === 0) return response;
    try {
      for (const [name, value] of headers) response.headers.set(name, value);
      return response;
    } catch {
      // Some responses have immutable headers; a copy carries the same body.
      const copy = new Headers(response.headers);
      for (const [name, value] of headers) copy.set(name, value);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers: copy });
    }
  };
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
