/**
 * The Prometheus exporter-toolkit web config (`--web.config.file`): TLS for the exporter's own
 * endpoints, basic auth with bcrypt hashes, and a fixed set of security headers. Parsed and
 * checked up front, so a bad file stops startup with one line per problem that names the
 * field, as the settings do; served through node:https and a wrapper around the app's fetch.
 *
 * Follows github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md:
 * unknown fields are errors, relative paths are relative to the file, every endpoint is
 * protected, and certificate files are re-read when they change (the toolkit re-reads them
 * on every connection; here at most once a second, on a new connection).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Server as HttpsServer, ServerOptions as HttpsServerOptions } from 'node:https';
import { dirname, resolve } from 'node:path';
import { createSecureContext, type SecureContextOptions, type SecureVersion, type TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import { LRUCache } from 'lru-cache';
import { parseDocument } from 'yaml';
import type { Logger } from '../log.js';
import { cannotRead } from '../util/cannot-read.js';
import { describe as describeValue, isObject, YAML_WORDS, type JsonObject } from '../util/json.js';

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

export interface WebConfig {
  readonly tls: TlsSettings | undefined;
  /** user name to bcrypt hash */
  readonly users: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
}

export type WebConfigResult = { readonly ok: true; readonly config: WebConfig } | { readonly ok: false; readonly errors: readonly string[] };

export interface LoadWebConfigOptions {
  /** How the setting is named in errors: the flag when it was given as one. */
  readonly label?: string;
  readonly readFile?: (path: string) => string;
}

