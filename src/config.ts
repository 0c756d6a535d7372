/**
 * Settings from the environment, command-line flags and the files they name, into one frozen
 * Config. Every setting is declared once in SETTINGS (config/settings.ts, which also drives
 * --help and the README's table); every problem is reported as one line that names the
 * setting, and all problems are reported at once so a user fixes them in one go.
 *
 * A pure function of its input (the environment, the arguments and a file reader), so it can
 * be called again to reload.
 */
import { loadWebConfig, type WebConfig } from './config/web-config.js';
import { MAX_FILE_BYTES, readSmallFile } from './util/read-file.js';
import { parseBaseUrl } from './config/base-url.js';
import { listenAddress, telemetryPath, type ListenLabels } from './config/listen.js';
import { Problems } from './config/problems.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import type { SettingName } from './config/settings.js';
import { readSources, type SettingSources } from './config/sources.js';
import { checkToken, readTokenFile, type ReadFile } from './config/tokens.js';
import { boolean, duration, wholeNumber } from './config/values.js';
import { loadWorkspacesFile, MAX_WORKSPACE_NAME, type WorkspaceConfig } from './config/workspaces-file.js';

export { helpText } from './config/help.js';
export { SETTINGS, type Setting, type SettingName } from './config/settings.js';
export type { WorkspaceConfig } from './config/workspaces-file.js';

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
  /** The web config file, parsed and checked; undefined without WEB_CONFIG_FILE. */
  readonly web: WebConfig | undefined;
  /** Where the metrics are served, `/metrics` by default. */
  readonly telemetryPath: string;
  /** Whether POST /-/reload is served. */
  readonly enableLifecycle: boolean;
  /** Most keys accepted from one workspace in one refresh. */
  readonly maxKeys: number;
  /** Whether budgets and their usage are read from GET /v2/budgets. */
  readonly fetchBudgets: boolean;
  /** Whether project names are read from GET /v2/projects. */
  readonly fetchProjects: boolean;
  /** How long project names are cached. */
  readonly projectsTtlMs: number;
}

export const MIN_REFRESH_INTERVAL_MS = 10_000;
export const MIN_PROJECTS_TTL_MS = 10_000;
export const MAX_KEYS_LIMIT = 10_000_000;

export type ConfigResult =
  | {
      readonly ok: true;
      readonly config: Config;
      /** How the user named the listen address and the port, for a failure to listen. */
      readonly listenLabels: ListenLabels;
    }
  | { readonly ok: false; readonly errors: readonly string[] }
  | { readonly ok: 'help' }
  | { readonly ok: 'version' };

export interface ConfigInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly argv: readonly string[];
  /** Reads a file of at most maxBytes, or throws; readSmallFile by default. */
  readonly readFile?: ReadFile;
}

export function loadConfig(input: ConfigInput): ConfigResult {
  const read = readSources(input.env, input.argv);
  if (read.kind === 'help') return { ok: 'help' };
  if (read.kind === 'version') return { ok: 'version' };
  if (read.kind === 'errors') return { ok: false, errors: read.errors };
  const { raw, label } = read.sources;
  const problems = new Problems();
  // Kept out of every line even when unused (beside ORQ_WORKSPACES_FILE) or refused.
  const directToken = raw('ORQ_API_KEY');
  if (directToken !== undefined) problems.secret(directToken);
  const fail = (name: SettingName) => problems.at(label(name));
  const readFile = input.readFile ?? readSmallFile;

  const workspaces = loadWorkspaces(input, read.sources, readFile, problems);

  const refreshIntervalMs = duration(raw('REFRESH_INTERVAL')!, MIN_REFRESH_INTERVAL_MS, fail('REFRESH_INTERVAL'));
  const requestTimeoutMs = duration(raw('REQUEST_TIMEOUT')!, 100, fail('REQUEST_TIMEOUT'));
  const refreshTimeoutMs = duration(raw('REFRESH_TIMEOUT')!, 1_000, fail('REFRESH_TIMEOUT'));
  if (requestTimeoutMs !== undefined && refreshTimeoutMs !== undefined && refreshTimeoutMs < requestTimeoutMs) {
    fail('REFRESH_TIMEOUT')(`must be at least ${label('REQUEST_TIMEOUT')} (${raw('REQUEST_TIMEOUT')})`, raw('REFRESH_TIMEOUT'));
  }
  const projectsTtlMs = duration(raw('ORQ_PROJECTS_TTL')!, MIN_PROJECTS_TTL_MS, fail('ORQ_PROJECTS_TTL'));
  const retries = wholeNumber(raw('REQUEST_RETRIES')!, 0, 10, fail('REQUEST_RETRIES'));
  const maxKeys = wholeNumber(raw('MAX_KEYS')!, 1, MAX_KEYS_LIMIT, fail('MAX_KEYS'));
  const fetchBudgets = boolean(raw('ORQ_FETCH_BUDGETS')!, fail('ORQ_FETCH_BUDGETS'));
  const fetchProjects = boolean(raw('ORQ_FETCH_PROJECTS')!, fail('ORQ_FETCH_PROJECTS'));
  const enableLifecycle = boolean(raw('WEB_ENABLE_LIFECYCLE')!, fail('WEB_ENABLE_LIFECYCLE'));

  const address = listenAddress(raw('LISTEN_ADDRESS')!, fail('LISTEN_ADDRESS'));
  const port = wholeNumber(raw('PORT')!, 0, 65_535, fail('PORT'));
  const metricsPath = telemetryPath(raw('WEB_TELEMETRY_PATH')!, fail('WEB_TELEMETRY_PATH'));

  const logLevel = raw('LOG_LEVEL')!.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) fail('LOG_LEVEL')(`must be one of ${LOG_LEVELS.join(', ')}`, raw('LOG_LEVEL'));

  const webConfigFile = raw('WEB_CONFIG_FILE');
  let web: WebConfig | undefined;
  if (webConfigFile !== undefined) {
    const loaded = loadWebConfig(webConfigFile, { label: label('WEB_CONFIG_FILE'), readFile: (path) => readFile(path, MAX_WEB_FILE_BYTES) });
    if (loaded.ok) web = loaded.config;
    else problems.addLines(loaded.errors);
  }
  if (problems.count > 0 || workspaces === undefined) return { ok: false, errors: problems.lines() };
  return {
    ok: true,
    config: Object.freeze({
      workspaces: Object.freeze(workspaces.map((w) => Object.freeze(w))),
      refreshIntervalMs: refreshIntervalMs!,
      requestTimeoutMs: requestTimeoutMs!,
      refreshTimeoutMs: refreshTimeoutMs!,
      retries: retries!,
      listenAddress: address!,
      port: port!,
      logLevel: logLevel as LogLevel,
      webConfigFile,
      web,
      telemetryPath: metricsPath!,
      enableLifecycle: enableLifecycle!,
      maxKeys: maxKeys!,
      fetchBudgets: fetchBudgets!,
      fetchProjects: fetchProjects!,
      projectsTtlMs: projectsTtlMs!,
    }),
    listenLabels: Object.freeze({ address: label('LISTEN_ADDRESS'), port: label('PORT') }),
  };
}

