/**
 * Compiles entry points of src/ (and what they import) into a fresh directory laid out as the
 * image is, `<dir>/dist/src/...` beside `<dir>/package.json`, for tests of what only a built
 * program does: run as a process, or find files relative to its own location. Only the
 * entries' import graph is compiled, not the whole project, so it takes a second.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function compileEntries(entries: readonly string[], packageJson: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'compiled-'));
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '--ignoreConfig', ...entries, '--outDir', join(dir, 'dist/src'), '--rootDir', 'src', '--module', 'nodenext', '--target', 'es2023', '--types', 'node', '--skipLibCheck'],
    { stdio: 'inherit' },
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson));
  return dir;
}
