/**
 * The health probe the Docker image and the Kubernetes manifests run inside the container:
 * `node dist/src/http/probe-cli.js /healthz` (or `/readyz`). It works whatever the web config
 * says, without reading it:
 *
 * - plain HTTP first; if the exporter answers that it speaks TLS (its 400 to plain HTTP), the
 *   same request over TLS, without checking the certificate: this is the container asking
 *   itself on loopback, not a client deciding whom to trust;
 * - with basic auth on, the path itself is checked with `--credentials-file` (a file holding
 *   `user:password`, such as a mounted secret); without one, a 401 still proves the exporter
 *   is up and answering, which is what a liveness check needs;
 * - a TLS port that requires client certificates cannot be asked at all; its 400 to plain
 *   HTTP is taken as the same proof.
 *
 * Exit code 0 when healthy, 1 otherwise, with one line on stdout saying why (Docker and
 * Kubernetes show it). Imports nothing of the exporter but the file reader, so it starts fast.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { cannotRead } from '../util/cannot-read.js';
import { MAX_FILE_BYTES, readSmallFile } from '../util/read-file.js';

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** `user:password` for basic auth. */
  readonly credentials?: string | undefined;
  readonly timeoutMs?: number;
}

export interface ProbeResult {
  readonly healthy: boolean;
  readonly reason: string;
}

/** What one request got: an HTTP answer, or why there was none. */
type Answer = { readonly status: number; readonly body: string } | { readonly error: string };

const PLAIN_HTTP_ON_TLS = 'Client sent an HTTP request to an HTTPS server.';

export async function probe(target: ProbeTarget): Promise<ProbeResult> {
  const plain = await ask('http', target);
  if ('error' in plain) return { healthy: false, reason: `no answer on ${target.host}:${target.port}: ${plain.error}` };
  if (!(plain.status === 400 && plain.body.includes(PLAIN_HTTP_ON_TLS))) return judge(plain, target, 'http');
  const secure = await ask('https', target);
  if ('error' in secure) {
    // The plain answer came from the exporter's own event loop: it is up, but asks for a
    // client certificate this probe does not have.
    return { healthy: true, reason: `up (answers on TLS; ${target.path} not checked: ${secure.error})` };
  }
  return judge(secure, target, 'https');
}

function judge(answer: { status: number; body: string }, target: ProbeTarget, scheme: string): ProbeResult {
  const what = `${scheme} ${target.path}: ${answer.status}`;
  if (answer.status === 200) return { healthy: true, reason: what };
  if (answer.status === 401 && target.credentials === undefined) {
    return { healthy: true, reason: `up (${what}: basic auth is on; give --credentials-file to check ${target.path} itself)` };
  }
  const line = answer.body.split('\n')[0]?.slice(0, 200) ?? '';
  return { healthy: false, reason: line === '' ? what : `${what} ${line}` };
}

function ask(scheme: 'http' | 'https', target: ProbeTarget): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (target.credentials !== undefined) headers['authorization'] = `Basic ${Buffer.from(target.credentials).toString('base64')}`;
    const options = { host: target.host, port: target.port, path: target.path, method: 'GET', headers, timeout: target.timeoutMs ?? 4_000 };
    const req =
      scheme === 'http'
        ? httpRequest(options)
        : // Loopback to itself: the certificate is the exporter's own, whoever signed it.
          httpsRequest({ ...options, rejectUnauthorized: false });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        // The answers are a line or a page; anything longer is cut, not kept.
        if (size < 4_096) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${options.timeout} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** The address to ask: the listen address, or loopback when it listens everywhere. */
export function probeHost(listenAddress: string | undefined): string {
  if (listenAddress === undefined || listenAddress === '' || listenAddress === '0.0.0.0') return '127.0.0.1';
  if (listenAddress === '::' || listenAddress === '[::]') return '::1';
  return listenAddress.replace(/^\[(.*)\]$/, '$1');
}

/** `probe-cli.js <path> [--credentials-file FILE]`, the port and address from PORT and LISTEN_ADDRESS as the exporter reads them. */
export function probeTargetFrom(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ProbeTarget {
  let path = '/healthz';
  let credentialsFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--credentials-file') {
      credentialsFile = argv[++i];
      if (credentialsFile === undefined) throw new Error('--credentials-file needs a file');
    }
    else if (arg.startsWith('--credentials-file=')) credentialsFile = arg.slice('--credentials-file='.length);
    else if (arg.startsWith('/')) path = arg;
    else throw new Error(`unknown argument ${JSON.stringify(arg)} (usage: probe-cli.js [/path] [--credentials-file FILE])`);
  }
  const port = Number(env['PORT'] ?? 9877);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT: must be a port number (got ${JSON.stringify(env['PORT'])})`);
  return { host: probeHost(env['LISTEN_ADDRESS']), port, path, credentials: credentialsFile === undefined ? undefined : readCredentials(credentialsFile) };
}

function readCredentials(path: string): string {
  let text: string;
  try {
    text = readSmallFile(path, MAX_FILE_BYTES.token).trim();
  } catch (error) {
    throw new Error(`--credentials-file: ${cannotRead(path, error)}`);
  }
  if (!text.includes(':')) throw new Error(`--credentials-file: ${JSON.stringify(path)} must hold user:password`);
  return text;
}

/** The command line: the exit code, after one line on `write` saying why. */
export async function runProbe(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, write: (line: string) => void): Promise<number> {
  let target: ProbeTarget;
  try {
    target = probeTargetFrom(argv, env);
  } catch (error) {
    write(`probe: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const result = await probe(target);
  write(`probe: ${result.reason}\n`);
  return result.healthy ? 0 : 1;
}
