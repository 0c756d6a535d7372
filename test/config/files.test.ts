/**
 * Every file the settings read (a token file, the workspaces file, the token files it names,
 * the web config), read from a real file system: only regular files of a bounded size. How
 * many workspaces a workspaces file may list, and the YAML it may hold, is
 * workspaces-file.test.ts's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MAX_WORKSPACES_FILE_BYTES } from '../../src/config/workspaces-file.js';
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