const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };
const VERSION_ORDER: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const CURVES: Readonly<Record<string, string>> = { CurveP256: 'P-256', CurveP384: 'P-384', CurveP521: 'P-521', X25519: 'X25519' };
/** Go's names (what the toolkit takes) to OpenSSL's (what Node takes). */
const CIPHERS: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
};
/** Go always offers every TLS 1.3 suite whatever cipher_suites says; so does this. */
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
/** The only headers the toolkit lets a config set, with the values it allows (undefined: any). */
const HEADERS: Readonly<Record<string, readonly string[] | undefined>> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};
const TOP_FIELDS = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
const TLS_FIELDS = [
  'cert_file', 'key_file', 'cert', 'key', 'client_auth_type', 'client_ca_file', 'client_ca', 'client_allowed_sans',
  'min_version', 'max_version', 'cipher_suites', 'curve_preferences', 'prefer_server_cipher_suites',
];
const HTTP_FIELDS = ['http2', 'headers'];
/** Toolkit fields this exporter does not implement: refused by name rather than ignored. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  rate_limit: 'not supported by this exporter (scrapes are served from a per-second cache)',
};
const BCRYPT_HASH = /^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;

type Json = JsonObject;

export function loadWebConfig(path: string, options: LoadWebConfigOptions = {}): WebConfigResult {
  const label = options.label ?? 'WEB_CONFIG_FILE';
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return { ok: false, errors: [`${label}: ${cannotRead(path, error)}`] };
  }
  return parseWebConfig(text, { label, dir: dirname(resolve(path)), readFile });
}

export function parseWebConfig(
  text: string,
  options: { readonly label?: string; readonly dir?: string; readonly readFile?: (path: string) => string } = {},
): WebConfigResult {
  const label = options.label ?? 'WEB_CONFIG_FILE';
  const dir = options.dir ?? process.cwd();
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const errors: string[] = [];
  const fail = (field: string, problem: string): undefined => {
    errors.push(`${label}: ${field === '' ? '' : `${field}: `}${problem}`);
    return undefined;
  };

  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) fail('', `not valid YAML: ${e.message.split('\n')[0]}`);
    return { ok: false, errors };
  }
  const root: unknown = doc.toJS();
  if (root !== null && root !== undefined && !isObject(root)) {
    fail('', 'must be a YAML mapping of tls_server_config, http_server_config and basic_auth_users');
    return { ok: false, errors };
  }
  const top = root ?? {};
  checkFields(top, '', TOP_FIELDS, fail);

  const tls = parseTls(top['tls_server_config'], dir, readFile, fail, () => errors.length);
  const users = parseUsers(top['basic_auth_users'], fail);
  const headers = parseHttp(top['http_server_config'], fail);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: Object.freeze({ tls, users, headers }) };
}

type Fail = (field: string, problem: string) => undefined;

function checkFields(value: Json, prefix: string, known: readonly string[], fail: Fail): void {
  for (const key of Object.keys(value)) {
    const field = prefix === '' ? key : `${prefix}.${key}`;
    if (UNSUPPORTED[field] !== undefined) fail(field, UNSUPPORTED[field]);
    else if (!known.includes(key)) fail(field, `unknown field (expected one of ${known.join(', ')})`);
  }
}

function parseTls(
  value: unknown,
  dir: string,
  readFile: (path: string) => string,
  fail: Fail,
  errorCount: () => number,
): TlsSettings | undefined {
  const section = 'tls_server_config';
  const errorsBefore = errorCount();
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) return fail(section, 'must be a mapping');
  checkFields(value, section, TLS_FIELDS, fail);
  const str = (field: string): string | undefined => {
    const v = value[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return fail(`${section}.${field}`, `must be a string (got ${describeValue(v, YAML_WORDS)})`);
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
      if (value[field] !== undefined && value[field] !== null) fail(`${section}.${field}`, 'set without cert_file and key_file, so TLS is off');
    }
    return undefined;
  }

  const read = (field: string, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    const full = resolve(dir, path);
    try {
      return readFile(full);
    } catch (error) {
      return fail(`${section}.${field}`, cannotRead(full, error));
    }
  };
  const pick = (fileField: string, inlineField: string, file: string | undefined, inline: string | undefined): string | undefined => {
    if (file !== undefined && inline !== undefined) return fail(section, `set either ${fileField} or ${inlineField}, not both`);
    return file !== undefined ? read(fileField, file) : inline;
  };
  const cert = pick('cert_file', 'cert', certFile, certInline);
  const key = pick('key_file', 'key', keyFile, keyInline);
  if (certFile === undefined && certInline === undefined) fail(section, 'needs cert_file (or cert) to serve TLS');
  if (keyFile === undefined && keyInline === undefined) fail(section, 'needs key_file (or key) to serve TLS');
  const clientCa = pick('client_ca_file', 'client_ca', caFile, caInline);

  let clientAuth: ClientAuthType = 'NoClientCert';
  if (clientAuthText !== undefined) {
    const normalised = clientAuthText === 'RequireClientCert' ? 'RequireAnyClientCert' : clientAuthText; // the toolkit's old name
    if ((CLIENT_AUTH_TYPES as readonly string[]).includes(normalised)) clientAuth = normalised as ClientAuthType;
    else fail(`${section}.client_auth_type`, `must be one of ${CLIENT_AUTH_TYPES.join(', ')} (got ${JSON.stringify(clientAuthText)})`);
  }
  if ((caFile !== undefined || caInline !== undefined) && clientAuth === 'NoClientCert') {
    fail(`${section}.client_ca_file`, 'a client CA without client_auth_type would never be used; set client_auth_type');
  }
  if (clientAuth === 'RequireAndVerifyClientCert' && caFile === undefined && caInline === undefined) {
    fail(`${section}.client_auth_type`, 'RequireAndVerifyClientCert needs client_ca_file (or client_ca) to verify against');
  }

  let clientAllowedSans: string[] | undefined;
  const sans = value['client_allowed_sans'];
  if (sans !== undefined && sans !== null) {
    if (!Array.isArray(sans) || !sans.every((s): s is string => typeof s === 'string')) {
      fail(`${section}.client_allowed_sans`, 'must be a list of strings');
    } else {
      clientAllowedSans = sans;
      if (clientAuth !== 'RequireAnyClientCert' && clientAuth !== 'RequireAndVerifyClientCert') {
        fail(`${section}.client_allowed_sans`, 'needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert');
      }
    }
  }

  const version = (field: string, fallback: SecureVersion): SecureVersion => {
    const v = str(field);
    if (v === undefined) return fallback;
    const mapped = TLS_VERSIONS[v];
    if (mapped === undefined) {
      fail(`${section}.${field}`, `must be one of ${Object.keys(TLS_VERSIONS).join(', ')} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return mapped;
  };
  const minVersion = version('min_version', 'TLSv1.2');
  const maxVersion = version('max_version', 'TLSv1.3');
  if (VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion)) {
    fail(`${section}.min_version`, `is above max_version`);
  }

  const list = (field: string, table: Readonly<Record<string, string>>, what: string): string[] | undefined => {
    const v = value[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.length === 0) return fail(`${section}.${field}`, 'must be a non-empty list');
    const out: string[] = [];
    for (const item of v) {
      const mapped = typeof item === 'string' ? table[item] : undefined;
      if (mapped === undefined) fail(`${section}.${field}`, `unknown ${what} ${JSON.stringify(item)} (known: ${Object.keys(table).join(', ')})`);
      else out.push(mapped);
    }
    return out;
  };
  const cipherList = list('cipher_suites', CIPHERS, 'cipher suite');
  const curveList = list('curve_preferences', CURVES, 'curve');
  const prefer = value['prefer_server_cipher_suites'];
  if (prefer !== undefined && prefer !== null && typeof prefer !== 'boolean') fail(`${section}.prefer_server_cipher_suites`, 'must be true or false');

  // OpenSSL is asked only once everything else is right, so its one vague message is not added to ours.
  if (cert === undefined || key === undefined || errorCount() > errorsBefore) return undefined;
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
    ciphers: cipherList === undefined ? undefined : [...new Set([...cipherList, ...TLS13_SUITES])].join(':'),
    ecdhCurve: curveList?.join(':'),
    honorCipherOrder: prefer !== false,
  };
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const what = certFile !== undefined || keyFile !== undefined ? 'cert_file and key_file' : 'cert and key';
    return fail(section, `${what} are not a usable certificate and key pair (${errorMessage(error)})`);
  }
  try {
    createSecureContext(secureContextOptions(settings));
  } catch (error) {
    return fail(section, `OpenSSL refuses these settings (${errorMessage(error)})`);
  }
  return settings;
}

function parseUsers(value: unknown, fail: Fail): Map<string, string> {
  const users = new Map<string, string>();
  if (value === null || value === undefined) return users;
  if (!isObject(value)) {
    fail('basic_auth_users', 'must be a mapping of user name to bcrypt hash');
    return users;
  }
  for (const [user, hash] of Object.entries(value)) {
    const field = `basic_auth_users.${user}`;
    // Basic auth splits user from password at the first colon: such a user could never log in.
    if (user.includes(':')) fail(field, 'a user name cannot contain ":"');
    else if (user === '') fail('basic_auth_users', 'a user name cannot be empty');
    else if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) {
      fail(field, 'must be a bcrypt hash such as the output of htpasswd -nBC 10 "" | tr -d \':\\n\'');
    } else if (Number(BCRYPT_HASH.exec(hash)![1]) < 4 || Number(BCRYPT_HASH.exec(hash)![1]) > 31) {
      fail(field, 'bcrypt cost must be between 4 and 31');
    } else users.set(user, hash);
  }
  return users;
}

function parseHttp(value: unknown, fail: Fail): Record<string, string> {
  const section = 'http_server_config';
  const headers: Record<string, string> = {};
  if (value === null || value === undefined) return headers;
  if (!isObject(value)) {
    fail(section, 'must be a mapping');
    return headers;
  }
  checkFields(value, section, HTTP_FIELDS, fail);
  const http2 = value['http2'];
  // Served over HTTP/1.1 either way; clients that offer HTTP/2 fall back to it in the handshake.
  if (http2 !== undefined && http2 !== null && typeof http2 !== 'boolean') fail(`${section}.http2`, 'must be true or false');
  const configured = value['headers'];
  if (configured === undefined || configured === null) return headers;
  if (!isObject(configured)) {
    fail(`${section}.headers`, 'must be a mapping of header name to value');
    return headers;
  }
  for (const [name, v] of Object.entries(configured)) {
    const field = `${section}.headers.${name}`;
    if (!(name in HEADERS)) {
      fail(field, `cannot be configured (allowed: ${Object.keys(HEADERS).join(', ')})`);
      continue;
    }
    if (typeof v !== 'string') {
      fail(field, 'must be a string');
      continue;
    }
    const allowed = HEADERS[name];
    if (allowed !== undefined && !allowed.includes(v)) {
      fail(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${JSON.stringify(v)})`);
      continue;
    }
    if (/[\r\n]/.test(v)) {
      fail(field, 'must be one line');
      continue;
    }
    headers[name] = v;
  }
  return headers;
}

/** What the secure context is made of; also what a certificate reload replaces. */
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

