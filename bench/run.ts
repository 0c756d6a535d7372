/**
 * `npm run bench`: what a scrape and a refresh cost at 1,000, 10,000 and 100,000 keys, against
 * a plain prom-client exporter and against the floor (writing the same bytes, already built),
 * all measured in this one run. `--sizes 1000 --quick` runs small in a few seconds;
 * `--no-write` leaves bench/RESULTS.md and bench/README-section.md alone, as quick runs do
 * unless given `--write`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { constants, deflateRawSync, gunzipSync } from 'node:zlib';
import { autocannon, type LoadResult } from './autocannon.js';
import type { ChildReport } from './child.js';
import { Registry } from 'prom-client';
import { Exposition, type Encoding } from '../src/exposition/exposition.js';
import { createHealthMetrics } from '../src/exposition/health.js';
import { prepareSnapshot } from '../src/exposition/prepare.js';
import { renderClockFamilies } from '../src/exposition/scrape.js';
import { startSimulator } from '../src/simulator/index.js';
import { PromClientBaseline } from './baseline.js';
import { startFreshExporter } from './fresh.js';
import { Scraper, serveBytes, serveExposition } from './http.js';
import { collectGarbage, sample, stats, SteppingClock } from './measure.js';
import {
  FIXED_MMAP_THRESHOLD_ENV,
  judge,
  markdown,
  readmeSection,
  RESULTS_HEAD,
  type Allocator,
  type IrreducibleRow,
  type FreshRow,
  type LoadRow,
  type Machine,
  type PrepareRow,
  type RenderRow,
  type Results,
} from './report.js';
import type { Snapshot } from '../src/snapshot.js';
import { BENCH_NOW_MS, openWorkspace, TOKEN } from './workspace.js';

interface Options {
  readonly sizes: readonly number[];
  readonly quick: boolean;
  readonly write: boolean;
  /** Simulated upstream latency per page for the refresh measurement. */
  readonly latencyMs: number;
}

interface Plan {
  readonly ours: number;
  readonly baseline: number;
  /** Unmeasured baseline scrapes first; a 100,000-key prom-client scrape warms up on its own. */
  readonly baselineWarmup: number;
  readonly floor: number;
  readonly loadSeconds: number;
  /** Pages a fresh exporter fetches before the refresh that is timed. */
  readonly warmPages: number;
}

const CONNECTIONS = 10;
const ENCODINGS: readonly Encoding[] = ['identity', 'gzip'];

