/**
 * Settings from the environment and command-line flags into one frozen Config. Every setting
 * is declared once in SETTINGS (which also drives --help and the README's table); every
 * problem is reported as one line that names the setting, and all problems are reported at
 * once so a user fixes them in one go.
 */
import { readFileSync } from 'node:fs';
import { formatDuration, parseDuration } from './util/duration.js';
import { cannotRead } from './util/cannot-read.js';
import { loadWorkspacesFile, MAX_WORKSPACE_NAME, type WorkspaceConfig } from './workspaces-file.js';

export type { WorkspaceConfig } from './workspaces-file.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface Config {
  /** One or more workspaces, each polled on its own; names are unique. */
  readonly workspaces: readonly WorkspaceConfig[];
  readonly refreshIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly refreshTimeoutMs: number;
  readonly retries: number;
  readonly listenAddress: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly webConfigFile: string | undefined;
}

export interface Setting {
  readonly env: string;
  /** Absent for the token itself: a flag would show it in every process listing. */
  readonly flag?: string;
  readonly default?: string;
  readonly description: string;
}

export const SETTINGS = [
  { env: 'ORQ_API_KEY', description: 'Workspace management key for the orq.ai API. Prefer ORQ_API_KEY_FILE.' },
  { env: 'ORQ_API_KEY_FILE', flag: '--orq-api-key-file', description: 'File holding the API key (a Docker or Kubernetes secret); surrounding whitespace is ignored.' },
  { env: 'ORQ_BASE_URL', flag: '--orq-base-url', default: 'https://api.orq.ai', description: 'Base URL of the orq.ai API (self-hosted installs: their own host).' },
  { env: 'ORQ_WORKSPACE', flag: '--orq-workspace', default: 'default', description: 'Name given to the workspace in the `workspace` label of every series.' },
  { env: 'ORQ_PROJECT_ID', flag: '--orq-project-id', description: 'Only export keys of this project (the API\'s `project_id` filter).' },
  { env: 'ORQ_WORKSPACES_FILE', flag: '--orq-workspaces-file', description: 'YAML file listing several workspaces (name, api_key_file or api_key_env, optional base_url and project_id), instead of ORQ_API_KEY, ORQ_API_KEY_FILE, ORQ_WORKSPACE and ORQ_PROJECT_ID.' },
  { env: 'REFRESH_INTERVAL', flag: '--refresh-interval', default: '2m', description: 'Time between the end of one refresh and the start of the next; at least 10s.' },
  { env: 'REQUEST_TIMEOUT', flag: '--request-timeout', default: '30s', description: 'Timeout of one API request (connect, headers, and each gap in the body).' },
  { env: 'REFRESH_TIMEOUT', flag: '--refresh-timeout', default: '5m', description: 'Deadline of one whole refresh: all pages, retries and waits.' },
  { env: 'REQUEST_RETRIES', flag: '--request-retries', default: '4', description: 'Retries of one page on 429, 5xx, timeouts and network errors (never on 401/403).' },
  { env: 'LISTEN_ADDRESS', flag: '--listen-address', default: '0.0.0.0', description: 'Address the HTTP server binds.' },
  { env: 'PORT', flag: '--port', default: '9877', description: 'Port of /metrics, /healthz, /readyz and /.' },
  { env: 'LOG_LEVEL', flag: '--log-level', default: 'info', description: 'One of debug, info, warn, error.' },
  { env: 'WEB_CONFIG_FILE', flag: '--web.config.file', description: 'Prometheus exporter web config (TLS, basic auth) for the exporter\'s own endpoints.' },
] as const satisfies readonly Setting[];

type SettingName = (typeof SETTINGS)[number]['env'];

export const MIN_REFRESH_INTERVAL_MS = 10_000;

export type ConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: readonly string[] }
  | { readonly ok: 'help' }
  | { readonly ok: 'version' };

export interface ConfigInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly argv: readonly string[];
  readonly readFile?: (path: string) => string;
}

