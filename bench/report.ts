/**
 * The benchmark's figures as tables (the same Markdown on stdout and in bench/RESULTS.md) and
 * the issue's targets judged against them.
 */
import type { Stats } from './measure.js';

export type Path = 'in-process' | 'HTTP';
export type Encoding = 'identity' | 'gzip';

export interface RenderRow {
  readonly keys: number;
  readonly encoding: Encoding;
  readonly path: Path;
  readonly ours: Stats;
  readonly baseline: Stats;
  /** Writing the same bytes, already built: a copy into a preallocated buffer, or a bare node:http server. */
  readonly floor: Stats;
  /** In-process only: Buffer.concat of our pieces, a copy that also allocates. */
  readonly concat?: Stats;
  readonly bytes: number;
  readonly baselineBytes: number;
}

export interface LoadRow {
  readonly keys: number;
  readonly encoding: Encoding | 'mixed';
  readonly connections: number;
  readonly seconds: number;
  readonly scrapes: number;
  readonly scrapesPerSecond: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly errors: number;
  readonly renders: number;
  /** Distinct wall-clock seconds the load spanned: the most renders the cache allows. */
  readonly secondsSpanned: number;
  /** The same load against a bare node:http server writing the same bytes, already built. */
  readonly floorScrapesPerSecond: number | undefined;
}

/** glibc's malloc as it comes, or with its mmap threshold fixed (no dynamic raising). */
export type Allocator = 'default' | 'fixed-mmap-threshold';
export const FIXED_MMAP_THRESHOLD_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' } as const;

export interface FreshRow {
  readonly keys: number;
  readonly allocator: Allocator;
  readonly pages: number;
  /** Requests of the first refresh, and of the last. */
  readonly requests: readonly [number, number];
  /** Refreshes the process made; the last is the one timed as the exporter's usual refresh. */
  readonly refreshes: number;
  /** Requests the simulator saw over all of them. */
  readonly simulatorRequests: number;
  readonly latencyMs: number;
  readonly firstRefreshSeconds: number;
  readonly refreshSeconds: number;
  readonly firstScrapesMs: number;
  readonly rss: number;
  readonly rssAfterGc: number;
  readonly heapAfterGc: number;
  readonly arrayBuffersAfterGc: number;
}

/** Per-scrape work no render can skip, measured alone on one core. */
export interface IrreducibleRow {
  readonly keys: number;
  /** Lines of the clock families per scrape, and how many of them have fractional values. */
  readonly clockLines: number;
  readonly fractionalValues: number;
  /** Bytes of the clock families per scrape (plain). */
  readonly clockBytes: number;
  /** String() of the fractional values alone: shortest round-trip digits, as the text format spells them. */
  readonly formatMs: number;
  /** zlib deflate of the clock families' bytes, at level 1 and at the default level, and the ratios. */
  readonly deflate1Ms: number;
  readonly deflate1Ratio: number;
  readonly deflate6Ms: number;
  readonly deflate6Ratio: number;
}

export interface PrepareRow {
  readonly keys: number;
  /** prepareSnapshot alone: the snapshot families and the heads of the clock families. */
  readonly prepareMs: number;
  /** prepare plus deflating the snapshot families: what a refresh adds before the next scrape. */
  readonly warmMs: number;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly date: string;
  readonly load: string;
}

export interface Results {
  readonly machine: Machine;
  readonly quick: boolean;
  readonly render: readonly RenderRow[];
  readonly load: readonly LoadRow[];
  readonly fresh: readonly FreshRow[];
  /** The same exporter process with no keys, per allocator: the memory base. */
  readonly empty: readonly FreshRow[];
  readonly prepare: readonly PrepareRow[];
  readonly irreducible: readonly IrreducibleRow[];
  readonly durationSeconds: number;
}

export interface Target {
  readonly name: string;
  readonly pass: boolean | undefined;
  readonly figures: string;
}

const PAGE_SIZE = 200;

export function expectedRequests(keys: number): number {
  return Math.max(1, Math.ceil(keys / PAGE_SIZE));
}

function emptyFor(row: FreshRow, empty: readonly FreshRow[]): FreshRow | undefined {
  return empty.find((e) => e.allocator === row.allocator);
}

