/**
 * Serves a rotated certificate without a restart, as the exporter-toolkit does: when a new
 * connection arrives and the certificate, key or client CA file has changed since it was last
 * read, the files are read again and the secure context replaced. Files are looked at no more
 * than once a second, however many connections arrive. A rotation caught half-written (a key
 * that does not match the certificate yet) keeps the previous pair and is tried again.
 */
import { statSync } from 'node:fs';
import type { SecureContextOptions, Server as TlsServer } from 'node:tls';
import { secureContextOptions, type TlsSettings } from '../../config/web-config.js';
import type { Logger } from '../../log.js';
import { MAX_FILE_BYTES, readSmallFile } from '../../util/read-file.js';

export const RELOAD_CHECK_INTERVAL_MS = 1_000;

export interface CertificateReloadOptions {
  readonly logger: Logger;
  /** Wall or monotonic clock in ms. */
  readonly now?: () => number;
  readonly readFile?: (path: string) => string;
  /** A file's modification time, or undefined when it is missing. */
  readonly modifiedAt?: (path: string) => number | undefined;
}

/** Returns the check to run on every new connection; a no-op when nothing came from a file. */
export function certificateReloader(
  tls: TlsSettings,
  apply: (options: SecureContextOptions) => void,
  options: CertificateReloadOptions,
): () => void {
  const files = [tls.certFile, tls.keyFile, tls.clientCaFile].filter((f): f is string => f !== undefined);
  if (files.length === 0) return () => undefined;
  const now = options.now ?? Date.now;
  const readFile = options.readFile ?? ((path: string) => readSmallFile(path, MAX_FILE_BYTES.certificate));
  const modifiedAt = options.modifiedAt ?? ((path: string) => statSync(path, { throwIfNoEntry: false })?.mtimeMs);
  const stamp = (): string => files.map((f) => modifiedAt(f) ?? 'missing').join(',');
  let seen = stamp();
  let checkedAt = now();
  return () => {
    const time = now();
    if (time - checkedAt < RELOAD_CHECK_INTERVAL_MS) return;
    checkedAt = time;
    const current = stamp();
    if (current === seen) return;
    seen = current;
    try {
      const cert = tls.certFile !== undefined ? readFile(tls.certFile) : tls.cert;
      const key = tls.keyFile !== undefined ? readFile(tls.keyFile) : tls.key;
      const clientCa = tls.clientCaFile !== undefined ? readFile(tls.clientCaFile) : tls.clientCa;
      apply(secureContextOptions({ ...tls, cert, key, clientCa }));
      options.logger.info('reloaded the TLS certificate', { cert_file: tls.certFile ?? null });
    } catch (error) {
      // Forget what was seen, so the next check reads the files again.
      seen = '';
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      options.logger.warn('could not reload the TLS certificate; serving the previous one', { error: message });
    }
  };
}

/** Checks for a rotated certificate on every new connection to the server. */
export function reloadCertificatesOnConnection(server: TlsServer, tls: TlsSettings, options: CertificateReloadOptions): void {
  const check = certificateReloader(tls, (context) => server.setSecureContext(context), options);
  server.prependListener('connection', check);
}