export function loadConfig(input: ConfigInput): ConfigResult {
  const errors: string[] = [];
  const flagValues = parseFlags(input.argv, errors);
  if (flagValues === 'help') return { ok: 'help' };
  if (flagValues === 'version') return { ok: 'version' };

  const setting = (name: SettingName): Setting => SETTINGS.find((s) => s.env === name)!;
  /** What the user gave: a flag wins over the environment; empty means unset. */
  const given = (name: SettingName): string | undefined => {
    const flag = setting(name).flag;
    const value = (flag !== undefined ? flagValues.get(flag) : undefined) ?? input.env[name];
    return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
  };
  const raw = (name: SettingName): string | undefined => given(name) ?? setting(name).default;
  const isSet = (name: SettingName): boolean => given(name) !== undefined;
  const label = (name: SettingName): string => {
    const flag = setting(name).flag;
    return flag !== undefined && flagValues.has(flag) ? flag : name;
  };
  const fail = (name: SettingName, problem: string): undefined => {
    errors.push(`${label(name)}: ${problem}`);
    return undefined;
  };

  const readFile = input.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const defaultBaseUrl = parseBaseUrl(raw('ORQ_BASE_URL')!, (p) => fail('ORQ_BASE_URL', p));
  const workspacesFile = raw('ORQ_WORKSPACES_FILE');
  let workspaces: WorkspaceConfig[] | undefined;
  if (workspacesFile !== undefined) {
    // One way to name workspaces at a time, so no setting is silently ignored.
    for (const name of ['ORQ_API_KEY', 'ORQ_API_KEY_FILE', 'ORQ_WORKSPACE', 'ORQ_PROJECT_ID'] as const) {
      if (isSet(name)) fail(name, `not used with ${label('ORQ_WORKSPACES_FILE')}; set it per workspace in that file`);
    }
    if (defaultBaseUrl !== undefined) {
      workspaces = loadWorkspacesFile(
        {
          path: workspacesFile,
          label: label('ORQ_WORKSPACES_FILE'),
          defaultBaseUrl,
          env: input.env,
          readFile,
          parseBaseUrl,
          readToken: (path, problem) => readTokenFile(path, readFile, problem),
        },
        errors,
      );
    }
  } else {
    const token = readToken(raw, label, readFile, errors);
    const name = raw('ORQ_WORKSPACE')!;
    if (name.length > MAX_WORKSPACE_NAME) fail('ORQ_WORKSPACE', `must be at most ${MAX_WORKSPACE_NAME} characters (got ${name.length})`);
    if (token !== undefined && defaultBaseUrl !== undefined) {
      workspaces = [{ name, token, baseUrl: defaultBaseUrl, projectId: raw('ORQ_PROJECT_ID') }];
    }
  }

  const duration = (name: SettingName, minMs: number, minText: string): number | undefined => {
    const text = raw(name)!;
    const ms = parseDuration(text);
    if (ms === undefined) return fail(name, `must be a duration such as 30s, 2m or 1h (got ${JSON.stringify(text)})`);
    if (ms < minMs) return fail(name, `must be at least ${minText} (got ${JSON.stringify(text)})`);
    return ms;
  };
  const refreshIntervalMs = duration('REFRESH_INTERVAL', MIN_REFRESH_INTERVAL_MS, formatDuration(MIN_REFRESH_INTERVAL_MS));
  const requestTimeoutMs = duration('REQUEST_TIMEOUT', 100, '100ms');
  const refreshTimeoutMs = duration('REFRESH_TIMEOUT', 1_000, '1s');
  if (requestTimeoutMs !== undefined && refreshTimeoutMs !== undefined && refreshTimeoutMs < requestTimeoutMs) {
    fail('REFRESH_TIMEOUT', `must be at least REQUEST_TIMEOUT (${raw('REQUEST_TIMEOUT')}) (got ${JSON.stringify(raw('REFRESH_TIMEOUT'))})`);
  }

  const integer = (name: SettingName, min: number, max: number): number | undefined => {
    const text = raw(name)!;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      return fail(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
    }
    return n;
  };
  const retries = integer('REQUEST_RETRIES', 0, 10);
  const port = integer('PORT', 0, 65_535);

  const logLevel = raw('LOG_LEVEL')!.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    fail('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(raw('LOG_LEVEL'))})`);
  }

  if (errors.length > 0 || workspaces === undefined) return { ok: false, errors };
  return {
    ok: true,
    config: Object.freeze({
      workspaces: Object.freeze(workspaces.map((w) => Object.freeze(w))),
      refreshIntervalMs: refreshIntervalMs!,
      requestTimeoutMs: requestTimeoutMs!,
      refreshTimeoutMs: refreshTimeoutMs!,
      retries: retries!,
      listenAddress: raw('LISTEN_ADDRESS')!,
      port: port!,
      logLevel: logLevel as LogLevel,
      webConfigFile: raw('WEB_CONFIG_FILE'),
    }),
  };
}

