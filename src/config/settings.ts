/**
 * Every setting, declared once: its environment variable, its flags, its default and what it
 * means. The loader, --help and the README's table are all made from this table.
 */
import { MAX_WORKSPACES } from './workspaces-file.js';


export interface Setting {
  readonly env: string;
  /**
   * Its flags, the first the main spelling, the others the exporter-toolkit's; none for the
   * token itself, since a flag would show it in every process listing.
   */
  readonly flags: readonly string[];
  /** A boolean's flag may stand alone for true. */
  readonly type?: 'boolean';
  readonly default?: string;
  readonly description: string;
}

export const SETTINGS = [
  { env: 'ORQ_API_KEY', flags: [], description: 'Workspace management key for the orq.ai API. Prefer ORQ_API_KEY_FILE.' },
  { env: 'ORQ_API_KEY_FILE', flags: ['--orq-api-key-file'], description: 'File holding the API key (a Docker or Kubernetes secret); surrounding whitespace is ignored.' },
  { env: 'ORQ_BASE_URL', flags: ['--orq-base-url'], default: 'https://api.orq.ai', description: 'Base URL of the orq.ai API (self-hosted installs: their own host).' },
  { env: 'ORQ_WORKSPACE', flags: ['--orq-workspace'], default: 'default', description: 'Name given to the workspace in the `workspace` label of every series.' },
  { env: 'ORQ_PROJECT_ID', flags: ['--orq-project-id'], description: 'Only export keys of this project (the API\'s `project_id` filter).' },
  { env: 'ORQ_WORKSPACES_FILE', flags: ['--orq-workspaces-file'], description: `YAML file listing several workspaces (name, api_key_file or api_key_env, optional base_url and project_id), instead of ORQ_API_KEY, ORQ_API_KEY_FILE, ORQ_WORKSPACE and ORQ_PROJECT_ID; at most ${MAX_WORKSPACES} workspaces.` },
  { env: 'ORQ_FETCH_BUDGETS', flags: ['--orq-fetch-budgets'], type: 'boolean', default: 'true', description: 'Also read budgets and their usage from GET /v2/budgets (needs the Budgets permission).' },
  { env: 'ORQ_FETCH_PROJECTS', flags: ['--orq-fetch-projects'], type: 'boolean', default: 'true', description: 'Read project names from GET /v2/projects.' },
  { env: 'ORQ_PROJECTS_TTL', flags: ['--orq-projects-ttl'], default: '10m', description: 'How long project names are cached before they are fetched again; at least 10s.' },
  { env: 'REFRESH_INTERVAL', flags: ['--refresh-interval'], default: '2m', description: 'Time between the end of one refresh and the start of the next; at least 10s.' },
  { env: 'REQUEST_TIMEOUT', flags: ['--request-timeout'], default: '30s', description: 'Timeout of one API request (connect, headers, and each gap in the body); at least 100ms.' },
  { env: 'REFRESH_TIMEOUT', flags: ['--refresh-timeout'], default: '5m', description: 'Deadline of one whole refresh: all pages, retries and waits; at least REQUEST_TIMEOUT.' },
  { env: 'REQUEST_RETRIES', flags: ['--request-retries'], default: '4', description: 'Retries of one page on 429, 5xx, timeouts and network errors (never on 401/403); 0 to 10.' },
  { env: 'MAX_KEYS', flags: ['--max-keys'], default: '100000', description: 'Most keys accepted from one workspace in one refresh, which bounds memory against a hostile upstream; at least 1.' },
  { env: 'LISTEN_ADDRESS', flags: ['--listen-address', '--web.listen-address'], default: '0.0.0.0', description: 'Address the HTTP server binds: an IP address or a host name. `--web.listen-address=host:port` sets it and PORT in one (`:9877` for every address); it wins over LISTEN_ADDRESS and PORT and cannot be combined with --listen-address or --port.' },
  { env: 'PORT', flags: ['--port', '--web.listen-address'], default: '9877', description: 'Port of the metrics path, /healthz, /readyz and /.' },
  { env: 'WEB_TELEMETRY_PATH', flags: ['--web.telemetry-path'], default: '/metrics', description: 'Path the metrics are served on; starts with /, and is not /, /healthz, /readyz or under /-/.' },
  { env: 'WEB_CONFIG_FILE', flags: ['--web.config.file'], description: 'Prometheus exporter web config (TLS, basic auth) for the exporter\'s own endpoints.' },
  { env: 'WEB_ENABLE_LIFECYCLE', flags: ['--web.enable-lifecycle'], type: 'boolean', default: 'false', description: 'Serve POST /-/reload, which loads the settings and files again, as Prometheus\'s flag of this name does.' },
  { env: 'LOG_LEVEL', flags: ['--log-level', '--log.level'], default: 'info', description: 'One of debug, info, warn, error.' },
] as const satisfies readonly Setting[];

export type SettingName = (typeof SETTINGS)[number]['env'];

const BY_NAME = new Map<string, Setting>(SETTINGS.map((s) => [s.env, s]));

export function setting(name: SettingName): Setting {
  return BY_NAME.get(name)!;
}

/** The flag that sets the listen address and the port in one, `host:port`, as the exporter-toolkit's does. */
export const LISTEN_FLAG = '--web.listen-address';

/** A flag that is never accepted, and why: the token in a flag shows in every process listing. */
export const REFUSED_FLAGS: Readonly<Record<string, string>> = {
  '--orq-api-key': 'not accepted, since a flag shows the token in process listings; use ORQ_API_KEY or --orq-api-key-file',
};
