/** Where the exporter listens: an IP literal or a plausible host name. */
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
