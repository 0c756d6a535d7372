/**
 * Certificate rotation: checked at most once a second on an injected clock, reloaded only
 * when a file changed, a half-written rotation kept out and tried again; then for real, a
 * rotated file served to new connections.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import type { TlsSettings } from '../../../src/config/web-config.js';
import { createLogger } from '../../../src/log.js';
import { certificateReloader, RELOAD_CHECK_INTERVAL_MS } from '../../../src/http/tls/certificate-reload.js';
import { makeCerts, type TestCerts } from '../../hardening/support/certs.js';
import { presentedCertificate, serveApp, webConfigIn } from '../support/serve.js';

const settings: TlsSettings = {
  cert: 'CERT-1',
  key: 'KEY-1',
  certFile: '/certs/tls.crt',
  keyFile: '/certs/tls.key',
  clientAuth: 'NoClientCert',
  clientCa: undefined,
  clientCaFile: undefined,
  clientAllowedSans: undefined,
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  ciphers: undefined,
  ecdhCurve: undefined,
  honorCipherOrder: true,
};

/** Files as a map of path to [mtime, content]; a clock; what was applied and logged. */
function harness(tls: TlsSettings = settings) {
  const files = new Map<string, { mtime: number; text: string }>([
    ['/certs/tls.crt', { mtime: 1, text: 'CERT-1' }],
    ['/certs/tls.key', { mtime: 1, text: 'KEY-1' }],
    ['/certs/ca.crt', { mtime: 1, text: 'CA-1' }],
  ]);
  let clock = 1_000_000;
  const applied: SecureContextOptions[] = [];
  const logs: Array<{ level: string; msg: string }> = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as { level: string; msg: string }) });
  const reads: string[] = [];
  const check = certificateReloader(tls, (options) => applied.push(options), {
    logger,
    now: () => clock,
    readFile: (path) => {
      reads.push(path);
      const file = files.get(path);
      if (file === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return file.text;
    },
    modifiedAt: (path) => files.get(path)?.mtime,
  });
  return {
    files,
    applied,
    logs,
    reads,
    check,
    advance: (ms: number) => {
      clock += ms;
    },
    write: (path: string, text: string) => {
      const old = files.get(path);
      files.set(path, { mtime: (old?.mtime ?? 0) + 1, text });
    },
  };
}