function readToken(
  raw: (name: SettingName) => string | undefined,
  label: (name: SettingName) => string,
  readFile: (path: string) => string,
  errors: string[],
): string | undefined {
  const direct = raw('ORQ_API_KEY');
  const file = raw('ORQ_API_KEY_FILE');
  if (direct !== undefined && file !== undefined) {
    errors.push(`ORQ_API_KEY: set either ORQ_API_KEY or ${label('ORQ_API_KEY_FILE')}, not both`);
    return undefined;
  }
  if (file !== undefined) {
    return readTokenFile(file, readFile, (problem) => {
      errors.push(`${label('ORQ_API_KEY_FILE')}: ${problem}`);
      return undefined;
    });
  }
  if (direct === undefined) {
    errors.push('ORQ_API_KEY: required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API');
    return undefined;
  }
  if (/\s/.test(direct)) {
    errors.push('ORQ_API_KEY: must not contain whitespace');
    return undefined;
  }
  return direct;
}

function readTokenFile(path: string, readFile: (path: string) => string, fail: (problem: string) => undefined): string | undefined {
  let content: string;
  try {
    content = readFile(path);
  } catch (error) {
    return fail(cannotRead(path, error));
  }
  const token = content.trim();
  if (token === '') return fail(`${JSON.stringify(path)} is empty`);
  if (/\s/.test(token)) return fail(`${JSON.stringify(path)} holds more than one word`);
  return token;
}

function parseBaseUrl(text: string, fail: (problem: string) => undefined): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`must be an http:// or https:// URL (got ${JSON.stringify(text)})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail(`must be an http:// or https:// URL (got ${JSON.stringify(text)})`);
  }
  // Credentials in the URL would end up in logs; query and fragment would break the paths.
  if (url.username !== '' || url.password !== '') return fail('must not contain credentials; use ORQ_API_KEY_FILE');
  if (url.search !== '' || url.hash !== '') return fail(`must not have a query or fragment (got ${JSON.stringify(text)})`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `--flag value` and `--flag=value`; unknown flags are errors that name the flag. */
function parseFlags(argv: readonly string[], errors: string[]): Map<string, string> | 'help' | 'version' {
  const known = new Set<string>(SETTINGS.flatMap((s: Setting) => (s.flag ? [s.flag] : [])));
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--version') return 'version';
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!known.has(flag)) {
      errors.push(
        flag === '--orq-api-key'
          ? `${flag}: not accepted, since a flag shows the token in process listings; use ORQ_API_KEY or --orq-api-key-file`
          : `${flag}: unknown flag (see --help)`,
      );
      continue;
    }
    if (eq !== -1) {
      values.set(flag, arg.slice(eq + 1));
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
      values.set(flag, argv[++i]!);
    } else {
      errors.push(`${flag}: needs a value`);
    }
  }
  return values;
}

export function helpText(program: string): string {
  const lines = [
    `Usage: ${program} [flags]`,
    '',
    'Prometheus exporter for orq.ai API keys. Every flag has an environment variable; a flag wins.',
    '',
  ];
  const settings: readonly Setting[] = SETTINGS;
  const width = Math.max(...settings.map((s) => (s.flag ?? '').length)) + 2;
  for (const s of settings) {
    const def = s.default !== undefined ? ` (default ${s.default})` : '';
    lines.push(`  ${(s.flag ?? '').padEnd(width)}${s.env}: ${s.description}${def}`);
  }
  lines.push(`  ${'--help'.padEnd(width)}Show this help.`, `  ${'--version'.padEnd(width)}Print the version.`);
  return `${lines.join('\n')}\n`;
}
