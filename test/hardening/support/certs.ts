/**
 * Throwaway certificates made with the openssl CLI at test time, so no key material is ever
 * committed: a CA, a server certificate it signed for 127.0.0.1 and localhost, a client
 * certificate it signed, and a self-signed server certificate nobody trusts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TestCerts {
  readonly dir: string;
  readonly ca: Pem;
  /** Signed by `ca`, for IP 127.0.0.1 and DNS localhost. */
  readonly server: Pem;
  /** Signed by `ca`, for client authentication. */
  readonly client: Pem;
  /** Self-signed for 127.0.0.1: what a server without a trusted certificate presents. */
  readonly selfSigned: Pem;
  /** A second CA that signed nothing we trust, and a client certificate it signed. */
  readonly strangerClient: Pem;
  remove(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** EC keys: generated in milliseconds, where RSA would cost the test seconds. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'orq-certs-'));
  const pem = (name: string): Pem => ({
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    certFile: join(dir, `${name}.crt`),
    keyFile: join(dir, `${name}.key`),
  });
  const ca = (name: string): void =>
    openssl(
      ['req', '-x509', ...NEW_KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      dir,
    );
  const signed = (name: string, by: string, ext: string): void => {
    writeFileSync(join(dir, `${name}.ext`), `${ext}\nbasicConstraints=CA:FALSE\n`);
    openssl(['req', ...NEW_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
    openssl(
      ['x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.crt`, '-CAkey', `${by}.key`, '-CAcreateserial',
        '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`],
      dir,
    );
  };
  ca('ca');
  ca('stranger-ca');
  signed('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth');
  signed('client', 'ca', 'subjectAltName=DNS:scraper.example\nextendedKeyUsage=clientAuth');
  signed('stranger-client', 'stranger-ca', 'subjectAltName=DNS:intruder.example\nextendedKeyUsage=clientAuth');
  openssl(
    ['req', '-x509', ...NEW_KEY, '-keyout', 'self.key', '-out', 'self.crt', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    dir,
  );
  return {
    dir,
    ca: pem('ca'),
    server: pem('server'),
    client: pem('client'),
    selfSigned: pem('self'),
    strangerClient: pem('stranger-client'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