function parseArgs(argv: readonly string[]): Options {
  let sizes = [1_000, 10_000, 100_000];
  let quick = false;
  let write = true;
  let forceWrite = false;
  let latencyMs = 20;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, undefined];
    if (flag === '--quick') quick = true;
    else if (flag === '--no-write') write = false;
    else if (flag === '--write') forceWrite = true;
    else if (flag === '--sizes') {
      const values: string[] = inline !== undefined ? [inline] : [];
      while (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) values.push(argv[++i]!);
      sizes = values.flatMap((v) => v.split(',')).map((v) => Number(v.replace(/_/g, '')));
      if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--sizes needs positive integers, got ${values.join(' ')}`);
    } else if (flag === '--latency') {
      latencyMs = Number(inline ?? argv[++i]);
      if (!(latencyMs > 0)) throw new Error('--latency needs milliseconds > 0');
    } else {
      throw new Error(`unknown argument ${arg} (known: --sizes N[,N…], --quick, --write, --no-write, --latency MS)`);
    }
  }
  return { sizes, quick, write: forceWrite || (write && !quick), latencyMs };
}

function plan(keys: number, quick: boolean): Plan {
  const full =
    keys <= 1_000
      ? { ours: 200, baseline: 60, baselineWarmup: 1, floor: 200 }
      : keys <= 10_000
        ? { ours: 60, baseline: 15, baselineWarmup: 1, floor: 60 }
        : { ours: 12, baseline: 2, baselineWarmup: 0, floor: 12 };
  // An 84 MiB body takes autocannon's ten connections seconds to read: give them time to finish some.
  if (!quick) return { ...full, loadSeconds: keys <= 10_000 ? 3 : 8, warmPages: 500 };
  return { ...full, ours: Math.max(5, full.ours / 5), baseline: Math.max(3, full.baseline / 5), floor: Math.max(5, full.floor / 5), loadSeconds: 1, warmPages: 25 };
}

function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpu = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: os.cpus() has the model too.
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

const total = (chunks: readonly Buffer[]): number => chunks.reduce((n, c) => n + c.length, 0);

interface SizeResults {
  readonly render: RenderRow[];
  readonly load: LoadRow[];
  readonly fresh: FreshRow[];
  readonly prepare: PrepareRow;
  readonly irreducible: IrreducibleRow;
}

async function measureSize(keys: number, options: Options, largest: boolean): Promise<SizeResults> {
  const p = plan(keys, options.quick);
  log(`${keys} keys: generating the workspace and listing it from the simulator`);
  const ws = await openWorkspace(keys);
  const fresh: FreshRow[] = [];
  let load: LoadRow[];
  try {
    // First, while this process holds nothing but the simulator: a fresh exporter process.
    log(`${keys} keys: a fresh exporter process refreshes with ${options.latencyMs} ms a page, then takes concurrent load`);
    ws.simulator.setLatency(options.latencyMs);
    ws.simulator.clearRequests();
    const child = await startFreshExporter({ simulatorUrl: ws.simulator.url, token: TOKEN, warmPages: p.warmPages });
    const simulatorRequests = ws.simulator.requests.filter((r) => r.path.endsWith('/v2/api-keys')).length;
    ws.simulator.setLatency(0);
    fresh.push(freshRow(child.report, simulatorRequests, options.latencyMs, 'default'));
    try {
      load = await measureLoad(keys, child.report, p.loadSeconds, child.renders);
    } finally {
      await child.stop();
    }
    if (largest) {
      // The same, with glibc's mmap threshold held still: how much of the RSS is the allocator's.
      log(`${keys} keys: again with ${Object.entries(FIXED_MMAP_THRESHOLD_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      ws.simulator.clearRequests();
      const tuned = await startFreshExporter({ simulatorUrl: ws.simulator.url, token: TOKEN, warmPages: p.warmPages }, FIXED_MMAP_THRESHOLD_ENV);
      const requests = ws.simulator.requests.filter((r) => r.path.endsWith('/v2/api-keys')).length;
      await tuned.stop();
      fresh.push(freshRow(tuned.report, requests, 0, 'fixed-mmap-threshold'));
    }
  } finally {
    // The simulator's keys and cached JSON would otherwise be collected on the renders' time.
    await ws.simulator.close();
  }
  const snapshot = ws.snapshot;

  const prepare = measurePrepare(snapshot, keys);
  const clock = new SteppingClock(BENCH_NOW_MS + 250);
  const registry = new Registry();
  createHealthMetrics({ registry, workspaces: [snapshot.workspace], refreshIntervalSeconds: 60, build: { version: 'bench', revision: 'bench' } });
  const exposition = new Exposition({ snapshots: () => [snapshot], registry, now: clock.now });
  const warmStart = performance.now();
  await exposition.warm(snapshot);
  const fullPrepare: PrepareRow = { ...prepare, warmMs: performance.now() - warmStart };

  // The same second in both encodings: the gzip body must decode to the plain one.
  const built: Record<Encoding, Buffer> = {
    identity: Buffer.concat(await exposition.body('identity')),
    gzip: Buffer.concat(await exposition.body('gzip')),
  };
  if (!gunzipSync(built.gzip).equals(built.identity)) throw new Error('our gzip body does not decode to our plain body');

  const irreducible = measureIrreducible(snapshot, keys, p);
  const { ours, floor } = await measureOursAndFloor(keys, p, exposition, clock, built);
  // Last, so its million-entry label maps are not alive (and collected) during the others.
  const baseline = await measureBaseline(keys, p, snapshot, clock);
  const render: RenderRow[] = [];
  for (const path of ['in-process', 'HTTP'] as const) {
    for (const encoding of ENCODINGS) {
      const k = `${path} ${encoding}`;
      const o = ours.get(k)!;
      const b = baseline.get(k)!;
      const f = floor.get(k)!;
      render.push({ keys, encoding, path, ours: stats(o.samples), baseline: stats(b.samples), floor: stats(f.samples), ...(f.concat ? { concat: stats(f.concat) } : {}), bytes: o.bytes, baselineBytes: b.bytes });
    }
  }
  return { render, load, fresh, prepare: fullPrepare, irreducible };
}

