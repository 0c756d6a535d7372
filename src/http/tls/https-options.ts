/**
 * The node:https server options for the web config's TLS settings: the secure context, and
 * what the handshake itself can enforce of the client-certificate policy.
 */
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { secureContextOptions, type TlsSettings } from '../../config/web-config.js';

export function httpsServerOptions(tls: TlsSettings): HttpsServerOptions {
  return {
    ...secureContextOptions(tls),
    requestCert: tls.clientAuth !== 'NoClientCert',
    // Node can only either verify every client certificate at handshake time or none; the
    // other policies are checked once the handshake is done (client-policy.ts).
    rejectUnauthorized: tls.clientAuth === 'RequireAndVerifyClientCert',
  };
}