/** Resident memory per key above the same process with no keys, after a full GC. */
export function bytesPerKey(row: FreshRow, empty: readonly FreshRow[]): number | undefined {
  const base = emptyFor(row, empty);
  if (base === undefined || row.keys === 0) return undefined;
  return (row.rssAfterGc - base.rssAfterGc) / row.keys;
}

/** What the exporter holds per key above the empty process: V8 heap plus buffers, after a full GC. */
export function liveBytesPerKey(row: FreshRow, empty: readonly FreshRow[]): number | undefined {
  const base = emptyFor(row, empty);
  if (base === undefined || row.keys === 0) return undefined;
  return (row.heapAfterGc + row.arrayBuffersAfterGc - base.heapAfterGc - base.arrayBuffersAfterGc) / row.keys;
}

const ms = (x: number): string => (Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const times = (x: number): string => (Number.isFinite(x) ? `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×` : '–');
const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const size = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${mib(bytes)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${bytes} B`;
const count = (n: number): string => n.toLocaleString('en-US');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderTable(rows: readonly RenderRow[]): string {
  return table(
    ['keys', 'body', 'path', 'ours median', 'ours p99', 'prom-client median', 'prom-client p99', 'prom-client / ours', 'floor median', 'ours / floor', 'bytes (ours / prom-client)'],
    rows.map((r) => [
      count(r.keys),
      r.encoding === 'gzip' ? 'gzip' : 'plain',
      r.path,
      ms(r.ours.median),
      ms(r.ours.p99),
      ms(r.baseline.median),
      ms(r.baseline.p99),
      times(r.baseline.median / r.ours.median),
      ms(r.floor.median) + (r.concat ? ` (concat ${ms(r.concat.median)})` : ''),
      times(r.ours.median / r.floor.median),
      `${size(r.bytes)} / ${size(r.baselineBytes)}`,
    ]),
  );
}

export function loadTable(rows: readonly LoadRow[]): string {
  return table(
    ['keys', 'body', 'connections × s', 'scrapes', 'scrapes/s', 'floor scrapes/s', 'latency p50 ms', 'latency p99 ms', 'errors', 'renders', 'seconds spanned', 'renders ≤ seconds'],
    rows.map((r) => [
      count(r.keys),
      r.encoding === 'identity' ? 'plain' : r.encoding === 'gzip' ? 'gzip' : 'mixed (half each)',
      `${r.connections} × ${r.seconds}`,
      count(r.scrapes),
      r.scrapesPerSecond.toFixed(1),
      r.floorScrapesPerSecond === undefined ? '–' : r.floorScrapesPerSecond.toFixed(1),
      ms(r.latencyP50),
      ms(r.latencyP99),
      String(r.errors),
      String(r.renders),
      String(r.secondsSpanned),
      r.renders <= r.secondsSpanned ? 'yes' : 'NO',
    ]),
  );
}

const allocatorName = (a: Allocator): string => (a === 'default' ? 'glibc default' : 'MALLOC_MMAP_THRESHOLD_=131072');

export function freshTable(rows: readonly FreshRow[], empty: readonly FreshRow[]): string {
  const all = [...empty, ...rows];
  return table(
    [
      'keys',
      'malloc',
      'pages',
      'requests per refresh (expected)',
      'refreshes / simulator saw',
      'floor s (pages × latency)',
      'first refresh s (× floor)',
      'last refresh s (× floor)',
      'refresh end → first plain+gzip ms',
      'RSS MiB',
      'RSS after GC MiB',
      'heap / buffers after GC MiB',
      'RSS bytes/key above empty',
      'heap+buffers bytes/key above empty',
    ],
    all.map((r) => {
      const floor = (r.pages * r.latencyMs) / 1000;
      const perKey = bytesPerKey(r, empty);
      const live = liveBytesPerKey(r, empty);
      return [
        r.keys === 0 ? '0 (empty process)' : count(r.keys),
        allocatorName(r.allocator),
        String(r.pages),
        `${r.requests[0]}, ${r.requests[1]} (${expectedRequests(r.keys)})`,
        `${r.refreshes} / ${r.simulatorRequests}`,
        floor > 0 ? floor.toFixed(2) : 'no latency',
        floor > 0 ? `${r.firstRefreshSeconds.toFixed(2)} (${(r.firstRefreshSeconds / floor).toFixed(2)})` : r.firstRefreshSeconds.toFixed(2),
        floor > 0 ? `${r.refreshSeconds.toFixed(2)} (${(r.refreshSeconds / floor).toFixed(2)})` : r.refreshSeconds.toFixed(2),
        ms(r.firstScrapesMs),
        mib(r.rss),
        mib(r.rssAfterGc),
        `${mib(r.heapAfterGc)} / ${mib(r.arrayBuffersAfterGc)}`,
        perKey === undefined ? '–' : count(Math.round(perKey)),
        live === undefined ? '–' : count(Math.round(live)),
      ];
    }),
  );
}

export function irreducibleTable(rows: readonly IrreducibleRow[], render: readonly RenderRow[]): string {
  return table(
    ['keys', 'clock lines (fractional)', 'clock bytes per scrape', 'String() of the fractional values ms', 'deflate level 1 ms (ratio)', 'deflate level 6 ms (ratio)', 'floor: copy plain body ms', 'floor: copy gzip body ms'],
    rows.map((r) => {
      const plain = find(render, r.keys, 'identity', 'in-process');
      const gzip = find(render, r.keys, 'gzip', 'in-process');
      return [
        count(r.keys),
        `${count(r.clockLines)} (${count(r.fractionalValues)})`,
        size(r.clockBytes),
        ms(r.formatMs),
        `${ms(r.deflate1Ms)} (${r.deflate1Ratio.toFixed(1)}×)`,
        `${ms(r.deflate6Ms)} (${r.deflate6Ratio.toFixed(1)}×)`,
        plain ? ms(plain.floor.median) : '–',
        gzip ? ms(gzip.floor.median) : '–',
      ];
    }),
  );
}

export function prepareTable(rows: readonly PrepareRow[]): string {
  return table(
    ['keys', 'prepareSnapshot ms', 'prepare + deflate ms'],
    rows.map((r) => [count(r.keys), ms(r.prepareMs), ms(r.warmMs)]),
  );
}

function find(rows: readonly RenderRow[], keys: number, encoding: Encoding, path: Path): RenderRow | undefined {
  return rows.find((r) => r.keys === keys && r.encoding === encoding && r.path === path);
}

/** The issue's targets. A target whose size was not measured is reported as not run. */
export function judge(results: Results): Target[] {
  const targets: Target[] = [];
  const { render, load, fresh, empty } = results;

  for (const encoding of ['identity', 'gzip'] as const) {
    for (const path of ['in-process', 'HTTP'] as const) {
      const r = find(render, 10_000, encoding, path);
      const label = `${encoding === 'gzip' ? 'gzip' : 'plain'}, ${path}`;
      targets.push({
        name: `10,000 keys: render at least 5× faster than prom-client (${label})`,
        pass: r ? r.baseline.median / r.ours.median >= 5 : undefined,
        figures: r ? `${ms(r.ours.median)} ms vs ${ms(r.baseline.median)} ms: ${times(r.baseline.median / r.ours.median)}` : 'not run',
      });
    }
  }
  for (const encoding of ['identity', 'gzip'] as const) {
    for (const path of ['in-process', 'HTTP'] as const) {
      const r = find(render, 10_000, encoding, path);
      const label = `${encoding === 'gzip' ? 'gzip' : 'plain'}, ${path}`;
      targets.push({
        name: `10,000 keys: within 3× the floor (${label})`,
        pass: r ? r.ours.median / r.floor.median <= 3 : undefined,
        figures: r ? `${ms(r.ours.median)} ms vs floor ${ms(r.floor.median)} ms: ${times(r.ours.median / r.floor.median)}` : 'not run',
      });
    }
  }
  const big = render.filter((r) => r.keys === 100_000);
  targets.push({
    name: '100,000 keys: p99 under 1 s (plain and gzip, in-process and HTTP)',
    pass: big.length > 0 ? big.every((r) => r.ours.p99 < 1000) : undefined,
    figures: big.length > 0 ? big.map((r) => `${r.encoding === 'gzip' ? 'gzip' : 'plain'} ${r.path} ${ms(r.ours.p99)} ms`).join(', ') : 'not run',
  });
  const plain = find(render, 100_000, 'identity', 'in-process');
  const gz = find(render, 100_000, 'gzip', 'in-process');
  targets.push({
    name: '100,000 keys: gzip cuts the body at least 5×',
    pass: plain && gz ? plain.bytes / gz.bytes >= 5 : undefined,
    figures: plain && gz ? `${size(plain.bytes)} → ${size(gz.bytes)}: ${times(plain.bytes / gz.bytes)}` : 'not run',
  });
  const loadSizes = [...new Set(load.map((r) => r.keys))];
  targets.push({
    name: 'concurrent scrapes never render the same snapshot twice within a second',
    pass: load.length > 0 ? load.every((r) => r.renders <= r.secondsSpanned && r.errors === 0) : undefined,
    figures:
      load.length > 0
        ? loadSizes
            .map((keys) => {
              const rows = load.filter((r) => r.keys === keys);
              const sum = (f: (r: LoadRow) => number): number => rows.reduce((n, r) => n + f(r), 0);
              return `${count(keys)} keys: ${sum((r) => r.renders)} renders in ${sum((r) => r.secondsSpanned)} s for ${count(sum((r) => r.scrapes))} scrapes`;
            })
            .join('; ')
        : 'not run',
  });
  const within = (r: FreshRow, seconds: number): boolean => seconds <= (1.2 * r.pages * r.latencyMs) / 1000;
  const requestsRight = (r: FreshRow): boolean =>
    r.requests[0] === expectedRequests(r.keys) && r.requests[1] === expectedRequests(r.keys) && r.simulatorRequests === r.refreshes * expectedRequests(r.keys);
  const timed = fresh.filter((r) => r.allocator === 'default' && r.latencyMs > 0);
  const ratio = (r: FreshRow, seconds: number): string => (seconds / ((r.pages * r.latencyMs) / 1000)).toFixed(2);
  targets.push({
    name: 'refresh within 1.2 × (pages × latency), requests = ceil(keys / 200)',
    pass: timed.length > 0 ? timed.every((r) => within(r, r.refreshSeconds) && requestsRight(r)) : undefined,
    figures: timed
      .map(
        (r) =>
          `${count(r.keys)}: ${r.refreshSeconds.toFixed(2)} s for ${r.requests[1]} requests, ${ratio(r, r.refreshSeconds)}× the floor ` +
          `(refresh ${r.refreshes} of the process; its first, cold, ${ratio(r, r.firstRefreshSeconds)}×)`,
      )
      .join('; '),
  });
  // Judged at the largest size: below it, the runtime's own growth (JIT code, a young
  // generation grown to its maximum by the refresh) is spread over too few keys to say anything.
  const largest = fresh.filter((r) => r.allocator === 'default').reduce<FreshRow | undefined>((a, r) => (a === undefined || r.keys > a.keys ? r : a), undefined);
  const tuned = fresh.find((r) => r.allocator === 'fixed-mmap-threshold' && r.keys === largest?.keys);
  const perKey = largest ? bytesPerKey(largest, empty) : undefined;
  const live = largest ? liveBytesPerKey(largest, empty) : undefined;
  const tunedPerKey = tuned ? bytesPerKey(tuned, empty) : undefined;
  targets.push({
    name: `resident memory under 2 KB per key above the empty process (RSS after GC, ${largest ? count(largest.keys) : '–'} keys)`,
    pass: perKey === undefined ? undefined : perKey < 2048,
    figures:
      perKey === undefined
        ? 'not run'
        : `${count(Math.round(perKey))} B/key RSS with glibc's default malloc; ${count(Math.round(live ?? NaN))} B/key of it is live heap and buffers` +
          (tunedPerKey === undefined ? '' : `; ${count(Math.round(tunedPerKey))} B/key RSS with MALLOC_MMAP_THRESHOLD_=131072`) +
          `; all sizes: ${fresh.filter((r) => r.allocator === 'default').map((r) => `${count(r.keys)}: ${count(Math.round(bytesPerKey(r, empty) ?? NaN))}`).join(', ')}`,
  });
  return targets;
}

