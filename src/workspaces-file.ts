/**
 * The file that lists several workspaces for one exporter (ORQ_WORKSPACES_FILE):
 *
 *   workspaces:
 *     - name: acme-prod                       # the `workspace` label
 *       api_key_file: /run/secrets/orq-prod   # or api_key_env: ORQ_KEY_PROD
 *       base_url: https://api.orq.ai          # optional, default ORQ_BASE_URL
 *       project_id: proj_123                  # optional filter
 *
 * Every problem is one line naming the setting and the field.
 */
import { parse } from 'yaml';
import { cannotRead } from './util/cannot-read.js';
import { isObject } from './util/json.js';

export interface WorkspaceConfig {
  readonly name: string;
  readonly token: string;
  readonly baseUrl: string;
  readonly projectId: string | undefined;
}

export interface WorkspacesFileInput {
  readonly path: string;
  /** What errors are prefixed with: the env name or the flag the user set. */
  readonly label: string;
  readonly defaultBaseUrl: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => string;
  readonly parseBaseUrl: (text: string, fail: (problem: string) => undefined) => string | undefined;
  readonly readToken: (path: string, fail: (problem: string) => undefined) => string | undefined;
}

const FIELDS = new Set(['name', 'api_key_file', 'api_key_env', 'base_url', 'project_id']);
export const MAX_WORKSPACE_NAME = 128;

export function loadWorkspacesFile(input: WorkspacesFileInput, errors: string[]): WorkspaceConfig[] | undefined {
  const failAt = (where: string) => (problem: string): undefined => {
    errors.push(`${input.label}: ${where === '' ? '' : `${where}: `}${problem}`);
    return undefined;
  };
  let text: string;
  try {
    text = input.readFile(input.path);
  } catch (error) {
    return failAt('')(cannotRead(input.path, error));
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return failAt('')(`${JSON.stringify(input.path)} is not valid YAML (${detail})`);
  }
  const list = isObject(doc) ? doc['workspaces'] : undefined;
  if (!Array.isArray(list) || list.length === 0) return failAt('workspaces')('must be a non-empty list');

  const before = errors.length;
  const names = new Set<string>();
  const workspaces: WorkspaceConfig[] = [];
  list.forEach((entry: unknown, i) => {
    const at = (field: string) => failAt(`workspaces[${i}]${field === '' ? '' : `.${field}`}`);
    if (!isObject(entry)) return at('')('must be a mapping with name and api_key_file or api_key_env');
    for (const field of Object.keys(entry)) if (!FIELDS.has(field)) at(field)('unknown field');

    const name = stringField(entry, 'name', at);
    if (name !== undefined) {
      if (name.length > MAX_WORKSPACE_NAME) at('name')(`must be at most ${MAX_WORKSPACE_NAME} characters`);
      else if (names.has(name)) at('name')(`${JSON.stringify(name)} is listed twice`);
      names.add(name);
    }
    const file = stringField(entry, 'api_key_file', at, false);
    const envName = stringField(entry, 'api_key_env', at, false);
    let token: string | undefined;
    if ((file === undefined) === (envName === undefined)) {
      at('')('needs exactly one of api_key_file and api_key_env');
    } else if (file !== undefined) {
      token = input.readToken(file, at('api_key_file'));
    } else if (envName !== undefined) {
      const value = input.env[envName]?.trim();
      if (!value) at('api_key_env')(`${envName} is not set`);
      else if (/\s/.test(value)) at('api_key_env')(`${envName} must not contain whitespace`);
      else token = value;
    }
    const rawUrl = stringField(entry, 'base_url', at, false);
    const baseUrl = rawUrl === undefined ? input.defaultBaseUrl : input.parseBaseUrl(rawUrl, at('base_url'));
    const projectId = stringField(entry, 'project_id', at, false);
    if (name !== undefined && token !== undefined && baseUrl !== undefined) {
      workspaces.push({ name, token, baseUrl, projectId });
    }
  });
  return errors.length === before ? workspaces : undefined;
}

function stringField(
  entry: Record<string, unknown>,
  field: string,
  at: (field: string) => (problem: string) => undefined,
  required = true,
): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null) return required ? at(field)('required') : undefined;
  if (typeof value !== 'string' || value.trim() === '') return at(field)('must be a non-empty string');
  return value.trim();
}
