/**
 * `tls_server_config` of the exporter-toolkit web config: which certificate to serve, which
 * client certificates to ask for, and the protocol limits, translated from the toolkit's Go
 * names to what Node's TLS takes. Checked with OpenSSL itself before anything listens, so a
 * pair that does not match, or a cipher list OpenSSL refuses, is a config error, not a crash.
 */
import { resolve } from 'node:path';
import { createSecureContext, type SecureContextOptions, type SecureVersion } from 'node:tls';
import { cannotRead } from '../util/cannot-read.js';
import { describe as describeValue, isObject, YAML_WORDS, type JsonObject } from '../util/json.js';
import { CIPHERS, cipherList, CURVES, lookup, TLS_VERSIONS, VERSION_ORDER } from './tls-names.js';

export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

export interface TlsSettings {
  readonly cert: string;
  readonly key: string;
  /** Files the certificate and key came from, re-read when they change; absent when inline. */
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  readonly clientAuth: ClientAuthType;
  readonly clientCa: string | undefined;
  readonly clientCaFile: string | undefined;
  readonly clientAllowedSans: readonly string[] | undefined;
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
  /** OpenSSL cipher list, when cipher_suites was given. */
  readonly ciphers: string | undefined;
  /** OpenSSL curve list, when curve_preferences was given. */
  readonly ecdhCurve: string | undefined;
  readonly honorCipherOrder: boolean;
}

export const TLS_FIELDS = [
  'cert_file', 'key_file', 'cert', 'key', 'client_auth_type', 'client_ca_file', 'client_ca', 'client_allowed_sans',
  'min_version', 'max_version', 'cipher_suites', 'curve_preferences', 'prefer_server_cipher_suites',
];

/** What the TLS section needs from the whole file's parse. */
export interface TlsParseContext {
  /** The web config file's directory: relative paths are relative to it. */
  readonly dir: string;
  readonly readCertificate: (path: string) => string;
  /** Records one problem with a field; returns undefined so callers can `return fail(...)`. */
  readonly fail: (field: string, problem: string) => undefined;
  readonly errorCount: () => number;
  readonly checkFields: (value: JsonObject, prefix: string, known: readonly string[]) => void;
}

const SECTION = 'tls_server_config';

