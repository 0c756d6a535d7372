/** What the handshake enforces of each client_auth_type, on top of the secure context. */
import { describe, expect, it } from 'vitest';
import { CLIENT_AUTH_TYPES, secureContextOptions, type ClientAuthType, type TlsSettings } from '../../../src/config/web-config.js';
import { httpsServerOptions } from '../../../src/http/tls/https-options.js';

const base: TlsSettings = {
  cert: 'CERT',
  key: 'KEY',
  certFile: undefined,
  keyFile: undefined,
  clientAuth: 'NoClientCert',
  clientCa: 'CA',
  clientCaFile: undefined,
  clientAllowedSans: undefined,
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  ciphers: 'AES128-SHA',
  ecdhCurve: 'P-256',
  honorCipherOrder: false,
};

describe('httpsServerOptions', () => {
  const expected: Record<ClientAuthType, { requestCert: boolean; rejectUnauthorized: boolean }> = {
    NoClientCert: { requestCert: false, rejectUnauthorized: false },
    RequestClientCert: { requestCert: true, rejectUnauthorized: false },
    RequireAnyClientCert: { requestCert: true, rejectUnauthorized: false },
    VerifyClientCertIfGiven: { requestCert: true, rejectUnauthorized: false },
    RequireAndVerifyClientCert: { requestCert: true, rejectUnauthorized: true },
  };

  it.each(CLIENT_AUTH_TYPES)('%s: asks for a certificate when the policy wants one, verifies in the handshake only when every client must have a valid one', (clientAuth) => {
    const options = httpsServerOptions({ ...base, clientAuth });
    expect({ requestCert: options.requestCert, rejectUnauthorized: options.rejectUnauthorized }).toEqual(expected[clientAuth]);
  });

  it('carries the whole secure context', () => {
    expect(httpsServerOptions(base)).toMatchObject(secureContextOptions(base));
  });
});
