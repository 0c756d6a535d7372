/**
 * What a configuration reload changes, worked out from the running configuration and the
 * new one, so that applying it (exporter.ts) is only acting on the answer.
 *
 * A workspace is named by its `name`. One whose settings are all the same is kept as it runs:
 * its snapshot, schedule and rate-limit window go on. So is one whose token changed but is
 * read from the same file: token files are read dynamically (config/token-file.ts), and the
 * new token is handed to the running workspace. Any other change (base URL, project filter,
 * where the token comes from) replaces it: the old one stops, a new one starts, since its data
 * would otherwise mix two sources.
 */
import type { Config, WorkspaceConfig } from '../config.js';
import type { TlsSettings } from './web-config.js';

export interface WorkspacesDiff {
  /** Running workspaces to keep, with their new settings (a new token, at most). */
  readonly kept: readonly WorkspaceConfig[];
  readonly added: readonly WorkspaceConfig[];
  /** Names of running workspaces to stop. */
  readonly removed: readonly string[];
  /** Running workspaces to stop and start again with these settings. */
  readonly replaced: readonly WorkspaceConfig[];
}

export function diffWorkspaces(running: readonly WorkspaceConfig[], next: readonly WorkspaceConfig[]): WorkspacesDiff {
  const before = new Map(running.map((w) => [w.name, w]));
  const after = new Set(next.map((w) => w.name));
  const kept: WorkspaceConfig[] = [];
  const added: WorkspaceConfig[] = [];
  const replaced: WorkspaceConfig[] = [];
  for (const workspace of next) {
    const old = before.get(workspace.name);
    if (old === undefined) added.push(workspace);
    else if (keepable(old, workspace)) kept.push(workspace);
    else replaced.push(workspace);
  }
  const removed = running.filter((w) => !after.has(w.name)).map((w) => w.name);
  return { kept, added, removed, replaced };
}

/** Same upstream and filter, and the token the same or read from the same file. */
function keepable(old: WorkspaceConfig, next: WorkspaceConfig): boolean {
  if (old.baseUrl !== next.baseUrl || old.projectId !== next.projectId || old.tokenFile !== next.tokenFile) return false;
  return old.token === next.token || next.tokenFile !== undefined;
}

/**
 * Settings a reload cannot change, named as the README does; the running values stay. Those
 * from flags and the environment cannot differ in a reload by the process itself (they are
 * read again from the same ones), but `exporter.reload()` may be handed anything.
 */
export function restartOnlyChanges(running: Config, next: Config): string[] {
  const changed: string[] = [];
  const settings: ReadonlyArray<readonly [string, (c: Config) => unknown]> = [
    ['LISTEN_ADDRESS', (c) => c.listenAddress],
    ['PORT', (c) => c.port],
    ['WEB_TELEMETRY_PATH', (c) => c.telemetryPath],
    ['WEB_ENABLE_LIFECYCLE', (c) => c.enableLifecycle],
    ['WEB_CONFIG_FILE', (c) => c.webConfigFile],
    ['LOG_LEVEL', (c) => c.logLevel],
    ['REFRESH_INTERVAL', (c) => c.refreshIntervalMs],
    ['REQUEST_TIMEOUT', (c) => c.requestTimeoutMs],
    ['REFRESH_TIMEOUT', (c) => c.refreshTimeoutMs],
    ['REQUEST_RETRIES', (c) => c.retries],
    ['MAX_KEYS', (c) => c.maxKeys],
    ['ORQ_FETCH_BUDGETS', (c) => c.fetchBudgets],
    ['ORQ_FETCH_PROJECTS', (c) => c.fetchProjects],
    ['ORQ_PROJECTS_TTL', (c) => c.projectsTtlMs],
    ['tls_server_config', (c) => tlsIdentity(c.web?.tls)],
  ];
  for (const [name, value] of settings) if (value(running) !== value(next)) changed.push(name);
  return changed;
}

/**
 * What the listening socket was made with. Certificate and key files are left out: the server
 * already reads them again when they change (http/tls/certificate-reload.ts).
 */
function tlsIdentity(tls: TlsSettings | undefined): string {
  if (tls === undefined) return 'off';
  const { cert, key, ...rest } = tls;
  return JSON.stringify({ ...rest, cert: tls.certFile === undefined ? cert : undefined, key: tls.keyFile === undefined ? key : undefined });
}