export function parseTls(value: unknown, context: TlsParseContext): TlsSettings | undefined {
  const { dir, fail } = context;
  const errorsBefore = context.errorCount();
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) return fail(SECTION, 'must be a mapping');
  context.checkFields(value, SECTION, TLS_FIELDS);
  const str = (field: string): string | undefined => {
    const v = value[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return fail(`${SECTION}.${field}`, `must be a string (got ${describeValue(v, YAML_WORDS)})`);
    return v;
  };
  const certFile = str('cert_file');
  const keyFile = str('key_file');
  const certInline = str('cert');
  const keyInline = str('key');
  const caFile = str('client_ca_file');
  const caInline = str('client_ca');
  const clientAuthText = str('client_auth_type');
  const enabled = [certFile, keyFile, certInline, keyInline, caFile, caInline, clientAuthText].some((v) => v !== undefined);
  if (!enabled) {
    // As the toolkit: a section with nothing that turns TLS on serves plain HTTP; anything else in it is an error.
    for (const field of ['min_version', 'max_version', 'cipher_suites', 'curve_preferences', 'client_allowed_sans']) {
      if (value[field] !== undefined && value[field] !== null) fail(`${SECTION}.${field}`, 'set without cert_file and key_file, so TLS is off');
    }
    return undefined;
  }

  const read = (field: string, path: string): string | undefined => {
    const full = resolve(dir, path);
    try {
      return context.readCertificate(full);
    } catch (error) {
      return fail(`${SECTION}.${field}`, cannotRead(full, error));
    }
  };
  const pick = (fileField: string, inlineField: string, file: string | undefined, inline: string | undefined): string | undefined => {
    if (file !== undefined && inline !== undefined) return fail(SECTION, `set either ${fileField} or ${inlineField}, not both`);
    return file !== undefined ? read(fileField, file) : inline;
  };
  const cert = pick('cert_file', 'cert', certFile, certInline);
  const key = pick('key_file', 'key', keyFile, keyInline);
  if (certFile === undefined && certInline === undefined) fail(SECTION, 'needs cert_file (or cert) to serve TLS');
  if (keyFile === undefined && keyInline === undefined) fail(SECTION, 'needs key_file (or key) to serve TLS');
  const clientCa = pick('client_ca_file', 'client_ca', caFile, caInline);

  const clientAuth = parseClientAuth(clientAuthText, fail);
  if ((caFile !== undefined || caInline !== undefined) && clientAuth === 'NoClientCert') {
    fail(`${SECTION}.client_ca_file`, 'a client CA without client_auth_type would never be used; set client_auth_type');
  }
  if (clientAuth === 'RequireAndVerifyClientCert' && caFile === undefined && caInline === undefined) {
    fail(`${SECTION}.client_auth_type`, 'RequireAndVerifyClientCert needs client_ca_file (or client_ca) to verify against');
  }
  const clientAllowedSans = parseAllowedSans(value['client_allowed_sans'], clientAuth, fail);

  const version = (field: string, fallback: SecureVersion): SecureVersion => {
    const v = str(field);
    if (v === undefined) return fallback;
    const mapped = lookup(TLS_VERSIONS, v);
    if (mapped === undefined) {
      fail(`${SECTION}.${field}`, `must be one of ${Object.keys(TLS_VERSIONS).join(', ')} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return mapped;
  };
  const minVersion = version('min_version', 'TLSv1.2');
  const maxVersion = version('max_version', 'TLSv1.3');
  if (VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion)) fail(`${SECTION}.min_version`, 'is above max_version');

  const ciphers = parseNameList(value['cipher_suites'], 'cipher_suites', CIPHERS, 'cipher suite', fail);
  const curves = parseNameList(value['curve_preferences'], 'curve_preferences', CURVES, 'curve', fail);
  const prefer = value['prefer_server_cipher_suites'];
  if (prefer !== undefined && prefer !== null && typeof prefer !== 'boolean') fail(`${SECTION}.prefer_server_cipher_suites`, 'must be true or false');

  // OpenSSL is asked only once everything else is right, so its one vague message is not added to ours.
  if (cert === undefined || key === undefined || context.errorCount() > errorsBefore) return undefined;
  const settings: TlsSettings = {
    cert,
    key,
    certFile: certFile === undefined ? undefined : resolve(dir, certFile),
    keyFile: keyFile === undefined ? undefined : resolve(dir, keyFile),
    clientAuth,
    clientCa,
    clientCaFile: caFile === undefined ? undefined : resolve(dir, caFile),
    clientAllowedSans,
    minVersion,
    maxVersion,
    ciphers: ciphers === undefined ? undefined : cipherList(ciphers),
    ecdhCurve: curves?.join(':'),
    honorCipherOrder: prefer !== false,
  };
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const what = certFile !== undefined || keyFile !== undefined ? 'cert_file and key_file' : 'cert and key';
    return fail(SECTION, `${what} are not a usable certificate and key pair (${firstLine(error)})`);
  }
  try {
    createSecureContext(secureContextOptions(settings));
  } catch (error) {
    return fail(SECTION, `OpenSSL refuses these settings (${firstLine(error)})`);
  }
  return Object.freeze(settings);
}

/** What the secure context is made of; also what a certificate reload rebuilds. */
export function secureContextOptions(tls: TlsSettings): SecureContextOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.clientCa !== undefined ? { ca: tls.clientCa } : {}),
    minVersion: tls.minVersion,
    maxVersion: tls.maxVersion,
    ...(tls.ciphers !== undefined ? { ciphers: tls.ciphers } : {}),
    ...(tls.ecdhCurve !== undefined ? { ecdhCurve: tls.ecdhCurve } : {}),
    honorCipherOrder: tls.honorCipherOrder,
  };
}

function parseClientAuth(text: string | undefined, fail: TlsParseContext['fail']): ClientAuthType {
  if (text === undefined) return 'NoClientCert';
  const normalised = text === 'RequireClientCert' ? 'RequireAnyClientCert' : text; // the toolkit's old name
  const known = CLIENT_AUTH_TYPES.find((t) => t === normalised);
  if (known !== undefined) return known;
  fail(`${SECTION}.client_auth_type`, `must be one of ${CLIENT_AUTH_TYPES.join(', ')} (got ${JSON.stringify(text)})`);
  return 'NoClientCert';
}

function parseAllowedSans(value: unknown, clientAuth: ClientAuthType, fail: TlsParseContext['fail']): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((s): s is string => typeof s === 'string')) {
    return fail(`${SECTION}.client_allowed_sans`, 'must be a list of strings');
  }
  if (clientAuth !== 'RequireAnyClientCert' && clientAuth !== 'RequireAndVerifyClientCert') {
    fail(`${SECTION}.client_allowed_sans`, 'needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert');
  }
  return Object.freeze([...value]);
}

function parseNameList(
  value: unknown,
  field: string,
  table: Readonly<Record<string, string>>,
  what: string,
  fail: TlsParseContext['fail'],
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0) return fail(`${SECTION}.${field}`, 'must be a non-empty list');
  const out: string[] = [];
  for (const item of value) {
    const mapped = lookup(table, item);
    if (mapped === undefined) fail(`${SECTION}.${field}`, `unknown ${what} ${JSON.stringify(item)} (known: ${Object.keys(table).join(', ')})`);
    else out.push(mapped);
  }
  return out;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 200);
}
