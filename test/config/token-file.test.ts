import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSignature, TokenFile } from '../../src/config/token-file.js';
import { secretMount } from '../support/secret-mount.js';

const FIRST = 'sk-orq-01HFIRSTFIRSTFIRSTFIRSTFIR-one';
const SECOND = 'sk-orq-01HSECONDSECONDSECONDSECO-two';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'token-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function watch(path: string, token = FIRST) {
  const changes: string[] = [];
  const refused: string[] = [];
  const file = new TokenFile({ path, token, onChange: (t) => changes.push(t), onRefused: (p) => refused.push(p) });
  return { file, changes, refused };
}

describe('TokenFile', () => {
  it('reads nothing again while the file is unchanged', () => {
    const mount = secretMount(dir, FIRST);
    let reads = 0;
    const file = new TokenFile({ path: mount.path, token: FIRST, onChange: () => undefined, onRefused: () => undefined, readFile: () => (reads++, FIRST) });
    expect(file.recheck()).toBe(false);
    expect(file.recheck()).toBe(false);
    expect(reads).toBe(0);
  });

  it('follows a symlink swap of ..data, as a Kubernetes secret is updated', () => {
    const mount = secretMount(dir, FIRST);
    const { file, changes } = watch(mount.path);
    mount.swap(SECOND);
    expect(file.recheck()).toBe(true);
    expect(file.current()).toBe(SECOND);
    expect(changes).toEqual([SECOND]);
    expect(file.recheck()).toBe(false);
  });

  it('follows a file rewritten in place', () => {
    const path = join(dir, 'plain');
    writeFileSync(path, FIRST);
    const { file, changes } = watch(path);
    writeFileSync(path, `  ${SECOND}\n`);
    expect(file.recheck()).toBe(true);
    expect(changes).toEqual([SECOND]);
  });

  it('keeps the current token when the new one is refused, saying why once and never quoting it', () => {
    const mount = secretMount(dir, FIRST);
    const { file, changes, refused } = watch(mount.path);
    mount.swap('sk-orq-01H two words in a key');
    expect(file.recheck()).toBe(false);
    expect(file.recheck()).toBe(false);
    expect(file.current()).toBe(FIRST);
    expect(changes).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(JSON.stringify(mount.path));
    expect(refused[0]).not.toContain('two words');

    mount.swap(SECOND);
    expect(file.recheck()).toBe(true);
    expect(file.current()).toBe(SECOND);
  });

  it('keeps the current token while the file is gone, saying so once', () => {
    const path = join(dir, 'gone');
    writeFileSync(path, FIRST);
    const { file, refused } = watch(path);
    rmSync(path);
    expect(file.recheck()).toBe(false);
    expect(file.recheck()).toBe(false);
    expect(refused).toEqual([`cannot read ${JSON.stringify(path)} (ENOENT)`]);
    expect(file.current()).toBe(FIRST);
    writeFileSync(path, SECOND);
    expect(file.recheck()).toBe(true);
  });

  it('adopts a token a reload read, telling of it only when it is new', () => {
    const path = join(dir, 'plain');
    writeFileSync(path, FIRST);
    const { file, changes } = watch(path);
    expect(file.adopt(FIRST)).toBe(false);
    writeFileSync(path, SECOND);
    expect(file.adopt(SECOND)).toBe(true);
    // The file was looked at by the adoption: no second read and no second change.
    expect(file.recheck()).toBe(false);
    expect(changes).toEqual([SECOND]);
  });

  it('tells a symlink swap from the same content by the inode', () => {
    const mount = secretMount(dir, FIRST);
    const before = statSignature(mount.path);
    mount.swap(FIRST);
    expect(statSignature(mount.path)).not.toBe(before);
  });
});
