/**
 * The demo as a user runs it, `node dist/src/demo.js`: the answers it gives before starting
 * anything (--help, --version, refused settings). Its page in a browser is
 * e2e/browser.test.ts's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, exit, type Built } from './support/programs.js';

let demo: Built;
beforeAll(() => {
  demo = buildProgram('demo');
}, 120_000);
afterAll(() => demo?.remove());

const run = (env: Record<string, string>, args: string[] = []) => demo.run(env, args);

describe('demo', () => {
  it('answers --help with the exporter’s settings and its own', async () => {
    const result = await exit(run({}, ['--help']));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run demo -- \[flags\]\n/);
    for (const text of ['--refresh-interval', 'REFRESH_INTERVAL', '--web.listen-address', 'DEMO_KEYS', 'DEMO_SEED']) expect(result.stdout).toContain(text);
    expect(result.stderr).toBe('');
  });

  it('answers --version', async () => {
    const result = await exit(run({}, ['--version']));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^orq-api-keys-exporter \d+\.\d+\.\d+ \(demo\)\n$/);
  });

  it('refuses, before starting anything, the flags that choose the upstream and bad demo settings', async () => {
    const result = await exit(run({ DEMO_KEYS: '1e9', DEMO_SEED: 'x' }, ['--orq-base-url=http://elsewhere', '--orq-workspaces-file', '/w.yml']));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        '--orq-workspaces-file: not used by the demo, which runs its own simulated workspace',
        '--orq-base-url: not used by the demo, which runs its own simulated workspace',
        'DEMO_KEYS: must be a whole number from 0 to 100000 (got "1e9")',
        'DEMO_SEED: must be a whole number (got "x")',
        '',
      ].join('\n'),
    );
  });
});