export function targetsList(targets: readonly Target[]): string {
  return targets.map((t) => `- **${t.pass === undefined ? 'NOT RUN' : t.pass ? 'PASS' : 'FAIL'}** ${t.name}: ${t.figures}`).join('\n');
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB RAM, Node ${m.node}, ${m.date} (load average at start: ${m.load})`;
}

/** Everything measured, as Markdown: printed to stdout and written to bench/RESULTS.md. */
export function markdown(results: Results, targets: readonly Target[]): string {
  const sections = [
    `Machine: ${machineLine(results.machine)}. Whole run: ${results.durationSeconds.toFixed(0)} s${results.quick ? ' (quick mode: fewer samples)' : ''}.`,
    '### Targets',
    targetsList(targets),
    '### Render per scrape (ms)',
    renderTable(results.render),
    '### Concurrent scrapes (autocannon, real clock, per-second cache on)',
    loadTable(results.load),
    '### Refresh against the simulator, and memory (a fresh process per size)',
    freshTable(results.fresh, results.empty),
    '### Per-scrape work no render can skip (alone, one core)',
    irreducibleTable(results.irreducible, results.render),
    '### Once per snapshot (in-process)',
    prepareTable(results.prepare),
  ];
  return sections.join('\n\n');
}

/** How the figures were taken; the head of bench/RESULTS.md. */
export const RESULTS_HEAD = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts); every figure below comes from one run on the machine
named under it. Render and scrape times are wall milliseconds per scrape. Every measured scrape
happens at a new second of an injected clock, so the per-second cache never answers in place of a
render: these are the costs of the first scrape of a second. "p99" is the slowest sample when
fewer than 100 were taken.

- **ours**: the exporter's Exposition over one snapshot of the simulated workspace (seeded, listed
  by the exporter's own client from the loopback simulator), with the exporter's own
  health and process metrics. In-process is \`Exposition.body()\`; HTTP is a full scrape of the
  exporter's Hono app over loopback by a keep-alive undici client in the same process, timed
  from request to last byte (gzip bodies are read as sent, not decompressed: that is the
  scraper's work). The client's reading is in every contender's figure alike.
- **prom-client**: the exporter as first written with prom-client (bench/baseline.ts): one labelled
  Gauge per family, \`set()\` for every key, the clock families set in \`collect()\`,
  \`registry.metrics()\` per scrape and zlib.gzip for gzip; served over HTTP by node:http.
- **floor**: writing the same bytes, already built. In-process: one copy of our body into a
  preallocated buffer of its size (in brackets: Buffer.concat of our pieces, which also allocates).
  HTTP: a bare node:http server writing a prebuilt Buffer, scraped in turn with ours, one each,
  so a busy moment of the machine lands on both.
- **Concurrent scrapes**: autocannon against a fresh exporter process (startExporter, real clock,
  per-second cache on), and against a bare node:http server in that process writing the same
  bytes (the floor: for large bodies autocannon itself is the limit). "renders" is the
  Exposition's render counter over the run; it may not exceed the number of distinct
  wall-clock seconds the run spanned.
- **Refresh and memory**: a fresh exporter process per size refreshes from the simulator with a
  fixed latency per page until some 500 pages have gone by (an exporter refreshes for its whole
  life; the first, cold, refresh is shown too); the floor is pages × latency, what cursor
  pagination allows when each page needs the previous page's last id. Memory is the process's
  RSS a second after its last plain and gzip scrapes (the render of that second has been
  dropped), then after a full GC; bytes per key are above the same process with no keys. The
  largest size runs once more with glibc's mmap threshold fixed, to show what of the RSS is
  the allocator's.`;

/**
 * The `## Performance` section for the README, from the same run as RESULTS.md so the two
 * never disagree: prose that holds at any run, figures filled in from this one.
 */
export function readmeSection(results: Results, targets: readonly Target[]): string {
  const { render, load, fresh, empty, irreducible, machine } = results;
  const http = render.filter((r) => r.path === 'HTTP' && r.keys >= 10_000);
  const rows = (http.length > 0 ? http : render.filter((r) => r.path === 'HTTP')).map((r) => {
    const inProcess = find(render, r.keys, r.encoding, 'in-process');
    return [
      count(r.keys),
      r.encoding === 'gzip' ? 'gzip' : 'plain',
      size(r.bytes),
      `${ms(r.ours.median)} ms (in-process ${inProcess ? ms(inProcess.ours.median) : '–'})`,
      `${ms(r.baseline.median)} ms (${times(r.baseline.median / r.ours.median)} slower)`,
      `${ms(r.floor.median)} ms`,
    ];
  });
  const largest = fresh.filter((r) => r.allocator === 'default').reduce<FreshRow | undefined>((a, r) => (a === undefined || r.keys > a.keys ? r : a), undefined);
  const tuned = fresh.find((r) => r.allocator === 'fixed-mmap-threshold' && r.keys === largest?.keys);
  const scrapes = load.reduce((n, r) => n + r.scrapes, 0);
  const renders = load.reduce((n, r) => n + r.renders, 0);
  const tenK = irreducible.find((r) => r.keys === 10_000) ?? irreducible[0];
  const tenKPlain = tenK ? find(render, tenK.keys, 'identity', 'in-process') : undefined;
  const lines = [
    '## Performance',
    '',
    'Over HTTP, a scrape costs little more than writing its bytes. The families that only change when upstream data changes (info, the',
    'timestamps, budgets, rate limits, the key counts) are rendered once per snapshot, straight into buffers, and deflated',
    'once. A scrape writes only the clock-dependent families (days to expiry, expired, seconds since last use, snapshot age)',
    "and the exporter's own metrics, and serves the rest as it is. Every scrape of the same second shares one render, plain",
    'or gzip, so two Prometheus replicas cost one render; the values are those of the start of that second. A gzip body is',
    'one gzip member assembled from the separately deflated pieces, which every gzip reader (curl --compressed too) reads whole.',
    '',
    `\`npm run bench\` measures it against a plain prom-client exporter built on the same snapshot and against the floor, a`,
    `bare node:http server writing the same bytes already built. On ${machineLine(machine)}:`,
    '',
    table(['keys', 'body', 'size', 'scrape over HTTP, median', 'prom-client', 'floor'], rows),
    '',
  ];
  if (load.length > 0) {
    lines.push(`- Under concurrent load (autocannon, ${load[0]?.connections ?? 10} connections): ${count(renders)} renders for ${count(scrapes)} scrapes, never two in one second.`);
  }
  if (largest) {
    const floor = (largest.pages * largest.latencyMs) / 1000;
    lines.push(
      `- A refresh of ${count(largest.keys)} keys takes ${largest.requests[1]} requests (200 keys a page) and ${largest.refreshSeconds.toFixed(1)} s against ` +
        `${largest.latencyMs} ms a page: ${(largest.refreshSeconds / floor).toFixed(2)}× the ${floor >= 10 ? floor.toFixed(0) : floor.toFixed(1)} s that cursor pagination allows, ` +
        `since each page needs the previous page's last id.`,
    );
    const perKey = bytesPerKey(largest, empty);
    const live = liveBytesPerKey(largest, empty);
    const tunedPerKey = tuned ? bytesPerKey(tuned, empty) : undefined;
    if (perKey !== undefined && live !== undefined) {
      lines.push(
        `- Memory: ${count(Math.round(perKey))} bytes of RSS per key at ${count(largest.keys)} keys, of which ${count(Math.round(live))} are the snapshot and its ` +
          `rendered text; the rest is glibc's heap, which fragments under large buffers coming and going.` +
          (tunedPerKey === undefined ? '' : ` With \`MALLOC_MMAP_THRESHOLD_=131072\` in the environment it is ${count(Math.round(tunedPerKey))} bytes per key.`),
      );
    }
  }
  if (tenK && tenKPlain) {
    lines.push(
      `- What a scrape cannot skip: at ${count(tenK.keys)} keys, spelling the ${count(tenK.fractionalValues)} fractional days-to-expiry values takes ` +
        `${ms(tenK.formatMs)} ms and deflating the ${size(tenK.clockBytes)} of clock-dependent text ${ms(tenK.deflate1Ms)} ms (zlib level 1), against ` +
        `${ms(tenKPlain.floor.median)} ms to copy the whole plain body. So in process a render is ${times(tenKPlain.ours.median / tenKPlain.floor.median)} a bare copy ` +
        `of its bytes; over HTTP, where writing the bytes is the floor, a plain scrape is ${times((find(render, tenK.keys, 'identity', 'HTTP')?.ours.median ?? NaN) / (find(render, tenK.keys, 'identity', 'HTTP')?.floor.median ?? NaN))} it.`,
    );
  }
  lines.push(
    '',
    'Targets of the benchmark, as judged by this run:',
    '',
    targetsList(targets),
    '',
    'Run it with `npm run bench` (about four minutes on two cores; it writes bench/RESULTS.md and this section to',
    'bench/README-section.md) or `npm run bench -- --sizes 1000 --quick` (seconds; writes nothing unless given --write).',
  );
  return lines.join('\n');
}
