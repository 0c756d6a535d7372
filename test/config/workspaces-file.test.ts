/**
 * The workspaces file (ORQ_WORKSPACES_FILE), through loadWorkspacesFile: the workspaces it
 * lists, one line per problem naming the field, and the bounds that keep a hostile file cheap
 * to refuse. That the loader refuses single-workspace settings beside it is config.test.ts's;
 * that refused tokens never show in a line is secrets.test.ts's; the unreadable paths it
 * refuses (devices, FIFOs, oversized files) are files.test.ts's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Problems } from '../../src/config/problems.js';
import type { ReadFile } from '../../src/config/tokens.js';
import { loadWorkspacesFile, MAX_ENTRY_MARKS, MAX_FILE_PROBLEMS, MAX_WORKSPACE_NAME, MAX_WORKSPACES, MAX_WORKSPACES_FILE_BYTES, type WorkspaceConfig } from '../../src/config/workspaces-file.js';
import { FileRefused, readSmallFile } from '../../src/util/read-file.js';

const TOKEN = 'orq-config-test-token-7c41e9a2d05b';
const STAGING = 'orq-config-staging-token-51aa06e3';
const LABEL = 'ORQ_WORKSPACES_FILE';
const DEFAULT_BASE_URL = 'https://orq.default.example';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the file ORQ_WORKSPACES_FILE names in `env`, as the loader does: the workspaces, or undefined and the lines. */
function load(env: Env, readFile: ReadFile = readSmallFile, label = LABEL): { workspaces: WorkspaceConfig[] | undefined; lines: string[] } {
  const problems = new Problems();
  const workspaces = loadWorkspacesFile({ path: env['ORQ_WORKSPACES_FILE']!, label, defaultBaseUrl: DEFAULT_BASE_URL, env, readFile }, problems);
  return { workspaces, lines: problems.lines() };
}
const loaded = (env: Env, readFile?: ReadFile): WorkspaceConfig[] => {
  const { workspaces, lines } = load(env, readFile);
  if (workspaces === undefined || lines.length > 0) throw new Error(`expected workspaces, got ${JSON.stringify(lines)}`);
  return workspaces;
};
const errorsOf = (env: Env, readFile?: ReadFile): string[] => {
  const { workspaces, lines } = load(env, readFile);
  if (lines.length === 0) throw new Error(`expected problems, got ${JSON.stringify(workspaces)}`);
  expect(workspaces).toBeUndefined();
  return lines;
};

