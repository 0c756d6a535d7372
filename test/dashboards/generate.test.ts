/**
 * `npm run generate` as a developer runs it: compiled by tsc with tsconfig.scripts.json, run by
 * Node from the repository root. The compiled copy goes to a throwaway folder inside the
 * repository (so its imports find node_modules), never to dist/, which other tests build.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { THRESHOLD_RECORDS } from '../../scripts/dashboards/thresholds.js';
import { RULES_FILE } from '../../scripts/generated.js';
import { run } from '../support/prometheus.js';
import { withThreshold } from './rules-text.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUTPUTS = ['dashboards/orq-api-keys-overview.json', 'deploy/kubernetes/prometheusrule.yaml'];
const committed = (path: string): string => readFileSync(join(root, path), 'utf8');

let compiled: string;
beforeAll(async () => {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  compiled = mkdtempSync(join(root, '.tmp', 'generate-'));
  const tsc = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.scripts.json'), '--outDir', compiled], {
    timeoutMs: 120_000,
  });
  expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
}, 150_000);
afterAll(() => rmSync(compiled, { recursive: true, force: true }));

const generate = (cwd: string, ...args: string[]) => run(process.execPath, [join(compiled, 'scripts/generate.js'), ...args], { cwd });

it('finds every generated file up to date in the repository', async () => {
  const result = await generate(root, '--check');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  for (const path of OUTPUTS) expect(result.stdout).toContain(path);
});

describe('in a checkout with only the rule file', () => {
  let checkout: string;
  beforeEach(() => {
    checkout = mkdtempSync(join(tmpdir(), 'orq-generate-'));
    mkdirSync(join(checkout, 'alerts'));
    copyFileSync(join(root, RULES_FILE), join(checkout, RULES_FILE));
    for (const path of OUTPUTS) mkdirSync(dirname(join(checkout, path)), { recursive: true });
  });
  afterEach(() => rmSync(checkout, { recursive: true, force: true }));
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(join(checkout, path), 'utf8');
    } catch {
      return undefined;
    }
  };

  it('--check lists every missing file, writes nothing and exits 1', async () => {
    const result = await generate(checkout, '--check');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(OUTPUTS.map((p) => `out of date: ${p} (run npm run generate)`));
    for (const path of OUTPUTS) expect(read(path)).toBeUndefined();
  });

  it('writes exactly the committed files, then finds nothing to write', async () => {
    const first = await generate(checkout);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual(OUTPUTS.map((p) => `wrote ${p}`));
    for (const path of OUTPUTS) expect(read(path), path).toBe(committed(path));
    for (const path of OUTPUTS) expect(readdirSync(dirname(join(checkout, path)))).not.toContain(`${path.split('/').pop()}.tmp`);

    const second = await generate(checkout);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('nothing to write: every generated file is up to date\n');
  });

  it('rewrites a stale file and leaves the up-to-date ones alone', async () => {
    for (const path of OUTPUTS) writeFileSync(join(checkout, path), committed(path));
    const [stale = ''] = OUTPUTS;
    writeFileSync(join(checkout, stale), '{"edited": "by hand"}\n');
    const result = await generate(checkout);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`wrote ${stale}\n`);
    expect(read(stale)).toBe(committed(stale));
  });

  it('on a rule file without a threshold, exits 2 with one line per problem and changes no file', async () => {
    const { unusedDays, expiryWarningDays } = THRESHOLD_RECORDS;
    const rules = withThreshold(withThreshold(committed(RULES_FILE), unusedDays, undefined), expiryWarningDays, 'vector(fourteen)');
    writeFileSync(join(checkout, RULES_FILE), rules);
    for (const path of OUTPUTS) writeFileSync(join(checkout, path), 'kept\n');
    for (const args of [[], ['--check']]) {
      const result = await generate(checkout, ...args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^${RULES_FILE}: ${expiryWarningDays}: expr must be vector\\(<days>\\)`)),
        expect.stringMatching(new RegExp(`^${RULES_FILE}: ${unusedDays}: no recording rule by this name`)),
      ]);
      for (const path of OUTPUTS) expect(read(path)).toBe('kept\n');
    }
  });

  it('on an output it cannot read, exits 2 naming it', async () => {
    const [output = ''] = OUTPUTS;
    mkdirSync(join(checkout, output));
    const result = await generate(checkout);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`generate: cannot read "${output}" (EISDIR)\n`);
  });

  it('on an output it cannot write, exits 2 naming it and keeps the old file whole', async () => {
    const [output = ''] = OUTPUTS;
    writeFileSync(join(checkout, output), 'old\n');
    // A folder where the temporary file goes: unwritable for any user, root included.
    mkdirSync(join(checkout, `${output}.tmp`));
    const result = await generate(checkout);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`generate: cannot write "${output}" (EISDIR)\n`);
    expect(read(output)).toBe('old\n');
  });

  it('outside a checkout, says where to run it and exits 2', async () => {
    rmSync(join(checkout, RULES_FILE));
    const result = await generate(checkout);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `generate: cannot read "${RULES_FILE}" (ENOENT); run it from the repository root (npm run generate)\n`,
    );
  });

  it('refuses an argument it does not know, before reading anything', async () => {
    rmSync(join(checkout, RULES_FILE));
    const result = await generate(checkout, '--stdout', '--check');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('generate: unknown argument "--stdout" (only --check)\n');
  });
});
