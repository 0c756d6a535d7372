/**
 * Every measurement of one workspace size, in an order that keeps one from paying for
 * another's garbage: the fresh process first (while this process holds only the simulator),
 * then the exporter in this process, then prom-client last.
 */
import { gunzipSync } from 'node:zlib';
import { bodyBytes } from '../src/exposition/body.js';
import type { Encoding } from '../src/exposition/exposition.js';
import type { RunningExporter } from '../src/exporter.js';
import { complete, snapshotOf, startBenchExporter, type CompleteRefresh } from './exporter.js';
import { log, perEncoding, SteppingClock, stats, type Timed } from './measure.js';
import { measureHttp } from './measurements/http.js';
import { measureInProcess } from './measurements/in-process.js';
import { measureIrreducible } from './measurements/irreducible.js';
import { measureLoad } from './measurements/load.js';
import { measurePrepare } from './measurements/prepare.js';
import { measurePromClient } from './measurements/prom-client.js';
import { measureFresh } from './measurements/refresh.js';
import { plan } from './plan.js';
import { FIXED_MMAP_THRESHOLD_ENV, type FreshRow, type IrreducibleRow, type LoadRow, type Path, type PrepareRow, type RenderRow } from './results.js';
import { BENCH_NOW_MS, startBenchSimulator, TOKEN } from './workspace.js';

export interface SizeOptions {
  readonly quick: boolean;
  /** Simulated upstream latency per page for the refresh measurement. */
  readonly latencyMs: number;
  /** The largest size also runs a fresh process with glibc's mmap threshold fixed. */
  readonly largest: boolean;
}

export interface SizeResults {
  readonly render: RenderRow[];
  readonly load: LoadRow[];
  readonly fresh: FreshRow[];
  readonly prepare: PrepareRow;
  readonly irreducible: IrreducibleRow;
}

export async function measureSize(keys: number, options: SizeOptions): Promise<SizeResults> {
  const p = plan(keys, options.quick);
  log(`${keys} keys: generating the workspace (keys, projects, budgets) and serving it from the simulator`);
  const simulator = await startBenchSimulator(keys);
  const fresh: FreshRow[] = [];
  const clock = new SteppingClock(BENCH_NOW_MS + 250);
  let load: LoadRow[];
  let exporter: RunningExporter;
  let fetchedAt: number;
  let refresh: CompleteRefresh;
  try {
    log(`${keys} keys: a fresh exporter process refreshes with ${options.latencyMs} ms a page, then takes concurrent load`);
    const measured = await measureFresh(simulator, { latencyMs: options.latencyMs, warmPages: p.warmPages, allocator: 'default' });
    fresh.push(measured.row);
    try {
      load = await measureLoad(measured.child, p.loadSeconds);
    } finally {
      await measured.child.stop();
    }
    if (options.largest) {
      // The same, with glibc's mmap threshold held still: how much of the RSS is the allocator's.
      log(`${keys} keys: again with ${Object.entries(FIXED_MMAP_THRESHOLD_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      const tuned = await measureFresh(simulator, { latencyMs: 0, warmPages: p.warmPages, allocator: 'fixed-mmap-threshold' });
      await tuned.child.stop();
      fresh.push(tuned.row);
    }
    log(`${keys} keys: the exporter in this process (startExporter) refreshes once`);
    exporter = await startBenchExporter(simulator.url, TOKEN, clock.now);
    refresh = complete((await exporter.refreshAll())[0]);
    fetchedAt = clock.now() / 1000;
  } finally {
    // The simulator's records and cached JSON would otherwise be collected on the renders' time.
    await simulator.close();
  }
  if (refresh.list.keys.length !== keys) throw new Error(`listed ${refresh.list.keys.length} keys, expected ${keys}`);
  const snapshot = snapshotOf(refresh, fetchedAt);
  const exposition = exporter.exposition;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) await exporter.stop();
    stopped = true;
  };

  let render: RenderRow[];
  let prepare: PrepareRow;
  let irreducible: IrreducibleRow;
  try {
    // The same second in both encodings: the gzip body must decode to the plain one.
    const built = await perEncoding(async (e) => bodyBytes(await exposition.body(e)));
    if (!gunzipSync(built.gzip).equals(built.identity)) throw new Error('our gzip body does not decode to our plain body');
    prepare = await measurePrepare(snapshot, clock.now);
    irreducible = measureIrreducible(snapshot, p, BENCH_NOW_MS);
    log(`${keys} keys: our renders and the floor (the same bytes already built), in-process`);
    const inProcess = await perEncoding((e) => measureInProcess(p, exposition, clock, e, built[e]));
    log(`${keys} keys: scrapes over HTTP of the exporter, of its app through a Response, and of the floor, in turn`);
    const http = await measureHttp(p, exporter.url, exposition, clock, built);
    // Stopped before prom-client runs, so its server and timers are not alive during it.
    await stop();
    log(`${keys} keys: the prom-client baseline, in-process and over HTTP`);
    const baseline = await measurePromClient(p, snapshot, clock);
    const row = (path: Path, encoding: Encoding, ours: Timed, floor: Timed, base: Timed, responsePath?: Timed): RenderRow => ({
      keys,
      encoding,
      path,
      ours: stats(ours.samples),
      baseline: stats(base.samples),
      floor: stats(floor.samples),
      concat: floor.concat && stats(floor.concat),
      responsePath: responsePath && stats(responsePath.samples),
      bytes: ours.bytes,
      baselineBytes: base.bytes,
    });
    render = [];
    for (const e of ['identity', 'gzip'] as const) render.push(row('in-process', e, inProcess[e].ours, inProcess[e].floor, baseline[e].inProcess));
    for (const e of ['identity', 'gzip'] as const) render.push(row('HTTP', e, http[e].ours, http[e].floor, baseline[e].http, http[e].responsePath));
  } finally {
    await stop();
  }
  return { render, load, fresh, prepare, irreducible };
}