/** The web config and the certificates it names. */
const MAX_WEB_FILE_BYTES = Math.max(MAX_FILE_BYTES.config, MAX_FILE_BYTES.certificate);

/** The workspaces to poll: from ORQ_WORKSPACES_FILE, or the one that ORQ_API_KEY(_FILE), ORQ_WORKSPACE and ORQ_PROJECT_ID name. */
function loadWorkspaces(input: ConfigInput, sources: SettingSources, readFile: ReadFile, problems: Problems): WorkspaceConfig[] | undefined {
  const { raw, isSet, label } = sources;
  const fail = (name: SettingName) => problems.at(label(name));
  const defaultBaseUrl = parseBaseUrl(raw('ORQ_BASE_URL')!, fail('ORQ_BASE_URL'));
  const workspacesFile = raw('ORQ_WORKSPACES_FILE');
  if (workspacesFile !== undefined) {
    // One way to name workspaces at a time, so no setting is silently ignored.
    for (const name of ['ORQ_API_KEY', 'ORQ_API_KEY_FILE', 'ORQ_WORKSPACE', 'ORQ_PROJECT_ID'] as const) {
      if (isSet(name)) fail(name)(`not used with ${label('ORQ_WORKSPACES_FILE')}; set it per workspace in that file`);
    }
    if (defaultBaseUrl === undefined) return undefined;
    return loadWorkspacesFile({ path: workspacesFile, label: label('ORQ_WORKSPACES_FILE'), defaultBaseUrl, env: input.env, readFile }, problems);
  }
  const token = readToken(sources, readFile, problems);
  const name = raw('ORQ_WORKSPACE')!;
  if (name.length > MAX_WORKSPACE_NAME) fail('ORQ_WORKSPACE')(`must be at most ${MAX_WORKSPACE_NAME} characters (got ${name.length})`);
  if (token === undefined || defaultBaseUrl === undefined) return undefined;
  return [{ name, token, tokenFile: raw('ORQ_API_KEY_FILE'), baseUrl: defaultBaseUrl, projectId: raw('ORQ_PROJECT_ID') }];
}

function readToken(sources: SettingSources, readFile: ReadFile, problems: Problems): string | undefined {
  const { raw, label } = sources;
  const direct = raw('ORQ_API_KEY');
  const file = raw('ORQ_API_KEY_FILE');
  if (direct !== undefined && file !== undefined) {
    return problems.add('ORQ_API_KEY', `set either ORQ_API_KEY or ${label('ORQ_API_KEY_FILE')}, not both`);
  }
  if (direct === undefined && file === undefined) {
    return problems.add('ORQ_API_KEY', 'required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API');
  }
  const read = file !== undefined ? readTokenFile(file, readFile) : checkToken(direct!);
  if (read.ok) {
    problems.secret(read.token);
    return read.token;
  }
  if (read.seen !== undefined) problems.secret(read.seen);
  return problems.add(file !== undefined ? label('ORQ_API_KEY_FILE') : 'ORQ_API_KEY', read.problem);
}