/**
 * The per-scrape work every render must do, alone: spelling the fractional values (days to
 * expiry) in shortest round-trip digits, and deflating the clock families' bytes for gzip.
 */
function measureIrreducible(snapshot: Snapshot, keys: number, p: Plan): IrreducibleRow {
  const prepared = prepareSnapshot(snapshot);
  const second = Math.floor(BENCH_NOW_MS / 1000);
  const expiries = prepared.daysToExpiry.at;
  let fractional = 0;
  for (const at of expiries) if (!Number.isInteger((at - second) / 86_400)) fractional++;
  let sink = 0;
  const n = Math.max(5, Math.min(50, p.ours));
  // A new second each time, as renders have: V8 caches the strings of numbers it has just spelled.
  const format = stats(
    sampleSync(n, (i) => {
      for (const at of expiries) sink += String((at - second - i) / 86_400).length;
    }),
  );
  const clock = renderClockFamilies([prepared], second);
  const bytes = Buffer.concat([clock.days, ...clock.expired.map((e) => e.text), clock.rest]);
  const deflate = (level: number): { ms: number; ratio: number } => {
    let out = 0;
    const t = stats(sampleSync(Math.max(3, Math.min(10, n)), () => (out = deflateRawSync(bytes, { level }).length)));
    return { ms: t.median, ratio: bytes.length / out };
  };
  const d1 = deflate(1);
  const d6 = deflate(constants.Z_DEFAULT_COMPRESSION);
  if (sink < 0) log('unreachable: keeps the formatting loop from being optimised away');
  return {
    keys,
    clockLines: prepared.daysToExpiry.ends.length * 2 + prepared.sinceLastUse.ends.length,
    fractionalValues: fractional,
    clockBytes: bytes.length,
    formatMs: format.median,
    deflate1Ms: d1.ms,
    deflate1Ratio: d1.ratio,
    deflate6Ms: d6.ms,
    deflate6Ratio: d6.ratio,
  };
}

