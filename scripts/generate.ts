/**
 * Writes every generated file from the code and alerts/orq-api-keys.rules.yml: the Grafana
 * dashboards and the Kubernetes PrometheusRule, which both follow the rule file, so one command
 * after editing it. Compiled by tsc like the exporter, so a type error stops it before it
 * writes anything. From the repository root:
 *
 *   npm run generate               rewrite the files that changed
 *   npm run generate -- --check    write nothing; list the files that are out of date (exit 1)
 *
 * Exit 2, with one line per problem, when the rule file cannot be read or lacks a threshold, or
 * an output cannot be read or written.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cannotRead } from '../src/util/cannot-read.js';
import { MAX_FILE_BYTES, readSmallFile } from '../src/util/read-file.js';
import { generate, RULES_FILE, type GeneratedFile } from './generated.js';

const EXIT_OUT_OF_DATE = 1;
const EXIT_BAD_INPUT = 2;

function main(args: readonly string[], root: string): number {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    for (const a of unknown) console.error(`generate: unknown argument ${JSON.stringify(a)} (only --check)`);
    return EXIT_BAD_INPUT;
  }
  let rulesText: string;
  try {
    rulesText = readSmallFile(join(root, RULES_FILE), MAX_FILE_BYTES.config);
  } catch (error) {
    console.error(`generate: ${cannotRead(RULES_FILE, error)}; run it from the repository root (npm run generate)`);
    return EXIT_BAD_INPUT;
  }
  const result = generate(rulesText);
  if (!result.ok) {
    for (const problem of result.problems) console.error(problem);
    return EXIT_BAD_INPUT;
  }
  // Everything is rendered before anything is written: a failure above leaves every file as it was.
  const stale = result.files.filter((file) => current(root, file) !== file.text);
  if (args.includes('--check')) {
    for (const file of stale) console.error(`out of date: ${file.path} (run npm run generate)`);
    if (stale.length === 0) console.log(`up to date: ${result.files.map((f) => f.path).join(', ')}`);
    return stale.length === 0 ? 0 : EXIT_OUT_OF_DATE;
  }
  for (const file of stale) {
    // Through a temporary file and a rename, so an interrupted run never leaves half a file.
    const path = join(root, file.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, file.text);
      renameSync(`${path}.tmp`, path);
    } catch (error) {
      throw new Error(`cannot write ${JSON.stringify(file.path)} (${errorCode(error) ?? 'unwritable'})`);
    }
    console.log(`wrote ${file.path}`);
  }
  if (stale.length === 0) console.log('nothing to write: every generated file is up to date');
  return 0;
}

/** The committed text, or undefined when the file does not exist yet. */
function current(root: string, file: GeneratedFile): string | undefined {
  try {
    return readFileSync(join(root, file.path), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new Error(cannotRead(file.path, error));
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

try {
  process.exitCode = main(process.argv.slice(2), process.cwd());
} catch (error) {
  // An output that cannot be read or written; the message names it.
  console.error(`generate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = EXIT_BAD_INPUT;
}
