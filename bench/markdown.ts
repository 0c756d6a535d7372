/**
 * The Markdown of one run: bench/RESULTS.md (every figure) and the README's `## Performance`
 * section (the figures a reader needs, and the targets), both from the same Results so the
 * two never disagree. Prose that must hold at any run is fixed here; figures are filled in.
 */
import { count, ms, size, table, times } from './format.js';
import { bytesPerKey, findRender, floorSeconds, largestFresh, liveBytesPerKey, totalPages, type Machine, type RenderRow, type Results } from './results.js';
import { freshTable, irreducibleTable, loadTable, prepareTable, renderTable } from './tables.js';
import type { Judged, Target } from './targets.js';

export const README_START = '<!-- performance:start -->';
export const README_END = '<!-- performance:end -->';

export function verdict(j: Judged): string {
  return j.pass === undefined ? 'NOT RUN' : j.pass ? 'PASS' : 'FAIL';
}

/** A figure in its target's unit: `21×`, `561 ms`, `2,846 B/key`, `0 renders`. */
export function quantity(value: number, unit: string): string {
  if (unit === '×') return times(value);
  if (unit === 'ms') return `${ms(value)} ms`;
  return `${count(value)} ${unit}`;
}

export function threshold(t: Target): string {
  return `${t.comparison} ${quantity(t.threshold, t.unit)}`;
}