function sampleSync(n: number, fn: (i: number) => unknown): number[] {
  fn(-1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

function measurePrepare(snapshot: Snapshot, keys: number): PrepareRow {
  const runs = keys <= 10_000 ? 5 : 2;
  collectGarbage();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    prepareSnapshot(snapshot);
    times.push(performance.now() - start);
  }
  return { keys, prepareMs: stats(times).median, warmMs: NaN };
}

interface Timed {
  readonly samples: number[];
  readonly bytes: number;
  readonly concat?: number[];
}

/** Samples keyed by `${path} ${encoding}`. */
type Measured = Map<string, Timed>;

/**
 * Scrapes with a keep-alive client in this process. A scraper in a process of its own was
 * tried: on two busy cores its wake-ups made the figures noisier than the scrapes themselves.
 * The client's reading costs every contender the same.
 */
async function timedScrapes(url: string, encoding: Encoding, n: number, warmup: number): Promise<Timed> {
  const scraper = new Scraper(url);
  let bytes = 0;
  try {
    collectGarbage();
    const samples = await sample(n, warmup, async () => {
      bytes = await scraper.scrape(encoding);
    });
    return { samples, bytes };
  } finally {
    await scraper.close();
  }
}

/**
 * Ours and the floor, in-process and over HTTP. Over HTTP the two are scraped in turn, one of
 * ours then one of the floor, so a busy moment of the machine lands on both alike.
 */
async function measureOursAndFloor(keys: number, p: Plan, exposition: Exposition, clock: SteppingClock, built: Record<Encoding, Buffer>): Promise<{ ours: Measured; floor: Measured }> {
  const ours: Measured = new Map();
  const floor: Measured = new Map();
  log(`${keys} keys: our renders and the floor (the same bytes already built), in-process`);
  for (const encoding of ENCODINGS) {
    let bytes = 0;
    collectGarbage();
    const samples = await sample(p.ours, 2, async () => {
      clock.nextSecond();
      bytes = total(await exposition.body(encoding));
    });
    ours.set(`in-process ${encoding}`, { samples, bytes });

    const source = built[encoding];
    const target = Buffer.allocUnsafe(source.length);
    const pieces = await exposition.body(encoding);
    collectGarbage();
    const copies = await sample(p.floor, 3, () => source.copy(target, 0));
    const concat = await sample(p.floor, 3, () => Buffer.concat(pieces));
    floor.set(`in-process ${encoding}`, { samples: copies, bytes: source.length, concat });
  }

  log(`${keys} keys: our scrapes and the floor's over HTTP, in turn`);
  const oursServer = await serveExposition(exposition, () => clock.nextSecond());
  const floorServer = await serveBytes(built);
  const oursScraper = new Scraper(oursServer.url);
  const floorScraper = new Scraper(floorServer.url);
  try {
    for (const encoding of ENCODINGS) {
      const n = Math.min(p.ours, p.floor);
      const o: number[] = [];
      const f: number[] = [];
      let oursBytes = 0;
      let floorBytes = 0;
      collectGarbage();
      for (let i = -2; i < n; i++) {
        let start = performance.now();
        oursBytes = await oursScraper.scrape(encoding);
        if (i >= 0) o.push(performance.now() - start);
        start = performance.now();
        floorBytes = await floorScraper.scrape(encoding);
        if (i >= 0) f.push(performance.now() - start);
      }
      ours.set(`HTTP ${encoding}`, { samples: o, bytes: oursBytes });
      floor.set(`HTTP ${encoding}`, { samples: f, bytes: floorBytes });
    }
  } finally {
    await oursScraper.close();
    await floorScraper.close();
    await oursServer.close();
    await floorServer.close();
  }
  return { ours, floor };
}

async function measureBaseline(keys: number, p: Plan, snapshot: Snapshot, clock: SteppingClock): Promise<Measured> {
  const out: Measured = new Map();
  log(`${keys} keys: the prom-client baseline, in-process and over HTTP`);
  const baseline = new PromClientBaseline(snapshot, clock.now);
  for (const encoding of ENCODINGS) {
    let bytes = 0;
    collectGarbage();
    const samples = await sample(p.baseline, p.baselineWarmup, async () => {
      clock.nextSecond();
      bytes = (await baseline.body(encoding)).length;
    });
    out.set(`in-process ${encoding}`, { samples, bytes });
  }
  const { server, url } = await baseline.listen(() => clock.nextSecond());
  try {
    for (const encoding of ENCODINGS) out.set(`HTTP ${encoding}`, await timedScrapes(url, encoding, p.baseline, p.baselineWarmup));
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
  return out;
}

async function measureLoad(keys: number, child: ChildReport, seconds: number, renders: () => Promise<number>): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  const run = (url: string, connections: number, encoding: Encoding): Promise<LoadResult> =>
    autocannon({ url: `${url}/metrics`, connections, duration: seconds, timeout: 60, headers: encoding === 'gzip' ? { 'accept-encoding': 'gzip' } : {} });
  for (const encoding of ['identity', 'gzip', 'mixed'] as const) {
    const before = await renders();
    const started = Date.now();
    const runs =
      encoding === 'mixed'
        ? await Promise.all([run(child.url, CONNECTIONS / 2, 'identity'), run(child.url, CONNECTIONS / 2, 'gzip')])
        : [await run(child.url, CONNECTIONS, encoding)];
    const ended = Date.now();
    const after = await renders();
    const scrapes = runs.reduce((n, r) => n + r['2xx'], 0);
    let floorScrapesPerSecond: number | undefined;
    if (encoding !== 'mixed') {
      const floorStarted = Date.now();
      const floor = await run(child.floorUrl, CONNECTIONS, encoding);
      floorScrapesPerSecond = floor['2xx'] / ((Date.now() - floorStarted) / 1000);
    }
    rows.push({
      keys,
      encoding,
      connections: CONNECTIONS,
      seconds,
      scrapes,
      scrapesPerSecond: scrapes / ((ended - started) / 1000),
      floorScrapesPerSecond,
      latencyP50: Math.max(...runs.map((r) => r.latency.p50)),
      latencyP99: Math.max(...runs.map((r) => r.latency.p99)),
      errors: runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
      renders: after - before,
      secondsSpanned: Math.floor(ended / 1000) - Math.floor(started / 1000) + 1,
    });
  }
  return rows;
}

function freshRow(report: ChildReport, simulatorRequests: number, latencyMs: number, allocator: Allocator): FreshRow {
  return {
    keys: report.keys,
    allocator,
    pages: report.pages,
    requests: [report.requests, report.lastRequests],
    refreshes: report.refreshes,
    simulatorRequests,
    latencyMs,
    firstRefreshSeconds: report.firstRefreshSeconds,
    refreshSeconds: report.refreshSeconds,
    firstScrapesMs: report.firstScrapesMs,
    rss: report.settled.rss,
    rssAfterGc: report.collected.rss,
    heapAfterGc: report.collected.heapUsed,
    arrayBuffersAfterGc: report.collected.arrayBuffers,
  };
}

/** The same exporter process with no keys at all: the base the per-key memory is measured from. */
async function measureEmpty(latencyMs: number, allocator: Allocator): Promise<FreshRow> {
  const simulator = await startSimulator({ keys: [], token: TOKEN, shape: 'a', latencyMs });
  try {
    // Two refreshes of nothing: the base is the process itself, not a workload.
    const child = await startFreshExporter({ simulatorUrl: simulator.url, token: TOKEN, warmPages: 0 }, allocator === 'default' ? {} : FIXED_MMAP_THRESHOLD_ENV);
    const requests = simulator.requests.filter((r) => r.path.endsWith('/v2/api-keys')).length;
    await child.stop();
    return freshRow(child.report, requests, latencyMs, allocator);
  } finally {
    await simulator.close();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const m = machine();
  log(`sizes ${options.sizes.join(', ')}${options.quick ? ' (quick)' : ''} on ${m.cpu}, ${m.cores} cores, Node ${m.node}`);

  const render: RenderRow[] = [];
  const load: LoadRow[] = [];
  const fresh: FreshRow[] = [];
  const prepare: PrepareRow[] = [];
  const irreducible: IrreducibleRow[] = [];
  log('empty exporter processes (the memory base)');
  const empty = [await measureEmpty(options.latencyMs, 'default'), await measureEmpty(options.latencyMs, 'fixed-mmap-threshold')];
  const largest = Math.max(...options.sizes);
  for (const keys of options.sizes) {
    const r = await measureSize(keys, options, keys === largest);
    render.push(...r.render);
    load.push(...r.load);
    fresh.push(...r.fresh);
    prepare.push(r.prepare);
    irreducible.push(r.irreducible);
    collectGarbage();
  }

  const results: Results = {
    machine: m,
    quick: options.quick,
    render,
    load,
    fresh,
    empty,
    prepare,
    irreducible,
    durationSeconds: (performance.now() - started) / 1000,
  };
  const targets = judge(results);
  const text = markdown(results, targets);
  process.stdout.write(`${text}\n`);
  if (options.write) {
    const path = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));
    writeFileSync(path, `${RESULTS_HEAD}\n\n${text}\n`);
    const section = fileURLToPath(new URL('../../bench/README-section.md', import.meta.url));
    writeFileSync(section, `${readmeSection(results, targets)}\n`);
    log(`wrote ${path} and ${section}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