describe('certificateReloader', () => {
  it('reloads a changed file at the first connection a second or more after the last check, not before', () => {
    const h = harness();
    h.write('/certs/tls.crt', 'CERT-2');
    h.write('/certs/tls.key', 'KEY-2');
    h.advance(RELOAD_CHECK_INTERVAL_MS - 1);
    h.check();
    expect(h.applied).toEqual([]);
    h.advance(1);
    h.check();
    expect(h.applied).toHaveLength(1);
    expect(h.applied[0]).toMatchObject({ cert: 'CERT-2', key: 'KEY-2' });
    expect(h.logs.map((l) => l.msg)).toEqual(['reloaded the TLS certificate']);
  });

  it('does not read anything while nothing changed, however many connections come', () => {
    const h = harness();
    for (let i = 0; i < 100; i++) {
      h.advance(RELOAD_CHECK_INTERVAL_MS / 10);
      h.check();
    }
    expect(h.reads).toEqual([]);
    expect(h.applied).toEqual([]);
  });

  it('looks at the files at most once a second under a burst of connections', () => {
    const h = harness();
    h.advance(RELOAD_CHECK_INTERVAL_MS);
    h.write('/certs/tls.crt', 'CERT-2');
    for (let i = 0; i < 1_000; i++) h.check();
    expect(h.applied).toHaveLength(1);
    h.write('/certs/tls.crt', 'CERT-3');
    for (let i = 0; i < 1_000; i++) h.check();
    expect(h.applied).toHaveLength(1);
    h.advance(RELOAD_CHECK_INTERVAL_MS);
    h.check();
    expect(h.applied.map((a) => a.cert)).toEqual(['CERT-2', 'CERT-3']);
  });

  it('keeps the previous pair through a half-written rotation and tries again at the next check', () => {
    const h = harness();
    h.advance(RELOAD_CHECK_INTERVAL_MS);
    h.files.delete('/certs/tls.key');
    h.write('/certs/tls.crt', 'CERT-2');
    h.check();
    expect(h.applied).toEqual([]);
    expect(h.logs.map((l) => [l.level, l.msg])).toEqual([['warn', 'could not reload the TLS certificate; serving the previous one']]);
    h.write('/certs/tls.key', 'KEY-2');
    h.advance(RELOAD_CHECK_INTERVAL_MS);
    h.check();
    expect(h.applied).toHaveLength(1);
    expect(h.applied[0]).toMatchObject({ cert: 'CERT-2', key: 'KEY-2' });
  });

  it('an apply that throws (a key that does not match yet) is a warning, then retried', () => {
    let fail = true;
    const tls = settings;
    const files = new Map([['/certs/tls.crt', 1], ['/certs/tls.key', 1]]);
    let clock = 0;
    const logs: string[] = [];
    const applied: string[] = [];
    const check = certificateReloader(
      tls,
      (options) => {
        if (fail) throw new Error('error:05800074:x509 certificate routines::key values mismatch\nmore');
        applied.push(String(options.cert));
      },
      { logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }), now: () => clock, readFile: () => 'PEM', modifiedAt: (p) => files.get(p) },
    );
    files.set('/certs/tls.crt', 2);
    clock += RELOAD_CHECK_INTERVAL_MS;
    check();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('key values mismatch');
    expect(logs[0]).not.toContain('more');
    fail = false;
    clock += RELOAD_CHECK_INTERVAL_MS;
    check();
    expect(applied).toEqual(['PEM']);
  });

  it('watches the client CA file too, and keeps inline values as they are', () => {
    const h = harness({ ...settings, keyFile: undefined, key: 'INLINE-KEY', clientCaFile: '/certs/ca.crt', clientCa: 'CA-1', clientAuth: 'RequireAndVerifyClientCert' });
    h.write('/certs/ca.crt', 'CA-2');
    h.advance(RELOAD_CHECK_INTERVAL_MS);
    h.check();
    expect(h.applied[0]).toMatchObject({ cert: 'CERT-1', key: 'INLINE-KEY', ca: 'CA-2' });
  });

  it('does nothing at all when the certificate and key are inline', () => {
    const h = harness({ ...settings, certFile: undefined, keyFile: undefined });
    h.write('/certs/tls.crt', 'CERT-2');
    h.advance(RELOAD_CHECK_INTERVAL_MS * 10);
    h.check();
    expect(h.reads).toEqual([]);
    expect(h.applied).toEqual([]);
  });
});

describe('a rotation served for real', () => {
  const certs: TestCerts = makeCerts();
  afterAll(() => certs.remove());

  it('a rotated certificate file is served to new connections without a restart', async () => {
    copyFileSync(certs.server.certFile, join(certs.dir, 'rotating.crt'));
    copyFileSync(certs.server.keyFile, join(certs.dir, 'rotating.key'));
    let clock = 0;
    const served = await serveApp(webConfigIn(certs.dir, 'tls_server_config:\n  cert_file: rotating.crt\n  key_file: rotating.key\n'), { now: () => clock });
    try {
      expect(await presentedCertificate(served.port)).toBe('server');
      writeFileSync(join(certs.dir, 'rotating.crt'), certs.selfSigned.cert);
      writeFileSync(join(certs.dir, 'rotating.key'), certs.selfSigned.key);
      // Within the second: still the old one.
      expect(await presentedCertificate(served.port)).toBe('server');
      clock += RELOAD_CHECK_INTERVAL_MS;
      // The check runs as a connection arrives; that connection's handshake may already be
      // under way with the old context, so the next one is the first sure to see the new.
      await presentedCertificate(served.port);
      expect(await presentedCertificate(served.port)).toBe('127.0.0.1');
    } finally {
      await served.close();
    }
  });
});
