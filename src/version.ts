import { readFileSync } from 'node:fs';

/** The package version, read once from package.json beside src/ or dist/src/. */
export const VERSION: string = (() => {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'orq-api-keys-exporter' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
})();

/** Set by the image build (`--build-arg REVISION=$(git rev-parse HEAD)`). */
export const REVISION: string = process.env['BUILD_REVISION'] ?? 'unknown';
