/**
 * Every file the settings read (a token file, the workspaces file, the token files it names,
 * the web config), read from a real file system: only regular files of a bounded size, and a
 * workspaces file of plain YAML listing a bounded number of workspaces.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MAX_ENTRY_MARKS, MAX_FILE_PROBLEMS, MAX_WORKSPACES, MAX_WORKSPACES_FILE_BYTES } from '../../src/config/workspaces-file.js';
import { MAX_FILE_BYTES } from '../../src/util/read-file.js';

const TOKEN = 'orq-files-test-token-8e1f0a4b7c';
const dir = mkdtempSync(join(tmpdir(), 'config-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const tokenFile = file('token', `${TOKEN}\n`);
const workspacesListing = (tokenPath: string): string => file(`ws-${Math.random()}.yml`, `workspaces:\n  - name: a\n    api_key_file: ${JSON.stringify(tokenPath)}\n`);

const errorsOf = (env: Record<string, string>, argv: string[] = []): readonly string[] => {
  const result = loadConfig({ env, argv });
  if (result.ok !== false) throw new Error(`expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
};

/** Paths that are no token or config file: a device that never ends, a FIFO nobody writes, a directory, a file over the cap. */
const hostile = (cap: number): ReadonlyArray<readonly [string, string, RegExp]> => [
  ['/dev/zero', '/dev/zero', /\(not a regular file\)$/],
  ['/dev/urandom', '/dev/urandom', /\(not a regular file\)$/],
  ['a FIFO with no writer', fifo, /\(not a regular file\)$/],
  ['a directory', dir, /\((EISDIR|not a regular file)\)$/],
  ['a file one byte over the cap', file(`big-${cap}`, Buffer.alloc(cap + 1, 0x61)), /\(larger than \d+ (KiB|MiB)\)$/],
];

describe('files named by the settings', () => {
  it.each(hostile(MAX_FILE_BYTES.token))('ORQ_API_KEY_FILE refuses %s at once, in one line', (_what, path, reason) => {
    const lines = errorsOf({ ORQ_API_KEY_FILE: path });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^ORQ_API_KEY_FILE: cannot read ${JSON.stringify(path).replace(/[/.]/g, '\\$&')} `));
    expect(lines[0]).toMatch(reason);
  });

  it.each(hostile(MAX_WORKSPACES_FILE_BYTES))('ORQ_WORKSPACES_FILE refuses %s at once, in one line', (_what, path, reason) => {
    const lines = errorsOf({ ORQ_WORKSPACES_FILE: path });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith('ORQ_WORKSPACES_FILE: cannot read ')).toBe(true);
    expect(lines[0]).toMatch(reason);
  });

  it.each(hostile(MAX_FILE_BYTES.token))('a workspace’s api_key_file refuses %s at once, in one line', (_what, path, reason) => {
    const lines = errorsOf({ ORQ_WORKSPACES_FILE: workspacesListing(path) });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith('ORQ_WORKSPACES_FILE: workspaces[0].api_key_file: cannot read ')).toBe(true);
    expect(lines[0]).toMatch(reason);
  });

  it.each(hostile(MAX_FILE_BYTES.config))('WEB_CONFIG_FILE refuses %s at once, in one line', (_what, path, reason) => {
    const lines = errorsOf({ ORQ_API_KEY: TOKEN, WEB_CONFIG_FILE: path });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith('WEB_CONFIG_FILE: cannot read ')).toBe(true);
    expect(lines[0]).toMatch(reason);
  });

  it('reads a token file of exactly the cap, and through a workspaces file too', () => {
    const longest = file('longest', `${'k'.repeat(4096)}${' '.repeat(MAX_FILE_BYTES.token - 4096)}`);
    expect(loadConfig({ env: { ORQ_API_KEY_FILE: longest }, argv: [] }).ok).toBe(true);
    expect(loadConfig({ env: { ORQ_WORKSPACES_FILE: workspacesListing(tokenFile) }, argv: [] }).ok).toBe(true);
  });
});

describe('the workspaces file', () => {
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
    const result = loadConfig({ env: { ORQ_WORKSPACES_FILE: path }, argv: [] });
    expect(result.ok === true && result.config.workspaces).toHaveLength(MAX_WORKSPACES);
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
