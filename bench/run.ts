/**
 * `npm run bench`: what a scrape and a refresh of the exporter as it ships cost at 1,000,
 * 10,000 and 100,000 keys, against a plain prom-client exporter and against the floor (writing
 * the same bytes, already built), all measured in this one run; then the targets (targets.ts)
 * judged. Prints the Markdown, writes it when asked (cli.ts), and exits 1 if a target fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../src/version.js';
import { parseBenchArgs, USAGE, type BenchOptions } from './cli.js';
import { machine } from './machine.js';
import { markdown, readmeSection, RESULTS_HEAD, verdict, withReadmeSection } from './markdown.js';
import { collectGarbage, log } from './measure.js';
import { measureEmpty } from './measurements/refresh.js';
import type { FreshRow, IrreducibleRow, LoadRow, PrepareRow, RenderRow, Results } from './results.js';
import { measureSize } from './size.js';
import { evaluate, failed } from './targets.js';

/** Relative to dist/bench/run.js, where `npm run bench` runs it from. */
const repoFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

async function runBench(options: BenchOptions): Promise<Results> {
  const started = performance.now();
  const m = machine();
  log(`sizes ${options.sizes.join(', ')}${options.quick ? ' (quick)' : ''} on ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.load}`);
  const render: RenderRow[] = [];
  const load: LoadRow[] = [];
  const fresh: FreshRow[] = [];
  const prepare: PrepareRow[] = [];
  const irreducible: IrreducibleRow[] = [];
  log('empty exporter processes (the memory base)');
  const empty = [await measureEmpty(options.latencyMs, 'default'), await measureEmpty(options.latencyMs, 'fixed-mmap-threshold')];
  const largest = Math.max(...options.sizes);
  for (const keys of options.sizes) {
    const r = await measureSize(keys, { quick: options.quick, latencyMs: options.latencyMs, largest: keys === largest });
    render.push(...r.render);
    load.push(...r.load);
    fresh.push(...r.fresh);
    prepare.push(r.prepare);
    irreducible.push(r.irreducible);
    collectGarbage();
  }
  return { machine: m, quick: options.quick, render, load, fresh, empty, prepare, irreducible, durationSeconds: (performance.now() - started) / 1000 };
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseBenchArgs(argv);
  if (cli.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cli.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (cli.kind === 'errors') {
    process.stderr.write(`${cli.errors.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const results = await runBench(cli.options);
  const judged = evaluate(results);
  const text = markdown(results, judged);
  process.stdout.write(`${text}\n`);
  if (cli.options.write) {
    const section = readmeSection(results, judged);
    writeFileSync(repoFile('bench/RESULTS.md'), `${RESULTS_HEAD}\n\n${text}\n`);
    writeFileSync(repoFile('bench/README-section.md'), `${section}\n`);
    writeFileSync(repoFile('README.md'), withReadmeSection(readFileSync(repoFile('README.md'), 'utf8'), section));
    log('wrote bench/RESULTS.md, bench/README-section.md and the performance section of README.md');
  }
  const failures = failed(judged);
  for (const j of judged) log(`${verdict(j)} ${j.target.name}`);
  if (failures.length > 0) log(`${failures.length} of ${judged.length} targets failed`);
  return failures.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
