/**
 * Where the exporter listens: the address (an IP literal or a plausible host name), and the
 * one line that says why listening failed, naming the setting to change.
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
    return fail('must be an address without a port: give the port in PORT', text);
  }
  if (HOST_NAME.test(text) && !/^[\d.]+$/.test(text)) return text;
  return fail('must be an IP address or a host name, such as 0.0.0.0, ::, 127.0.0.1 or localhost', text);
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
