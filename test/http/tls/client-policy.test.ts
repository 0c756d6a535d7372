/**
 * client_auth_type and client_allowed_sans: the decision on a finished handshake for every
 * kind of peer, then over real TLS connections with certificates openssl made for the test.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TlsSettings } from '../../../src/config/web-config.js';
import { acceptClient, subjectAltNames, type PeerCertificateView } from '../../../src/http/tls/client-policy.js';
import { makeCerts, type TestCerts } from '../../hardening/support/certs.js';
import { httpsClient, serveApp, webConfigIn, type Served } from '../support/serve.js';

type Policy = Pick<TlsSettings, 'clientAuth' | 'clientAllowedSans'>;
const peer = (cert: { subjectaltname?: string } | null | undefined, authorized: boolean): PeerCertificateView => ({
  authorized,
  getPeerCertificate: () => cert,
});
const NONE = [peer(null, false), peer(undefined, false), peer({}, false)];
const VERIFIED = peer({ subjectaltname: 'DNS:scraper.example, IP Address:10.0.0.1' }, true);
const UNVERIFIED = peer({ subjectaltname: 'DNS:scraper.example' }, false);
const OTHER_SAN = peer({ subjectaltname: 'DNS:intruder.example' }, true);
const NO_SAN = peer({}, true);

describe('acceptClient', () => {
  const cases: ReadonlyArray<readonly [string, Policy, PeerCertificateView, boolean]> = [
    ...NONE.map((p) => ['NoClientCert, no certificate', { clientAuth: 'NoClientCert', clientAllowedSans: undefined }, p, true] as const),
    ['NoClientCert, an unverified certificate', { clientAuth: 'NoClientCert', clientAllowedSans: undefined }, UNVERIFIED, true],
    ...NONE.map((p) => ['RequestClientCert, no certificate', { clientAuth: 'RequestClientCert', clientAllowedSans: undefined }, p, true] as const),
    ['RequestClientCert, an unverified certificate', { clientAuth: 'RequestClientCert', clientAllowedSans: undefined }, UNVERIFIED, true],
    ...NONE.map((p) => ['RequireAnyClientCert, no certificate', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: undefined }, p, false] as const),
    ['RequireAnyClientCert, an unverified certificate', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: undefined }, UNVERIFIED, true],
    ...NONE.map((p) => ['VerifyClientCertIfGiven, no certificate', { clientAuth: 'VerifyClientCertIfGiven', clientAllowedSans: undefined }, p, true] as const),
    ['VerifyClientCertIfGiven, a verified certificate', { clientAuth: 'VerifyClientCertIfGiven', clientAllowedSans: undefined }, VERIFIED, true],
    ['VerifyClientCertIfGiven, an unverified certificate', { clientAuth: 'VerifyClientCertIfGiven', clientAllowedSans: undefined }, UNVERIFIED, false],
    ['RequireAndVerifyClientCert, a verified certificate', { clientAuth: 'RequireAndVerifyClientCert', clientAllowedSans: undefined }, VERIFIED, true],
    ['allowed SANs, one of them present', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: ['nope', 'scraper.example'] }, VERIFIED, true],
    ['allowed SANs, matched by IP', { clientAuth: 'RequireAndVerifyClientCert', clientAllowedSans: ['10.0.0.1'] }, VERIFIED, true],
    ['allowed SANs, another SAN', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: ['scraper.example'] }, OTHER_SAN, false],
    ['allowed SANs, a certificate without SANs', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: ['scraper.example'] }, NO_SAN, false],
    ['allowed SANs, a prefix of a SAN', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: ['scraper'] }, VERIFIED, false],
    ['allowed SANs, no certificate', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: ['scraper.example'] }, NONE[0]!, false],
    ['an empty list of allowed SANs', { clientAuth: 'RequireAnyClientCert', clientAllowedSans: [] }, VERIFIED, false],
  ];
  it.each(cases)('%s', (_name, policy, socket, accepted) => {
    expect(acceptClient(policy, socket)).toBe(accepted);
  });

  it('subjectAltNames strips the kind of every entry', () => {
    expect(subjectAltNames('DNS:a.example, IP Address:127.0.0.1, URI:spiffe://x/y, email:me@x')).toEqual(['a.example', '127.0.0.1', 'spiffe://x/y', 'me@x']);
    expect(subjectAltNames('')).toEqual([]);
    expect(subjectAltNames(undefined)).toEqual([]);
  });
});

describe('over real TLS connections', () => {
  const certs: TestCerts = makeCerts();
  afterAll(() => certs.remove());
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });
  async function serve(yaml: string): Promise<Served> {
    const served = await serveApp(webConfigIn(certs.dir, yaml));
    cleanup.push(() => served.close());
    return served;
  }
  function client(options: { cert?: string; key?: string } = {}) {
    const c = httpsClient(certs.ca.cert, options);
    cleanup.push(() => c.close());
    return c.get;
  }
  const TLS = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';
  const own = { cert: certs.client.cert, key: certs.client.key };
  const stranger = { cert: certs.strangerClient.cert, key: certs.strangerClient.key };

  it('RequireAndVerifyClientCert: only a certificate from the client CA gets through', async () => {
    const url = `${(await serve(`${TLS}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n`)).url}/healthz`;
    expect((await client(own)(url)).status).toBe(200);
    await expect(client()(url)).rejects.toThrow();
    await expect(client(stranger)(url)).rejects.toThrow();
  });

  it('RequireAnyClientCert with client_allowed_sans: any certificate, but only with an allowed SAN', async () => {
    const url = `${(await serve(`${TLS}  client_auth_type: RequireAnyClientCert\n  client_allowed_sans: [scraper.example]\n`)).url}/healthz`;
    expect((await client(own)(url)).status).toBe(200);
    await expect(client(stranger)(url)).rejects.toThrow();
    await expect(client()(url)).rejects.toThrow();
  });

  it('VerifyClientCertIfGiven: no certificate is fine, an unverifiable one is not', async () => {
    const url = `${(await serve(`${TLS}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n`)).url}/healthz`;
    expect((await client()(url)).status).toBe(200);
    expect((await client(own)(url)).status).toBe(200);
    await expect(client(stranger)(url)).rejects.toThrow();
  });

  it('RequestClientCert: every client gets through, with or without a certificate', async () => {
    const url = `${(await serve(`${TLS}  client_auth_type: RequestClientCert\n`)).url}/healthz`;
    for (const options of [{}, own, stranger]) expect((await client(options)(url)).status).toBe(200);
  });
});