/** Files in memory, for the cases about what a file says rather than how it is read. */
const memory: Record<string, string> = {
  '/secrets/token': `  ${TOKEN}\n`,
  '/etc/workspaces.yml': [
    'workspaces:',
    '  - name: acme-prod',
    '    api_key_file: /secrets/token',
    '  - name: acme-staging',
    '    api_key_env: ORQ_KEY_STAGING',
    '    base_url: https://orq.internal.example/',
    '    project_id: proj_9',
    '',
  ].join('\n'),
  '/etc/bad-workspaces.yml': [
    'workspaces:',
    '  - name: a',
    '    api_key_file: /nope',
    '    region: eu',
    '  - name: a',
    '    api_key_env: UNSET_KEY',
    '  - api_key_file: /secrets/token',
    '    api_key_env: ORQ_KEY_STAGING',
    '    base_url: ftp://x',
    '  - just a string',
    '',
  ].join('\n'),
  '/etc/empty-workspaces.yml': 'workspaces: []\n',
  '/etc/mapping-workspaces.yml': 'workspaces: {a: 1}\n',
  '/etc/not-yaml.yml': 'workspaces: [\n',
};
const inMemory: ReadFile = (path, maxBytes) => {
  const content = memory[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  if (Buffer.byteLength(content) > maxBytes) throw new FileRefused('ETOOLARGE', `larger than ${maxBytes} bytes`);
  return content;
};

describe('loadWorkspacesFile', () => {
  it('reads every workspace listed, each with its own token, URL and project, the default URL where none is given', () => {
    expect(loaded({ ORQ_WORKSPACES_FILE: '/etc/workspaces.yml', ORQ_KEY_STAGING: STAGING }, inMemory)).toEqual([
      { name: 'acme-prod', token: TOKEN, tokenFile: '/secrets/token', baseUrl: DEFAULT_BASE_URL, projectId: undefined },
      { name: 'acme-staging', token: STAGING, tokenFile: undefined, baseUrl: 'https://orq.internal.example', projectId: 'proj_9' },
    ]);
  });

  it('names the field of every problem in the file', () => {
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/etc/bad-workspaces.yml', ORQ_KEY_STAGING: STAGING }, inMemory)).toEqual([
      'ORQ_WORKSPACES_FILE: workspaces[0].region: unknown field',
      'ORQ_WORKSPACES_FILE: workspaces[0].api_key_file: cannot read "/nope" (ENOENT)',
      'ORQ_WORKSPACES_FILE: workspaces[1].name: the same as workspaces[0].name; names must be unique',
      'ORQ_WORKSPACES_FILE: workspaces[1].api_key_env: UNSET_KEY is not set',
      'ORQ_WORKSPACES_FILE: workspaces[2].name: required',
      'ORQ_WORKSPACES_FILE: workspaces[2]: needs exactly one of api_key_file and api_key_env',
      'ORQ_WORKSPACES_FILE: workspaces[2].base_url: must be an http:// or https:// URL (got "ftp://x")',
      'ORQ_WORKSPACES_FILE: workspaces[3]: must be a mapping with name and api_key_file or api_key_env',
    ]);
  });

  it.each([
    ['/etc/empty-workspaces.yml', 'ORQ_WORKSPACES_FILE: workspaces: must list at least one workspace'],
    ['/etc/mapping-workspaces.yml', 'ORQ_WORKSPACES_FILE: workspaces: must be a list of workspaces (got a mapping)'],
    ['/nowhere.yml', 'ORQ_WORKSPACES_FILE: cannot read "/nowhere.yml" (ENOENT)'],
  ])('refuses %s', (path, error) => {
    expect(errorsOf({ ORQ_WORKSPACES_FILE: path }, inMemory)).toEqual([error]);
  });

  it('says where a file is not YAML, under the label it is given', () => {
    const problems = new Problems();
    loadWorkspacesFile({ path: '/etc/not-yaml.yml', label: '--orq-workspaces-file', defaultBaseUrl: DEFAULT_BASE_URL, env: {}, readFile: inMemory }, problems);
    const [line, ...rest] = problems.lines();
    expect(rest).toEqual([]);
    expect(line).toMatch(/^--orq-workspaces-file: "\/etc\/not-yaml.yml": not valid YAML: .+$/);
  });

  it('names a workspace by one name, trimmed, and no longer than a label should be', () => {
    const text = (name: string): string => `workspaces:\n  - {name: ${JSON.stringify(name)}, api_key_env: K}\n  - {name: "  w  ", api_key_env: K}\n`;
    const files = (name: string): ReadFile => () => text(name);
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/w.yml', K: TOKEN }, files('w'))).toEqual(['ORQ_WORKSPACES_FILE: workspaces[1].name: the same as workspaces[0].name; names must be unique']);
    expect(loaded({ ORQ_WORKSPACES_FILE: '/w.yml', K: TOKEN }, files('x'.repeat(MAX_WORKSPACE_NAME))).map((w) => w.name)).toEqual(['x'.repeat(MAX_WORKSPACE_NAME), 'w']);
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/w.yml', K: TOKEN }, files('x'.repeat(MAX_WORKSPACE_NAME + 1)))).toEqual([
      `ORQ_WORKSPACES_FILE: workspaces[0].name: must be at most ${MAX_WORKSPACE_NAME} characters`,
    ]);
  });

  it('takes a key from api_key_env or api_key_file, never both, and says which variable is unset or blank', () => {
    const files = (entry: string): ReadFile => (path, max) => (path === '/w.yml' ? `workspaces:\n  - {name: w, ${entry}}\n` : inMemory(path, max));
    expect(loaded({ ORQ_WORKSPACES_FILE: '/w.yml', K: ` ${TOKEN} ` }, files('api_key_env: K'))[0]).toMatchObject({ token: TOKEN, tokenFile: undefined });
    expect(loaded({ ORQ_WORKSPACES_FILE: '/w.yml' }, files('api_key_file: /secrets/token'))[0]).toMatchObject({ token: TOKEN, tokenFile: '/secrets/token' });
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/w.yml', K: TOKEN }, files('api_key_env: K, api_key_file: /secrets/token'))).toEqual([
      'ORQ_WORKSPACES_FILE: workspaces[0]: needs exactly one of api_key_file and api_key_env',
    ]);
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/w.yml', K: '   ' }, files('api_key_env: K'))).toEqual(['ORQ_WORKSPACES_FILE: workspaces[0].api_key_env: K is not set']);
    // A mixed-case name could be a key pasted in the wrong field: it is not repeated.
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/w.yml' }, files('api_key_env: prodKey'))).toEqual(['ORQ_WORKSPACES_FILE: workspaces[0].api_key_env: the variable named is not set']);
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/w.yml', K: 'short' }, files('api_key_env: K'))).toEqual([
      expect.stringMatching(/^ORQ_WORKSPACES_FILE: workspaces\[0\]\.api_key_env: K is 5 characters long/),
    ]);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'workspaces-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const tokenFile = file('token', `${TOKEN}\n`);

