import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cannotRead } from '../../src/util/cannot-read.js';
import { FileRefused, readSmallFile } from '../../src/util/read-file.js';

const dir = mkdtempSync(join(tmpdir(), 'read-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(path: string, max: number): string {
  try {
    readSmallFile(path, max);
  } catch (error) {
    return cannotRead(path, error);
  }
  throw new Error(`${path} was read`);
}

describe('readSmallFile', () => {
  it('reads a regular file, and one behind a symlink as a Kubernetes secret mount has', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'abc\n');
    const link = join(dir, 'link');
    symlinkSync(file, link);
    expect(readSmallFile(file, 16)).toBe('abc\n');
    expect(readSmallFile(link, 16)).toBe('abc\n');
  });

  it('reads a file of exactly the cap and refuses one byte more', () => {
    const file = join(dir, 'exact');
    writeFileSync(file, 'x'.repeat(64));
    expect(readSmallFile(file, 64)).toHaveLength(64);
    writeFileSync(file, 'x'.repeat(65));
    expect(() => readSmallFile(file, 64)).toThrow(FileRefused);
    expect(refusal(file, 64)).toBe(`cannot read ${JSON.stringify(file)} (larger than 64 bytes)`);
  });

  it('refuses a device that never ends without reading it', () => {
    expect(refusal('/dev/zero', 1024)).toBe('cannot read "/dev/zero" (not a regular file)');
    expect(refusal('/dev/urandom', 1024)).toBe('cannot read "/dev/urandom" (not a regular file)');
  });

  it('refuses a FIFO with no writer at once instead of waiting for one', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(fifo, 1024)).toBe(`cannot read ${JSON.stringify(fifo)} (not a regular file)`);
  });

  it('refuses a directory and names a missing file by its code', () => {
    expect(refusal(dir, 1024)).toMatch(/\((EISDIR|not a regular file)\)$/);
    expect(refusal(join(dir, 'missing'), 1024)).toBe(`cannot read ${JSON.stringify(join(dir, 'missing'))} (ENOENT)`);
  });

  it('names the cap in KiB or MiB when it is a whole number of them', () => {
    const file = join(dir, 'big');
    writeFileSync(file, Buffer.alloc(16 * 1024 + 1, 0x61));
    expect(refusal(file, 16 * 1024)).toMatch(/\(larger than 16 KiB\)$/);
  });
});