export function httpsServerOptions(tls: TlsSettings): HttpsServerOptions {
  return {
    ...secureContextOptions(tls),
    requestCert: tls.clientAuth !== 'NoClientCert',
    // The other policies are checked once the handshake is done (acceptClient), since Node
    // can only either verify every client certificate or none at handshake time.
    rejectUnauthorized: tls.clientAuth === 'RequireAndVerifyClientCert',
  };
}

/** Whether a client that finished the handshake may send requests, per client_auth_type and client_allowed_sans. */
export function acceptClient(tls: TlsSettings, socket: TLSSocket): boolean {
  const cert = socket.getPeerCertificate();
  const presented = cert !== null && cert !== undefined && Object.keys(cert).length > 0;
  if (tls.clientAuth === 'RequireAnyClientCert' && !presented) return false;
  if (tls.clientAuth === 'VerifyClientCertIfGiven' && presented && !socket.authorized) return false;
  if (tls.clientAllowedSans !== undefined) {
    if (!presented) return false;
    const sans = (cert.subjectaltname ?? '').split(', ').map((entry) => entry.slice(entry.indexOf(':') + 1));
    if (!sans.some((san) => tls.clientAllowedSans!.includes(san))) return false;
  }
  return true;
}

/**
 * Enforces the client policy on every TLS connection, and re-reads certificate files at most
 * once a second when one has changed, so a rotated certificate is served without a restart.
 */