describe('the bounds of a workspaces file', () => {
  const listing = (count: number, entry = (i: number) => `  - {name: w${i}, api_key_file: ${JSON.stringify(tokenFile)}}`): string =>
    file(`ws-${count}-${Math.random()}.yml`, `workspaces:\n${Array.from({ length: count }, (_, i) => entry(i)).join('\n')}\n`);

  it(`loads ${MAX_WORKSPACES} workspaces of every field, commented, well within its bounds`, () => {
    const entry = (i: number): string =>
      [
        `  # Production, EU west, team ${i}: the one that pages`,
        `  - name: acme-production-eu-west-${i}        # the workspace label`,
        `    api_key_file: ${JSON.stringify(tokenFile)}`,
        `    base_url: https://orq-${i}.internal.example.com`,
        `    project_id: proj_01J9ZQ4X8V7M2K3N5P6R8S${String(i).padStart(4, '0')}`,
      ].join('\n');
    const path = listing(MAX_WORKSPACES, entry);
    const text = readFileSync(path, 'utf8');
    expect(text.length).toBeLessThan(MAX_WORKSPACES_FILE_BYTES / 2);
    expect(text.match(/[\n,[{]|[-?](?=\s)/g)!.length).toBeLessThan(MAX_ENTRY_MARKS / 2);
    expect(loaded({ ORQ_WORKSPACES_FILE: path })).toHaveLength(MAX_WORKSPACES);
  });

  it('refuses one more in one line, without reading the entries', () => {
    const path = listing(MAX_WORKSPACES + 1, (i) => `  - {name: w${i}, api_key_file: /nonexistent/${i}}`);
    expect(errorsOf({ ORQ_WORKSPACES_FILE: path })).toEqual([
      `ORQ_WORKSPACES_FILE: workspaces: lists ${MAX_WORKSPACES + 1} workspaces; at most ${MAX_WORKSPACES}, each being polled on its own (run another exporter for more)`,
    ]);
  });

  it('refuses 200,000 entries in one line', () => {
    // They once took 23 s and 1.5 GB to load.
    const path = listing(200_000, () => '- 0');
    expect(errorsOf({ ORQ_WORKSPACES_FILE: path })).toEqual([`ORQ_WORKSPACES_FILE: cannot read ${JSON.stringify(path)} (larger than 64 KiB)`]);
  });

  /** Layouts that give the YAML parser the most nodes, or the most keys in one mapping, per byte. */
  const dense: ReadonlyArray<readonly [string, (n: number) => string]> = [
    ['a flow mapping of short keys', (n) => `{${Array.from({ length: n }, (_, i) => `${i.toString(36)}:`).join(',')}}`],
    ['a block mapping', (n) => Array.from({ length: n }, (_, i) => `k${i}: 0`).join('\n')],
    ['a flow sequence', (n) => `[${Array(n).fill('0').join(',')}]`],
    ['a block sequence', (n) => Array(n).fill('- 0').join('\n')],
    ['nested compact sequences', (n) => `${'- '.repeat(n)}0`],
    ['nested flow sequences', (n) => `${'['.repeat(n)}${']'.repeat(n)}`],
  ];

  it.each(dense)('bounds the parse of %s: refused past the bound, quick within it', (_what, layout) => {
    const over = file('dense-over.yml', layout(MAX_ENTRY_MARKS + 2).slice(0, MAX_WORKSPACES_FILE_BYTES));
    expect(errorsOf({ ORQ_WORKSPACES_FILE: over })).toEqual([
      `ORQ_WORKSPACES_FILE: ${JSON.stringify(over)} has more than ${MAX_ENTRY_MARKS} lines and entries, far more than ${MAX_WORKSPACES} workspaces take`,
    ]);
    const within = file('dense-within.yml', layout(MAX_ENTRY_MARKS - 2));
    const started = performance.now();
    const lines = errorsOf({ ORQ_WORKSPACES_FILE: within });
    // Refused for its shape, in a few lines.
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(MAX_FILE_PROBLEMS + 1);
    // Under a second cold; unbounded, a mapping of 13,000 keys in 64 KiB took 5.4 s.
    expect(performance.now() - started).toBeLessThan(8_000);
  });

  it('tells a file with a problem in every entry in a bounded number of lines', () => {
    const lines = errorsOf({ ORQ_WORKSPACES_FILE: listing(MAX_WORKSPACES, (i) => `  - {name: w${i}, api_key_file: /nonexistent/${i}, extra: 1}`) });
    expect(lines).toHaveLength(MAX_FILE_PROBLEMS + 1);
    expect(lines.at(-1)).toBe(`ORQ_WORKSPACES_FILE: ${2 * MAX_WORKSPACES - MAX_FILE_PROBLEMS} more problems not shown`);
  });

  it.each([
    ['!!binary', 'workspaces:\n  - name: !!binary YQ==\n    api_key_env: K\n'],
    ['!!set', 'workspaces: !!set {a, b}\n'],
    ['!workspace', 'workspaces:\n  - !workspace {name: a, api_key_env: K}\n'],
  ])('refuses the unknown tag %s in one line', (tag, text) => {
    expect(errorsOf({ ORQ_WORKSPACES_FILE: file('tagged.yml', text), K: TOKEN })).toEqual([
      `ORQ_WORKSPACES_FILE: "${join(dir, 'tagged.yml')}": the YAML tag "${tag}" is not supported: plain strings, numbers, lists and mappings only`,
    ]);
  });

  it('refuses an alias bomb in one line', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`), 'workspaces: *f', ''].join('\n');
    const lines = errorsOf({ ORQ_WORKSPACES_FILE: file('bomb.yml', bomb) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ORQ_WORKSPACES_FILE: ".*bomb\.yml": not valid YAML: Excessive alias count/);
  });

  it('refuses an api_key_env that holds the key instead of naming a variable', () => {
    const path = file('env-key.yml', `workspaces:\n  - {name: a, api_key_env: ${TOKEN}}\n`);
    expect(errorsOf({ ORQ_WORKSPACES_FILE: path })).toEqual([
      'ORQ_WORKSPACES_FILE: workspaces[0].api_key_env: must be the name of an environment variable (letters, digits and _) that holds the key, not the key',
    ]);
  });
});
