/**
 * The Go-to-OpenSSL name tables: every name the config accepts must mean something to the
 * OpenSSL this Node is built with, or a config that passed the check would fail at start.
 */
import { createSecureContext, getCiphers } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { CIPHERS, cipherList, CURVES, lookup, TLS13_SUITES, TLS_VERSIONS, VERSION_ORDER } from '../../src/config/tls-names.js';

describe('TLS name tables', () => {
  it('every cipher suite maps to a cipher this OpenSSL knows', () => {
    const known = new Set(getCiphers().map((c) => c.toUpperCase()));
    for (const [go, openssl] of Object.entries(CIPHERS)) expect(known, `${go} -> ${openssl}`).toContain(openssl.toUpperCase());
  });

  it('every cipher suite alone, with the TLS 1.3 suites, is a list OpenSSL accepts', () => {
    for (const openssl of Object.values(CIPHERS)) expect(() => createSecureContext({ ciphers: cipherList([openssl]) }), openssl).not.toThrow();
  });

  it('every curve is one OpenSSL accepts', () => {
    for (const curve of Object.values(CURVES)) expect(() => createSecureContext({ ecdhCurve: curve }), curve).not.toThrow();
  });

  it('every version is one Node accepts, in order', () => {
    expect(Object.values(TLS_VERSIONS)).toEqual(VERSION_ORDER);
    for (const version of VERSION_ORDER) expect(() => createSecureContext({ minVersion: version, maxVersion: version })).not.toThrow();
  });

  it('cipherList keeps the given order, adds every TLS 1.3 suite after, and repeats none', () => {
    expect(cipherList(['AES128-SHA', 'AES256-SHA'])).toBe(['AES128-SHA', 'AES256-SHA', ...TLS13_SUITES].join(':'));
    expect(cipherList(['TLS_AES_256_GCM_SHA384', 'AES128-SHA'])).toBe('TLS_AES_256_GCM_SHA384:AES128-SHA:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256');
    expect(cipherList([])).toBe(TLS13_SUITES.join(':'));
  });

  it('lookup finds only the table own names, never what every object has', () => {
    expect(lookup(TLS_VERSIONS, 'TLS12')).toBe('TLSv1.2');
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '', 'tls12']) expect(lookup(TLS_VERSIONS, name), name).toBeUndefined();
    for (const value of [1, null, undefined, {}, ['TLS12']]) expect(lookup(TLS_VERSIONS, value)).toBeUndefined();
  });
});