export function attachTls(server: HttpsServer, tls: TlsSettings, logger: Logger): void {
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    if (!acceptClient(tls, socket)) socket.destroy();
  });
  const files = [tls.certFile, tls.keyFile, tls.clientCaFile].filter((f): f is string => f !== undefined);
  if (files.length === 0) return;
  const stamp = (): string => files.map((f) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 'missing').join(',');
  let seen = stamp();
  let checkedAt = 0;
  server.prependListener('connection', () => {
    const now = Date.now();
    if (now - checkedAt < 1_000) return;
    checkedAt = now;
    const current = stamp();
    if (current === seen) return;
    seen = current;
    try {
      const cert = tls.certFile !== undefined ? readFileSync(tls.certFile, 'utf8') : tls.cert;
      const key = tls.keyFile !== undefined ? readFileSync(tls.keyFile, 'utf8') : tls.key;
      const clientCa = tls.clientCaFile !== undefined ? readFileSync(tls.clientCaFile, 'utf8') : tls.clientCa;
      server.setSecureContext(secureContextOptions({ ...tls, cert, key, clientCa }));
      logger.info('reloaded the TLS certificate', { cert_file: tls.certFile ?? null });
    } catch (error) {
      // Half-written files during a rotation: keep serving the old pair and try again later.
      seen = '';
      logger.warn('could not reload the TLS certificate; serving the previous one', { error: errorMessage(error) });
    }
  });
}

/** A decoy for unknown users, so a wrong user name costs the same bcrypt time as a wrong password. */
const DECOY_HASH = '$2b$10$8YsFMjNHyK3EX4Z9/PsXD.dwEG.tFw7F90PTE3Z5s3YymozGkwemi';

/**
 * Checks an Authorization header against the users. A verified (user, password) pair is
 * remembered, by a hash rather than in clear, so scrapes every few seconds do not each pay
 * the bcrypt cost; wrong ones always pay it, and one comparison runs at a time, so guessing
 * cannot be sped up and cannot starve the scrapes of the event loop.
 */
export function basicAuthChecker(users: ReadonlyMap<string, string>, cacheSize = 256): (authorization: string | null) => Promise<boolean> {
  const verified = new LRUCache<string, true>({ max: cacheSize });
  let queue: Promise<unknown> = Promise.resolve();
  return async (authorization) => {
    const credentials = parseBasic(authorization);
    if (credentials === undefined) return false;
    const hash = users.get(credentials.user);
    const key = createHash('sha256').update(`${credentials.user}\u0000${hash ?? ''}\u0000${credentials.password}`).digest('base64');
    if (hash !== undefined && verified.has(key)) return true;
    const compare = queue.then(() => bcrypt.compare(credentials.password, hash ?? DECOY_HASH));
    queue = compare.catch(() => false);
    const ok = (await compare.catch(() => false)) && hash !== undefined;
    if (ok) verified.set(key, true);
    return ok;
  };
}

function parseBasic(header: string | null): { user: string; password: string } | undefined {
  if (header === null) return undefined;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** The app's fetch behind basic auth (when users are configured) and with the configured headers on every answer. */
export function protect(fetch: FetchHandler, config: WebConfig): FetchHandler {
  const check = config.users.size > 0 ? basicAuthChecker(config.users) : undefined;
  const headers = Object.entries(config.headers);
  return async (request) => {
    let response: Response;
    if (check !== undefined && !(await check(request.headers.get('authorization')))) {
      response = new Response('Unauthorized\n', {
        status: 401,
        headers: { 'www-authenticate': 'Basic', 'content-type': 'text/plain; charset=utf-8' },
      });
    } else {
      response = await fetch(request);
    }
    if (headers.length === 0) return response;
    try {
      for (const [name, value] of headers) response.headers.set(name, value);
      return response;
    } catch {
      // Some responses have immutable headers; a copy carries the same body.
      const copy = new Headers(response.headers);
      for (const [name, value] of headers) copy.set(name, value);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers: copy });
    }
  };
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
