/**
 * The HTTP layer on loopback as the exporter wires it (createApp served by listen), over a
 * fixed body, and clients for it: undici with the test CA, with or without a client
 * certificate, and a raw socket.
 */
import { writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { Agent, fetch as undiciFetch } from 'undici';
import { loadWebConfig, type WebConfig } from '../../../src/config/web-config.js';
import { metricsBody } from '../../../src/exposition/body.js';
import { createApp, type AppDeps } from '../../../src/http/app.js';
import { listen, type Listening } from '../../../src/http/server.js';
import { silentLogger, type Logger } from '../../../src/log.js';

export const METRICS_TEXT = '# HELP a b\n# TYPE a gauge\na 1\n';

/** A web config from YAML, written into `dir` (where the test certificates are) so relative paths resolve. */
export function webConfigIn(dir: string, yaml: string): WebConfig {
  const path = join(dir, `web-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(path, yaml);
  const result = loadWebConfig(path);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

export interface Served extends Listening {
  readonly url: string;
}

export async function serveApp(
  web: WebConfig | undefined,
  options: { readonly deps?: Partial<AppDeps>; readonly logger?: Logger; readonly now?: () => number } = {},
): Promise<Served> {
  const app = createApp({
    metricsBody: async (encoding) => metricsBody([encoding === 'gzip' ? gzipSync(METRICS_TEXT) : Buffer.from(METRICS_TEXT)]),
    workspaces: () => [{ name: 'test', baseUrl: 'https://api.orq.ai', keys: 1, lastSuccess: '2026-01-01T00:00:00.000Z', lastError: undefined }],
    version: 'test',
    logger: silentLogger,
    webConfig: web,
    ...options.deps,
  });
  const listening = await listen({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', tls: web?.tls, logger: options.logger ?? silentLogger, now: options.now });
  return { ...listening, url: `${web?.tls === undefined ? 'http' : 'https'}://127.0.0.1:${listening.port}` };
}

export type Get = (url: string, headers?: Record<string, string>) => Promise<Response>;

/** An undici client trusting `ca`, optionally presenting a certificate or capping the TLS version. */
export function httpsClient(ca: string, options: Pick<ConnectionOptions, 'cert' | 'key' | 'maxVersion'> = {}): { get: Get; close(): Promise<void> } {
  const agent = new Agent({ connect: { ca, ...options } });
  return {
    get: async (url, headers = {}) => (await undiciFetch(url, { dispatcher: agent, headers })) as unknown as Response,
    close: () => agent.close(),
  };
}

export const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/** Sends raw bytes (in pieces, each written on its own) and collects everything until the server closes. */
export function rawExchange(port: number, pieces: readonly (string | Buffer)[], options: { readonly timeoutMs?: number } = {}): Promise<{ text: string; closedBy: 'server' | 'timeout' | 'error' }> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (closedBy: 'server' | 'timeout' | 'error'): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closedBy });
    };
    const timer = setTimeout(() => done('timeout'), options.timeoutMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => done('server'));
    socket.on('error', () => done('error'));
    socket.on('connect', async () => {
      for (const piece of pieces) {
        socket.write(piece);
        // Separate writes reach the server as separate reads.
        await new Promise((r) => setImmediate(r));
      }
    });
  });
}

/** The subject CN of the certificate a new TLS connection is shown. */
export function presentedCertificate(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(String(socket.getPeerCertificate().subject.CN));
      socket.end();
    });
    socket.on('error', reject);
  });
}
