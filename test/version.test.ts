/**
 * The version and revision the exporter reports (orq_exporter_build_info, --version, the
 * landing page): the version from package.json wherever the program runs from (src/ under
 * the tests, dist/src/ in the image), the revision from the image build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileEntries } from './support/compile.js';

const PACKAGE = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('VERSION and REVISION, from src/', () => {
  it('VERSION is the package version', async () => {
    const { VERSION } = await import('../src/version.js');
    expect(VERSION).toBe(PACKAGE.version);
  });

  it('REVISION is BUILD_REVISION as it was when the program started, else unknown', async () => {
    vi.stubEnv('BUILD_REVISION', '0123abc');
    expect((await import('../src/version.js')).REVISION).toBe('0123abc');
    vi.resetModules();
    vi.stubEnv('BUILD_REVISION', undefined);
    expect((await import('../src/version.js')).REVISION).toBe('unknown');
  });
});

describe('VERSION, built into dist/src/', () => {
  let dir: string;
  beforeAll(() => {
    dir = compileEntries(['src/version.ts'], { name: PACKAGE.name, version: '9.8.7', type: 'module' });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const versionIn = (): string =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { VERSION } from ${JSON.stringify(join(dir, 'dist/src/version.js'))}; process.stdout.write(VERSION);`], { encoding: 'utf8' });

  it('is read from the package.json beside dist/', () => {
    expect(versionIn()).toBe('9.8.7');
  });

  it('skips a package.json of another name on the way, and says unknown when it finds none of its own', () => {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist/package.json'), JSON.stringify({ name: 'something-else', version: '0.0.1', type: 'module' }));
    expect(versionIn()).toBe('9.8.7');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'something-else', version: '1.2.3', type: 'module' }));
    expect(versionIn()).toBe('unknown');
  });
});
