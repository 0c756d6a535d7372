/**
 * The Prometheus exporter-toolkit web config (`--web.config.file`): TLS for the exporter's own
 * endpoints, basic auth with bcrypt hashes, and a fixed set of security headers. Parsed and
 * checked up front into a frozen WebConfig, so a bad file stops startup with one line per
 * problem that names the field, as the settings do. Serving it is the HTTP layer's job.
 *
 * Follows github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md:
 * unknown fields are errors and relative paths are relative to the file. The file and every
 * certificate it names are read as small regular files (a FIFO or /dev/zero is refused), and
 * its YAML is plain data: an alias bomb or a custom tag is one error line, not a stack trace.
 */
import { dirname, resolve } from 'node:path';
import { cannotRead } from '../util/cannot-read.js';
import { isObject, type JsonObject } from '../util/json.js';
import { MAX_FILE_BYTES, readSmallFile } from '../util/read-file.js';
import { parseYaml } from '../util/yaml.js';
import { lookup } from './tls-names.js';
import { parseTls, type TlsSettings } from './web-config-tls.js';

export { CLIENT_AUTH_TYPES, secureContextOptions, type ClientAuthType, type TlsSettings } from './web-config-tls.js';

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
  /** Reads the file and the certificates it names; by default as small regular files only. */
  readonly readFile?: (path: string) => string;
}

export interface ParseWebConfigOptions extends LoadWebConfigOptions {
  /** What relative certificate paths are relative to: the file's directory. */
  readonly dir?: string;
}

/** The only headers the toolkit lets a config set, with the values it allows (undefined: any). */
export const CONFIGURABLE_HEADERS: Readonly<Record<string, readonly string[] | undefined>> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};
const TOP_FIELDS = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
const HTTP_FIELDS = ['http2', 'headers'];
/** Toolkit fields this exporter does not implement: refused by name rather than ignored. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  rate_limit: 'not supported by this exporter (scrapes are served from a per-second cache)',
};
const BCRYPT_HASH = /^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const DEFAULT_LABEL = 'WEB_CONFIG_FILE';

const readConfigFile = (path: string): string => readSmallFile(path, MAX_FILE_BYTES.config);
const readCertificateFile = (path: string): string => readSmallFile(path, MAX_FILE_BYTES.certificate);

export function loadWebConfig(path: string, options: LoadWebConfigOptions = {}): WebConfigResult {
  const label = options.label ?? DEFAULT_LABEL;
  let text: string;
  try {
    text = (options.readFile ?? readConfigFile)(path);
  } catch (error) {
    return { ok: false, errors: [`${label}: ${cannotRead(path, error)}`] };
  }
  return parseWebConfig(text, { ...options, label, dir: dirname(resolve(path)) });
}

export function parseWebConfig(text: string, options: ParseWebConfigOptions = {}): WebConfigResult {
  const label = options.label ?? DEFAULT_LABEL;
  const errors: string[] = [];
  const fail = (field: string, problem: string): undefined => {
    errors.push(`${label}: ${field === '' ? '' : `${field}: `}${problem}`);
    return undefined;
  };

  const parsed = parseYaml(text);
  if (!parsed.ok) {
    for (const problem of parsed.problems) fail('', problem);
    return { ok: false, errors };
  }
  const root = parsed.value;
  if (root !== null && root !== undefined && !isObject(root)) {
    fail('', 'must be a YAML mapping of tls_server_config, http_server_config and basic_auth_users');
    return { ok: false, errors };
  }
  const top = root ?? {};
  const checkFields = (value: JsonObject, prefix: string, known: readonly string[]): void => {
    for (const key of Object.keys(value)) {
      const field = prefix === '' ? key : `${prefix}.${key}`;
      const unsupported = lookup(UNSUPPORTED, field);
      if (unsupported !== undefined) fail(field, unsupported);
      else if (!known.includes(key)) fail(field, `unknown field (expected one of ${known.join(', ')})`);
    }
  };
  checkFields(top, '', TOP_FIELDS);

  const tls = parseTls(top['tls_server_config'], {
    dir: options.dir ?? process.cwd(),
    readCertificate: options.readFile ?? readCertificateFile,
    fail,
    errorCount: () => errors.length,
    checkFields,
  });
  const users = parseUsers(top['basic_auth_users'], fail);
  const headers = parseHttp(top['http_server_config'], fail, checkFields);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: Object.freeze({ tls, users, headers: Object.freeze(headers) }) };
}

type Fail = (field: string, problem: string) => undefined;

function parseUsers(value: unknown, fail: Fail): Map<string, string> {
  const users = new Map<string, string>();
  if (value === null || value === undefined) return users;
  if (!isObject(value)) {
    fail('basic_auth_users', 'must be a mapping of user name to bcrypt hash');
    return users;
  }
  for (const [user, hash] of Object.entries(value)) {
    const field = `basic_auth_users.${user}`;
    const cost = typeof hash === 'string' ? BCRYPT_HASH.exec(hash)?.[1] : undefined;
    // Basic auth splits user from password at the first colon: such a user could never log in.
    if (user.includes(':')) fail(field, 'a user name cannot contain ":"');
    else if (user === '') fail('basic_auth_users', 'a user name cannot be empty');
    else if (typeof hash !== 'string' || cost === undefined) {
      fail(field, 'must be a bcrypt hash such as the output of htpasswd -nBC 10 "" | tr -d \':\\n\'');
    } else if (Number(cost) < 4 || Number(cost) > 31) {
      fail(field, 'bcrypt cost must be between 4 and 31');
    } else users.set(user, hash);
  }
  return users;
}

function parseHttp(value: unknown, fail: Fail, checkFields: (value: JsonObject, prefix: string, known: readonly string[]) => void): Record<string, string> {
  const section = 'http_server_config';
  const headers: Record<string, string> = {};
  if (value === null || value === undefined) return headers;
  if (!isObject(value)) {
    fail(section, 'must be a mapping');
    return headers;
  }
  checkFields(value, section, HTTP_FIELDS);
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
    if (!Object.hasOwn(CONFIGURABLE_HEADERS, name)) {
      fail(field, `cannot be configured (allowed: ${Object.keys(CONFIGURABLE_HEADERS).join(', ')})`);
      continue;
    }
    if (typeof v !== 'string') {
      fail(field, 'must be a string');
      continue;
    }
    const allowed = CONFIGURABLE_HEADERS[name];
    if (allowed !== undefined && !allowed.includes(v)) {
      fail(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${JSON.stringify(v)})`);
      continue;
    }
    // Anything else (a line break, a control character, a letter beyond Latin-1) would make
    // every answer throw while its headers are written; plain ASCII is what these headers hold.
    if (!/^[\t\x20-\x7e]*$/.test(v)) {
      fail(field, 'must be one line of printable ASCII');
      continue;
    }
    headers[name] = v;
  }
  return headers;
}
