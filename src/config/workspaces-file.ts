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
import { isObject, describe, YAML_WORDS } from '../util/json.js';
import { parseYaml } from '../util/yaml.js';
import { parseBaseUrl } from './base-url.js';
import type { Problems } from './problems.js';
import { cannotReadPath, checkToken, readTokenFile, TOKEN_LENGTH, type ReadFile, type TokenRead } from './tokens.js';
import type { Fail } from './values.js';

export interface WorkspaceConfig {
  readonly name: string;
  readonly token: string;
  /**
   * The file the token was read from (ORQ_API_KEY_FILE, api_key_file): watched, so a rotated
   * token is used without a restart. Undefined for a token given as a value.
   */
  readonly tokenFile?: string | undefined;
  readonly baseUrl: string;
  readonly projectId: string | undefined;
}

export interface WorkspacesFileInput {
  readonly path: string;
  /** What errors are prefixed with: the env name or the flag the user set. */
  readonly label: string;
  readonly defaultBaseUrl: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: ReadFile;
}

const FIELDS = new Set(['name', 'api_key_file', 'api_key_env', 'base_url', 'project_id']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Shorter than any API token (config/tokens.ts), so one pasted as a field name is never repeated. */
const PLAIN_FIELD = new RegExp(`^[A-Za-z_][A-Za-z0-9_]{0,${TOKEN_LENGTH.min - 2}}$`);
export const MAX_WORKSPACE_NAME = 128;
/**
 * Each workspace is a poller and an upstream connection of its own, refreshing in parallel, with
 * some forty health series: a hundred is far beyond any organisation's workspaces.
 */
export const MAX_WORKSPACES = 100;
/** A file with a problem in every entry is told in this many lines, and a count of the rest. */
export const MAX_FILE_PROBLEMS = 50;
/**
 * A file of 200,000 entries took 23 s and 1.5 GB to load: the yaml package takes some 25 µs a
 * node, and checks a mapping's keys for duplicates in quadratic time (13,000 keys in 64 KiB:
 * 5.4 s). So the file is bounded before it is parsed: in bytes (a hundred commented
 * workspaces of four fields fill about a third), and in the places an entry can start (a
 * line, a `,`, a `[` or `{`, a `- ` or `? `; such a hundred take some 500), which bounds the
 * nodes and keys to parse whatever the layout: under a second, cold.
 */
export const MAX_WORKSPACES_FILE_BYTES = 64 * 1024;
export const MAX_ENTRY_MARKS = 2_000;
const ENTRY_MARK = /[\n,[{]|[-?](?=\s)/g;

export function loadWorkspacesFile(input: WorkspacesFileInput, problems: Problems): WorkspaceConfig[] | undefined {
  const before = problems.count;
  let hidden = 0;
  const failAt = (where: string) => (problem: string, got?: string): undefined => {
    if (problems.count - before >= MAX_FILE_PROBLEMS) hidden++;
    else problems.add(where === '' ? input.label : `${input.label}: ${where}`, problem, got);
    return undefined;
  };
  const result = read(input, failAt, (token) => problems.secret(token));
  if (hidden > 0) problems.add(input.label, `${hidden} more problems not shown`);
  return problems.count === before ? result : undefined;
}

type At = (where: string) => Fail;

function read(input: WorkspacesFileInput, failAt: At, secret: (token: string) => void): WorkspaceConfig[] | undefined {
  let text: string;
  try {
    text = input.readFile(input.path, MAX_WORKSPACES_FILE_BYTES);
  } catch (error) {
    return failAt('')(cannotReadPath(input.path, error));
  }
  let marks = 0;
  for (ENTRY_MARK.lastIndex = 0; ENTRY_MARK.exec(text) !== null && marks <= MAX_ENTRY_MARKS; ) marks++;
  if (marks > MAX_ENTRY_MARKS) {
    return failAt('')(`${JSON.stringify(input.path)} has more than ${MAX_ENTRY_MARKS} lines and entries, far more than ${MAX_WORKSPACES} workspaces take`);
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    for (const problem of parsed.problems) failAt('')(`${JSON.stringify(input.path)}: ${problem}`);
    return undefined;
  }
  const list = isObject(parsed.value) ? parsed.value['workspaces'] : undefined;
  if (!Array.isArray(list)) return failAt('workspaces')(`must be a list of workspaces (got ${describe(list, YAML_WORDS)})`);
  if (list.length === 0) return failAt('workspaces')('must list at least one workspace');
  if (list.length > MAX_WORKSPACES) {
    return failAt('workspaces')(`lists ${list.length} workspaces; at most ${MAX_WORKSPACES}, each being polled on its own (run another exporter for more)`);
  }

  /** Each name and where it was first listed. */
  const names = new Map<string, number>();
  const workspaces: WorkspaceConfig[] = [];
  list.forEach((entry: unknown, i) => {
    const at: At = (field) => failAt(`workspaces[${i}]${field === '' ? '' : `.${field}`}`);
    if (!isObject(entry)) return at('')('must be a mapping with name and api_key_file or api_key_env');
    for (const field of Object.keys(entry)) {
      if (FIELDS.has(field)) continue;
      // A field name is repeated only when it reads like one: a key pasted as a field name must not show.
      if (PLAIN_FIELD.test(field)) at(field)('unknown field');
      else at('')(`has an unknown field (expected ${[...FIELDS].join(', ')})`);
    }

    const name = stringField(entry, 'name', at);
    if (name !== undefined) {
      if (name.length > MAX_WORKSPACE_NAME) at('name')(`must be at most ${MAX_WORKSPACE_NAME} characters`);
      else if (names.has(name)) at('name')(`the same as workspaces[${names.get(name)}].name; names must be unique`);
      else names.set(name, i);
    }
    const token = readToken(entry, input, at, secret);
    const tokenFile = stringField(entry, 'api_key_file', () => () => undefined, false);
    const rawUrl = stringField(entry, 'base_url', at, false);
    const baseUrl = rawUrl === undefined ? input.defaultBaseUrl : parseBaseUrl(rawUrl, at('base_url'));
    const projectId = stringField(entry, 'project_id', at, false);
    if (name !== undefined && token !== undefined && baseUrl !== undefined) {
      workspaces.push({ name, token, tokenFile, baseUrl, projectId });
    }
  });
  return workspaces;
}

function readToken(entry: Record<string, unknown>, input: WorkspacesFileInput, at: At, secret: (token: string) => void): string | undefined {
  const file = stringField(entry, 'api_key_file', at, false);
  const envName = stringField(entry, 'api_key_env', at, false);
  if ((file === undefined) === (envName === undefined)) return at('')('needs exactly one of api_key_file and api_key_env');
  let read: TokenRead;
  if (file !== undefined) {
    read = readTokenFile(file, input.readFile);
  } else {
    if (!ENV_NAME.test(envName!)) return at('api_key_env')('must be the name of an environment variable (letters, digits and _) that holds the key, not the key');
    // Named when it reads like a variable name, UPPER_CASE as they are: a key is mixed-case.
    const named = /^[A-Z_][A-Z0-9_]*$/.test(envName!) ? envName! : 'the variable named';
    const value = input.env[envName!];
    if (value === undefined || value.trim() === '') return at('api_key_env')(`${named} is not set`);
    const checked = checkToken(value);
    read = checked.ok ? checked : { ...checked, problem: `${named} ${checked.problem}` };
  }
  if (read.ok) {
    secret(read.token);
    return read.token;
  }
  if (read.seen !== undefined) secret(read.seen);
  return at(file !== undefined ? 'api_key_file' : 'api_key_env')(read.problem);
}

function stringField(
  entry: Record<string, unknown>,
  field: string,
  at: At,
  required = true,
): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null) return required ? at(field)('required') : undefined;
  if (typeof value !== 'string' || value.trim() === '') return at(field)('must be a non-empty string');
  return value.trim();
}
