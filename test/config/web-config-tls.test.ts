/**
 * tls_server_config: the toolkit's TLS settings into Node's, each problem named by its field,
 * certificate files read as small regular files, and OpenSSL asked before anything listens.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWebConfig, secureContextOptions, type TlsSettings } from '../../src/config/web-config.js';
import { MAX_FILE_BYTES } from '../../src/util/read-file.js';
import { makeCerts, type TestCerts } from '../hardening/support/certs.js';

const certs: TestCerts = makeCerts();
afterAll(() => certs.remove());

function load(yaml: string) {
  const path = join(certs.dir, 'web.yml');
  writeFileSync(path, yaml);
  return loadWebConfig(path);
}

function tlsOf(yaml: string): TlsSettings {
  const result = load(yaml);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  if (result.config.tls === undefined) throw new Error('TLS is off');
  return result.config.tls;
}

function errorsOf(yaml: string): readonly string[] {
  const result = load(yaml);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
}

const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as unknown as string;
const PAIR = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';

describe('tls_server_config', () => {
  it('reads every setting, with paths relative to the file and Go names turned into OpenSSL ones', () => {
    const tls = tlsOf(`
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  client_allowed_sans: [scraper.example]
  min_version: TLS13
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
`);
    expect(tls).toMatchObject({
      certFile: certs.server.certFile,
      keyFile: certs.server.keyFile,
      clientCaFile: certs.ca.certFile,
      clientAuth: 'RequireAndVerifyClientCert',
      clientAllowedSans: ['scraper.example'],
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
      ecdhCurve: 'X25519:P-256',
      honorCipherOrder: true,
    });
    expect(tls.cert).toBe(certs.server.cert);
    expect(tls.key).toBe(certs.server.key);
    expect(tls.clientCa).toBe(certs.ca.cert);
    expect(Object.isFrozen(tls)).toBe(true);
  });

  it('defaults to TLS 1.2 to 1.3, no client certificate, OpenSSL ciphers and curves, server order', () => {
    expect(tlsOf(PAIR)).toEqual({
      cert: certs.server.cert,
      key: certs.server.key,
      certFile: certs.server.certFile,
      keyFile: certs.server.keyFile,
      clientAuth: 'NoClientCert',
      clientCa: undefined,
      clientCaFile: undefined,
      clientAllowedSans: undefined,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: undefined,
      ecdhCurve: undefined,
      honorCipherOrder: true,
    });
  });

  it('takes the certificate and key inline, and the old name RequireClientCert', () => {
    const inline = (pem: string): string => pem.trim().split('\n').map((l) => `    ${l}`).join('\n');
    const tls = tlsOf(`tls_server_config:\n  cert: |\n${inline(certs.server.cert)}\n  key: |\n${inline(certs.server.key)}\n  client_auth_type: RequireClientCert\n  prefer_server_cipher_suites: false\n`);
    expect(tls).toMatchObject({ certFile: undefined, keyFile: undefined, clientAuth: 'RequireAnyClientCert', honorCipherOrder: false });
    expect(tls.cert.trim()).toBe(certs.server.cert.trim());
  });

  it('secureContextOptions gives OpenSSL exactly the settings, which it accepts', () => {
    const tls = tlsOf(`${PAIR}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n  curve_preferences: [CurveP384]\n  max_version: TLS12\n`);
    const options = secureContextOptions(tls);
    expect(options).toEqual({
      cert: certs.server.cert,
      key: certs.server.key,
      ca: certs.ca.cert,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
      ecdhCurve: 'P-384',
      honorCipherOrder: true,
    });
    expect(() => createSecureContext(options)).not.toThrow();
  });

  it('reads certificate files as small regular files only', () => {
    const fifo = join(certs.dir, 'cert.fifo');
    execFileSync('mkfifo', [fifo]);
    const big = join(certs.dir, 'big.crt');
    writeFileSync(big, 'x'.repeat(MAX_FILE_BYTES.certificate + 1));
    expect(errorsOf(`tls_server_config:\n  cert_file: ${fifo}\n  key_file: /dev/zero\n`)).toEqual([
      `WEB_CONFIG_FILE: tls_server_config.cert_file: cannot read ${JSON.stringify(fifo)} (not a regular file)`,
      'WEB_CONFIG_FILE: tls_server_config.key_file: cannot read "/dev/zero" (not a regular file)',
    ]);
    expect(errorsOf(`tls_server_config:\n  cert_file: big.crt\n  key_file: server.key\n`)).toEqual([
      `WEB_CONFIG_FILE: tls_server_config.cert_file: cannot read ${JSON.stringify(big)} (larger than 1 MiB)`,
    ]);
  });

  const table: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ['a certificate file that is not there', 'tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key\n', [`WEB_CONFIG_FILE: tls_server_config.cert_file: cannot read "${join(certs.dir, 'missing.crt')}" (ENOENT)`]],
    ['a certificate without a key', 'tls_server_config:\n  cert_file: server.crt\n', ['WEB_CONFIG_FILE: tls_server_config: needs key_file (or key) to serve TLS']],
    ['a key without a certificate', 'tls_server_config:\n  key_file: server.key\n', ['WEB_CONFIG_FILE: tls_server_config: needs cert_file (or cert) to serve TLS']],
    ['both a file and inline', 'tls_server_config:\n  cert_file: server.crt\n  cert: inline\n  key_file: server.key\n', ['WEB_CONFIG_FILE: tls_server_config: set either cert_file or cert, not both']],
    ['a section that is not a mapping', 'tls_server_config: [server.crt]\n', ['WEB_CONFIG_FILE: tls_server_config: must be a mapping']],
    ['a path that is not a string', 'tls_server_config:\n  cert_file: [a]\n  key_file: 12\n', [
      'WEB_CONFIG_FILE: tls_server_config.cert_file: must be a string (got a list)',
      'WEB_CONFIG_FILE: tls_server_config.key_file: must be a string (got a number)',
    ]],
    ['an unknown TLS field', `${PAIR}  certfile: x\n`, [matching(/^WEB_CONFIG_FILE: tls_server_config\.certfile: unknown field \(expected one of cert_file, key_file, /)]],
    ['an unknown client auth type', `${PAIR}  client_auth_type: Yes\n`, ['WEB_CONFIG_FILE: tls_server_config.client_auth_type: must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert (got "Yes")']],
    ['a client CA without a client auth policy', `${PAIR}  client_ca_file: ca.crt\n`, ['WEB_CONFIG_FILE: tls_server_config.client_ca_file: a client CA without client_auth_type would never be used; set client_auth_type']],
    ['verification without a CA', `${PAIR}  client_auth_type: RequireAndVerifyClientCert\n`, ['WEB_CONFIG_FILE: tls_server_config.client_auth_type: RequireAndVerifyClientCert needs client_ca_file (or client_ca) to verify against']],
    ['allowed SANs where a certificate is optional', `${PAIR}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n  client_allowed_sans: [a]\n`, ['WEB_CONFIG_FILE: tls_server_config.client_allowed_sans: needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert']],
    ['allowed SANs that are not strings', `${PAIR}  client_auth_type: RequireAnyClientCert\n  client_allowed_sans: [1, {a: b}]\n`, ['WEB_CONFIG_FILE: tls_server_config.client_allowed_sans: must be a list of strings']],
    ['an unknown TLS version, and min above max', `${PAIR}  min_version: TLS14\n  max_version: TLS11\n`, ['WEB_CONFIG_FILE: tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13 (got "TLS14")', 'WEB_CONFIG_FILE: tls_server_config.min_version: is above max_version']],
    ['versions, suites and curves named like object properties', `${PAIR}  min_version: constructor\n  cipher_suites: [toString]\n  curve_preferences: [__proto__]\n`, [
      'WEB_CONFIG_FILE: tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13 (got "constructor")',
      matching(/^WEB_CONFIG_FILE: tls_server_config\.cipher_suites: unknown cipher suite "toString" \(known: /),
      matching(/^WEB_CONFIG_FILE: tls_server_config\.curve_preferences: unknown curve "__proto__" \(known: /),
    ]],
    ['an unknown cipher suite and curve', `${PAIR}  cipher_suites: [RC4]\n  curve_preferences: [P256]\n`, [matching(/^WEB_CONFIG_FILE: tls_server_config\.cipher_suites: unknown cipher suite "RC4" \(known: /), 'WEB_CONFIG_FILE: tls_server_config.curve_preferences: unknown curve "P256" (known: CurveP256, CurveP384, CurveP521, X25519)']],
    ['empty lists of suites and curves', `${PAIR}  cipher_suites: []\n  curve_preferences: x\n`, ['WEB_CONFIG_FILE: tls_server_config.cipher_suites: must be a non-empty list', 'WEB_CONFIG_FILE: tls_server_config.curve_preferences: must be a non-empty list']],
    ['prefer_server_cipher_suites that is not a boolean', `${PAIR}  prefer_server_cipher_suites: "no"\n`, ['WEB_CONFIG_FILE: tls_server_config.prefer_server_cipher_suites: must be true or false']],
    ['a certificate and a key that do not belong together', 'tls_server_config:\n  cert_file: server.crt\n  key_file: self.key\n', [matching(/^WEB_CONFIG_FILE: tls_server_config: cert_file and key_file are not a usable certificate and key pair \(.+\)$/)]],
    ['inline text that is no certificate', 'tls_server_config:\n  cert: not a certificate\n  key: not a key\n', [matching(/^WEB_CONFIG_FILE: tls_server_config: cert and key are not a usable certificate and key pair \(.+\)$/)]],
    ['TLS settings without TLS', 'tls_server_config:\n  min_version: TLS13\n', ['WEB_CONFIG_FILE: tls_server_config.min_version: set without cert_file and key_file, so TLS is off']],
  ];

  it.each(table)('refuses %s, naming the field', (_name, yaml, expected) => {
    expect(errorsOf(yaml)).toEqual(expected);
  });

  it('never quotes an inline key in an error', () => {
    const errors = errorsOf(`tls_server_config:\n  cert: |\n    -----BEGIN CERTIFICATE-----\n    c2VjcmV0LWtleS1tYXRlcmlhbA==\n    -----END CERTIFICATE-----\n  key: "PRIVATE-secret-key-material"\n`);
    expect(errors.join('\n')).not.toContain('secret-key-material');
    expect(errors.join('\n')).not.toContain('c2VjcmV0LWtleS1tYXRlcmlhbA');
  });
});
