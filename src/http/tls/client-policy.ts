/**
 * client_auth_type and client_allowed_sans, for what the handshake cannot check by itself: a
 * certificate that must be present but need not verify, one that must verify only if given,
 * and the SANs a certificate must carry. A client that fails is disconnected before it can
 * send a request, as Go's TLS server refuses it in the handshake.
 */
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { TlsSettings } from '../../config/web-config.js';

/** What the policy reads of a finished handshake (a TLSSocket, or a stand-in in tests). */
export interface PeerCertificateView {
  readonly authorized: boolean;
  getPeerCertificate(): { readonly subjectaltname?: string | undefined } | null | undefined;
}

type ClientPolicy = Pick<TlsSettings, 'clientAuth' | 'clientAllowedSans'>;

/** Whether a client that finished the handshake may send requests. */
export function acceptClient(tls: ClientPolicy, socket: PeerCertificateView): boolean {
  const cert = socket.getPeerCertificate();
  const presented = cert !== null && cert !== undefined && Object.keys(cert).length > 0;
  if (tls.clientAuth === 'RequireAnyClientCert' && !presented) return false;
  if (tls.clientAuth === 'VerifyClientCertIfGiven' && presented && !socket.authorized) return false;
  if (tls.clientAllowedSans !== undefined) {
    if (!presented) return false;
    const allowed = tls.clientAllowedSans;
    if (!subjectAltNames(cert.subjectaltname).some((san) => allowed.includes(san))) return false;
  }
  return true;
}

/** `DNS:a.example, IP Address:127.0.0.1` as Node reports it, to the bare names. */
export function subjectAltNames(field: string | undefined): string[] {
  if (field === undefined || field === '') return [];
  return field.split(', ').map((entry) => entry.slice(entry.indexOf(':') + 1));
}

/** Disconnects every client that the policy refuses, before its first request is read. */
export function enforceClientPolicy(server: TlsServer, tls: ClientPolicy): void {
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    if (!acceptClient(tls, socket)) socket.destroy();
  });
}
