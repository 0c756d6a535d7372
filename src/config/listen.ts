/**
 * Where the exporter listens: the address (an IP literal or a plausible host name), the
 * metrics path, and the one line that says why listening failed, naming the setting to change.
 */
import { isIP } from 'node:net';
import type { Fail } from './values.js';

/** RFC 1123 labels; underscores too, as Docker service names have them. */
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** The address to bind (brackets around an IPv6 literal dropped), or a problem. */
export function listenAddress(text: string, fail: Fail): string | undefined {
  const bracketed = /^\[(.*)\]$/.exec(text)?.[1];
  if (bracketed !== undefined) {
    return isIP(bracketed) === 6 ? bracketed : fail('must be an IPv6 address inside [ and ], or an address without them', text);
  }
  if (isIP(text) !== 0) return text;
  if (/^[^:]+:\d+$/.test(text) || /^\[.*\]:\d+$/.test(text)) {
    return fail('must be an address without a port: give the port in PORT, or both in --web.listen-address=host:port', text);
  }
  if (HOST_NAME.test(text) && !/^[\d.]+$/.test(text)) return text;
  return fail('must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost', text);
}

/** Paths the exporter serves besides the metrics, which the metrics path must not take. */
export const RESERVED_PATHS = ['/', '/healthz', '/readyz'] as const;
/** Prometheus keeps `/-/` for lifecycle endpoints (`/-/reload`); so does this exporter. */
export const LIFECYCLE_PREFIX = '/-/';

/** One or more segments of RFC 3986 path characters, no `%` escapes, no `.` or `..` segments, no empty segment but a trailing one. */
const PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)+\/?$/;
const MAX_PATH = 256;

export function telemetryPath(text: string, fail: Fail): string | undefined {
  if (!text.startsWith('/')) return fail('must start with /', text);
  if ((RESERVED_PATHS as readonly string[]).includes(text)) return fail(`must not be ${text}, which the exporter serves itself`, text);
  if (text.startsWith(LIFECYCLE_PREFIX)) return fail(`must not be under ${LIFECYCLE_PREFIX}, kept for lifecycle endpoints such as /-/reload`, text);
  if (text.length > MAX_PATH || !PATH.test(text) || text.split('/').some((segment) => segment === '.' || segment === '..')) {
    return fail(`must be a plain path of letters, digits and -._~ such as /metrics, at most ${MAX_PATH} characters`, text);
  }
  return text;
}

export interface ListenLabels {
  /** How the user named the address and the port: their flag spellings or environment variables. */
  readonly address: string;
  readonly port: string;
}

/**
 * The one line for a failure to listen, naming the setting to change; undefined for an error
 * that is not about the address or the port.
 */
export function listenFailure(error: unknown, address: string, port: number, labels: ListenLabels): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${labels.port}: port ${port} is already in use on ${address} (EADDRINUSE)`;
    case 'EACCES':
      return `${labels.port}: not allowed to listen on ${where} (EACCES; ports below 1024 need privileges)`;
    case 'EADDRNOTAVAIL':
      return `${labels.address}: ${address} is not an address of this machine (EADDRNOTAVAIL)`;
    case 'EAFNOSUPPORT':
      return `${labels.address}: this machine has no ${isIP(address) === 6 ? 'IPv6' : 'such'} network for ${address} (EAFNOSUPPORT)`;
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'ENODATA':
      return `${labels.address}: the host name ${JSON.stringify(address)} does not resolve (${code})`;
    default: {
      const syscall = typeof error === 'object' && error !== null && 'syscall' in error ? String(error.syscall) : undefined;
      if (syscall !== 'listen' && syscall !== 'bind' && syscall !== 'getaddrinfo') return undefined;
      return `${labels.address}, ${labels.port}: cannot listen on ${where} (${code ?? 'unknown error'})`;
    }
  }
}