export function targetsTable(judged: readonly Judged[]): string {
  return table(
    ['', 'target', 'measured', 'threshold', 'figures', 'why'],
    judged.map((j) => [
      `**${verdict(j)}**`,
      j.target.name,
      j.measured ? quantity(j.measured.value, j.target.unit) : '–',
      threshold(j.target),
      j.measured?.detail ?? 'not run',
      j.target.why,
    ]),
  );
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB RAM, Node ${m.node}, ${m.date} (load average at start: ${m.load})`;
}

/** Everything measured: printed to stdout and written to bench/RESULTS.md. */
export function markdown(results: Results, judged: readonly Judged[]): string {
  return [
    `Machine: ${machineLine(results.machine)}. Whole run: ${results.durationSeconds.toFixed(0)} s${results.quick ? ' (quick mode: fewer samples)' : ''}.`,
    '### Targets',
    targetsTable(judged),
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
  ].join('\n\n');
}

/** How the figures were taken; the head of bench/RESULTS.md. */
export const RESULTS_HEAD = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts); every figure below comes from one run on the machine
named under it. Render and scrape times are wall milliseconds per scrape. Every measured scrape
happens at a new second of an injected clock, so the per-second cache never answers in place of a
render: these are the costs of the first scrape of a second. "p99" is the slowest sample when
fewer than 100 were taken.

- **upstream**: the orq simulator on loopback, on its default wire variant (\`sdk\`: bare arrays
  paged by \`limit\` and \`starting_after\`), serving a seeded workspace with its projects and
  budgets (usage and alerts included). The exporter fetches all three with its default settings.
- **ours**: the exporter as it ships: \`startExporter\` (src/exporter.ts) with settings loaded by
  \`loadConfig\`, refreshed once from the simulator, its clock injected. In-process is
  \`exposition.body()\` with every block of its text written out, as a scrape sends it (a plain
  body's snapshot text is kept written out from the second plain scrape of a snapshot on, as for
  any scraper that does not ask for gzip, so the plain figures are those of the kept text); HTTP is a full scrape of its listening server over loopback by a
  keep-alive undici client in the same process, timed from request to last byte (gzip bodies
  are read as sent: decompressing is the scraper's work). The client's reading is in every
  contender's figure alike.
- **Response path**: the same app (\`createApp\`) over the same exposition, served by \`listen\`
  with a fetch that hides the node:http response, so /metrics answers through a web Response
  instead of writing straight to the socket; scraped in turn with ours: what the direct write saves.
- **prom-client**: the exporter as first written with prom-client (bench/baseline.ts): one labelled
  Gauge per family, \`set()\` for every key, budget and project of the same snapshot, the clock
  families set in \`collect()\`, \`registry.metrics()\` per scrape and zlib.gzip for gzip; served
  over HTTP by node:http.
- **floor**: writing the same bytes, already built. In-process: one copy of our body into a
  preallocated buffer of its size (in brackets: our body gathered into a new buffer, which also allocates).
  HTTP: a bare node:http server writing a prebuilt Buffer, scraped in turn with ours, one each,
  so a busy moment of the machine lands on both.
- **Concurrent scrapes**: autocannon against a fresh exporter process (startExporter, real clock,
  per-second cache on), and against a bare node:http server in that process writing the same
  bytes (the floor: for large bodies autocannon itself is the limit). "renders" is the
  Exposition's render counter over the run; it may not exceed the number of distinct
  wall-clock seconds the run spanned.
- **Refresh and memory**: a fresh exporter process per size refreshes from the simulator with a
  fixed latency per page until some 500 pages have gone by (an exporter refreshes for its whole
  life; the first, cold, refresh is shown too). A refresh reads the key list, then the budgets,
  then (when due, every ORQ_PROJECTS_TTL) the projects; its floor is all its pages × latency,
  what cursor pagination allows when each page needs the previous page's last id. Memory is
  the process's RSS a second after its last plain and gzip scrapes (the render of that second
  has been dropped), then after a full GC; bytes per key are above the same process with no
  keys. The largest size runs once more with glibc's mmap threshold fixed, to show what of the
  RSS is the allocator's.`;

/**
 * The `## Performance` section for the README: prose that holds at any run, figures filled in
 * from this one, and the targets as this run judged them.
 */
export function readmeSection(results: Results, judged: readonly Judged[]): string {
  const { render, machine } = results;
  const http = render.filter((r) => r.path === 'HTTP' && r.keys >= 10_000);
  const rows = (http.length > 0 ? http : render.filter((r) => r.path === 'HTTP')).map((r) => {
    const inProcess = findRender(render, r.keys, r.encoding, 'in-process');
    return [
      count(r.keys),
      r.encoding === 'gzip' ? 'gzip' : 'plain',
      size(r.bytes),
      `${ms(r.ours.median)} ms (in-process ${inProcess ? ms(inProcess.ours.median) : '–'})`,
      `${ms(r.baseline.median)} ms (${times(r.baseline.median / r.ours.median)} slower)`,
      `${ms(r.floor.median)} ms`,
      r.responsePath ? `${ms(r.responsePath.median)} ms` : '–',
    ];
  });
  const lines = [
    '## Performance',
    '',
    'The families that only change when upstream data changes (info, the timestamps, budgets and their usage, rate limits,',
    'project names, the key counts) are prepared once per snapshot, each line kept without the prefix it shares with its',
    'family (`name{workspace="…",api_key_id="`), all in one buffer, and deflated once. A gzip scrape deflates only the',
    'clock-dependent families (days to expiry, expired, seconds since last use, snapshot age) and the exporter\'s own metrics,',
    'and serves the rest as it is, written straight to the socket. A plain scrape writes the lines out whole block by block',
    'as it sends them, through one reused block; from the second plain scrape of a snapshot on, they are kept written out',
    'until the snapshot changes, so only a scraper that does not ask for gzip pays that memory. Every scrape of the same',
    'second shares one render, plain or gzip, so two Prometheus replicas cost one render; the values are those of the start',
    'of that second. A gzip body is one gzip member assembled from the separately deflated pieces, which every gzip reader',
    '(curl --compressed too) reads whole.',
    '',
    '`npm run bench` measures the exporter as it ships (`startExporter`, default settings, budgets and projects fetched from',
    'the orq simulator on its default wire variant) against a plain prom-client exporter built on the same snapshot, against',
    'the same app answering through a web Response instead of the socket, and against the floor, a bare node:http server',
    `writing the same bytes already built. On ${machineLine(machine)}:`,
    '',
    table(['keys', 'body', 'size', 'scrape over HTTP, median', 'prom-client', 'floor', 'through a Response'], rows),
    '',
    ...figureLines(results),
    '',
    'Targets of the benchmark, as judged by this run:',
    '',
    targetsTable(judged),
    '',
    `Run it with \`npm run bench\` (${Math.max(1, Math.round(results.durationSeconds / 60))} minutes for this run; it writes bench/RESULTS.md, this section and its copy`,
    'bench/README-section.md) or `npm run bench -- --sizes 1000 --quick` (seconds; writes nothing unless given --write).',
  ];
  return lines.join('\n');
}

/** What a scraper that does not ask for gzip adds to the memory figure: the plain text kept written out. */
function keptPlainText(render: readonly RenderRow[], keys: number): string {
  const plain = findRender(render, keys, 'identity', 'in-process');
  if (plain === undefined) return '';
  return (
    ` That is the exporter scraped by Prometheus (gzip) and once in plain; a scraper that does not ask for gzip keeps the ` +
    `snapshot's plain text written out from its second scrape of a snapshot on, about ${count(plain.bytes / keys)} bytes per key more.`
  );
}

/** The bullet points under the table: concurrency, refresh, memory, the per-scrape work. */
function figureLines(results: Results): string[] {
  const { render, load, fresh, empty, irreducible } = results;
  const out: string[] = [];
  if (load.length > 0) {
    const scrapes = load.reduce((n, r) => n + r.scrapes, 0);
    const renders = load.reduce((n, r) => n + r.renders, 0);
    const spanned = load.reduce((n, r) => n + r.secondsSpanned, 0);
    const within = load.every((r) => r.renders <= r.secondsSpanned);
    out.push(
      `- Under concurrent load (autocannon, ${load[0]?.connections ?? 10} connections): ${count(renders)} renders for ${count(scrapes)} scrapes over ` +
        `${count(spanned)} seconds, ${within ? 'never two in one second' : 'SOME SECONDS RENDERED TWICE'}.`,
    );
  }
  const largest = largestFresh(fresh);
  if (largest) {
    const floor = floorSeconds(largest);
    out.push(
      `- A refresh of ${count(largest.keys)} keys reads ${largest.pages.keys} pages of keys, ${largest.pages.budgets} of budgets and ${largest.pages.projects} of projects ` +
        `(200 records a page) in ${largest.refreshSeconds.toFixed(1)} s against ${largest.latencyMs} ms a page: ${(largest.refreshSeconds / floor).toFixed(2)}× the ` +
        `${floor >= 10 ? floor.toFixed(0) : floor.toFixed(1)} s that cursor pagination allows for ${totalPages(largest.pages)} pages, since each page needs the previous page's last id.`,
    );
    const perKey = bytesPerKey(largest, empty);
    const live = liveBytesPerKey(largest, empty);
    const tuned = fresh.find((r) => r.allocator === 'fixed-mmap-threshold' && r.keys === largest.keys);
    const tunedPerKey = tuned && bytesPerKey(tuned, empty);
    if (perKey !== undefined && live !== undefined) {
      out.push(
        `- Memory: ${count(perKey)} bytes of RSS per key at ${count(largest.keys)} keys (budgets and project names included), of which ${count(live)} are ` +
          `the snapshot and its prepared text (V8's heap in use and the buffers it counts); the rest is the slack of V8's heap and glibc's.` +
          (tunedPerKey === undefined ? '' : ` With \`MALLOC_MMAP_THRESHOLD_=131072\` in the environment it is ${count(tunedPerKey)} bytes per key.`) +
          keptPlainText(render, largest.keys),
      );
    }
  }
  const direct = render.filter((r) => r.path === 'HTTP' && r.responsePath !== undefined && r.keys >= 10_000);
  if (direct.length > 0) {
    out.push(
      `- Writing /metrics straight to the socket instead of through a web Response: ` +
        direct.map((r) => `${count(r.keys)} keys ${r.encoding === 'gzip' ? 'gzip' : 'plain'} ${ms(r.ours.median)} ms against ${ms(r.responsePath!.median)} ms`).join(', ') +
        '.',
    );
  }
  const tenK = irreducible.find((r) => r.keys === 10_000) ?? irreducible[0];
  const plain = tenK && findRender(render, tenK.keys, 'identity', 'in-process');
  const plainHttp = tenK && findRender(render, tenK.keys, 'identity', 'HTTP');
  if (tenK && plain && plainHttp) {
    out.push(
      `- What a scrape cannot skip: at ${count(tenK.keys)} keys, spelling the ${count(tenK.fractionalValues)} fractional days-to-expiry values takes ` +
        `${ms(tenK.formatMs)} ms and deflating the ${size(tenK.clockBytes)} of clock-dependent text ${ms(tenK.deflate1Ms)} ms (zlib level 1), against ` +
        `${ms(plain.floor.median)} ms to copy the whole plain body. So in process a render is ${times(plain.ours.median / plain.floor.median)} a bare copy ` +
        `of its bytes; over HTTP, where writing the bytes is the floor, a plain scrape is ${times(plainHttp.ours.median / plainHttp.floor.median)} it.`,
    );
  }
  return out;
}

/** The README with its performance section replaced, markers kept; throws if the markers are missing. */
export function withReadmeSection(readme: string, section: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} markers`);
  return `${readme.slice(0, start + README_START.length)}\n${section}\n${readme.slice(end)}`;
}
