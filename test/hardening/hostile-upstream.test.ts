/**
 * Hostile upstreams from the adversarial review, as real loopback servers: a list cannot grow
 * memory without bound, blank the snapshot, or pass for success when nothing in it is usable.
 * Each case starts from a good refresh and must end with that snapshot still served, the
 * failure counted as invalid_response, and memory during the refresh bounded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seriesOf } from '../support/stack.js';
import { startExporterOn, warnings, type ExporterRun } from './support/exporter.js';
import { sdkKey, startHostile, streamList, type Hostile, type Script } from './support/hostile.js';

const GOOD_KEYS = 150;
const good: Script = (_req, res) => void streamList(res, GOOD_KEYS, sdkKey);

let upstream: Hostile | undefined;
let run: ExporterRun | undefined;
afterEach(async () => {
  await run?.stop();
  await upstream?.close();
  run = upstream = undefined;
});

async function start(): Promise<{ upstream: Hostile; run: ExporterRun }> {
  upstream = await startHostile(good);
  run = await startExporterOn(upstream.url, { REQUEST_RETRIES: '0', REFRESH_TIMEOUT: '60s', REQUEST_TIMEOUT: '30s', ORQ_FETCH_BUDGETS: 'false', ORQ_FETCH_PROJECTS: 'false' });
  expect(seriesOf(await run.metrics(), 'orq_api_key_info')).toHaveLength(GOOD_KEYS);
  return { upstream, run };
}

/** The highest heap + Buffer memory seen while `work` runs, above what it was before. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const used = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
  try {
    const result = await work();
    peak = Math.max(peak, used());
    return { result, growthMb: (peak - before) / 1e6 };
  } finally {
    clearInterval(sampler);
  }
}

/** One refresh against the hostile script: refused as invalid_response, snapshot kept, memory bounded. */
async function expectRefused(script: Script, says: RegExp, maxGrowthMb: number): Promise<void> {
  const { upstream, run } = await start();
  const before = seriesOf(await run.metrics(), 'orq_api_key_info');
  upstream.script(script);
  const warnsBefore = warnings(run.logs).length;
  const { result, growthMb } = await peakGrowth(() => run.exporter.refreshAll());
  console.log(`hostile upstream: peak memory growth ${growthMb.toFixed(1)} MB (bound ${maxGrowthMb} MB)`);
  const [outcome] = result;
  expect(outcome?.ok).toBe(false);
  expect(outcome?.error?.reason).toBe('invalid_response');
  expect(outcome?.error?.message).toMatch(says);
  expect(growthMb).toBeLessThan(maxGrowthMb);
  expect(seriesOf(await run.metrics(), 'orq_api_key_info')).toEqual(before);
  expect(warnings(run.logs).slice(warnsBefore)).toHaveLength(1);
  // And the next good answer is taken at once.
  upstream.script(good);
  expect((await run.exporter.refreshAll())[0]?.ok).toBe(true);
}

describe('unbounded pages', () => {
  it('refuses envelope pages of 50,000 records that keep saying has_more, at the first one', async () => {
    await expectRefused(
      (_req, res) => void streamList(res, 50_000, sdkKey, { hasMore: true }),
      /^keys page 1 holds 50000 items, more than the 200 asked for$/,
      256,
    );
    expect(upstream?.requests()).toBe(2 + 1); // the good refresh, the refused one, the recovery
  });

  it('refuses one 80 MB page of five million records before building them', async () => {
    await expectRefused((_req, res) => void streamList(res, 5_000_000, (i) => `{"id":"${String(i).padStart(10, '0')}"}`), /holds more than 100000 records$/, 128);
  });

  it('refuses a bare list one key longer than MAX_KEYS (a server ignoring limit), and takes one of exactly MAX_KEYS', async () => {
    await expectRefused((_req, res) => void streamList(res, 100_001, sdkKey), /more than 100000/, 512);
    upstream!.script((_req, res) => void streamList(res, 100_000, sdkKey));
    const [outcome] = await run!.exporter.refreshAll();
    expect(outcome?.ok, outcome?.error?.message).toBe(true);
    expect(outcome?.list?.keys).toHaveLength(100_000);
  }, 60_000);

  it('refuses pages that each repeat the list with a new cursor until the page bound, without holding more than MAX_KEYS', async () => {
    // Every page is a full page of new ids: an endless list, stopped by MAX_KEYS.
    await expectRefused(
      (req, res, n) => void streamList(res, 200, (i) => sdkKey(n * 200 + i)),
      /^more than 100000 keys in one list/,
      512,
    );
  }, 120_000);
});

describe('nothing usable is no success', () => {
  it.each([
    ['a bare page of nothing but numbers', (_req: unknown, res: Parameters<Script>[1]) => void streamList(res, 200, () => '1')],
    ['an envelope of nulls', (_req: unknown, res: Parameters<Script>[1]) => void streamList(res, 120, () => 'null', { hasMore: false })],
    ['records without ids', (_req: unknown, res: Parameters<Script>[1]) => void streamList(res, 150, (i) => `{"name":"k${i}"}`)],
    ['an empty list where there were keys', (_req: unknown, res: Parameters<Script>[1]) => void streamList(res, 0, sdkKey)],
  ])('%s fails as invalid_response and keeps every key', async (_what, script) => {
    await expectRefused(script as Script, /keeping (that|the last good) snapshot$/, 64);
  });

  it('a list one tenth unusable is published (and counted); one more is refused', async () => {
    const mixed = (bad: number): Script => (_req, res) => void streamList(res, 150, (i) => (i < bad ? '"junk"' : sdkKey(i)));
    const { upstream, run } = await start();
    upstream.script(mixed(15));
    const [tenth] = await run.exporter.refreshAll();
    expect(tenth?.ok).toBe(true);
    expect(tenth?.list?.skipped.not_an_object).toBe(15);
    upstream.script(mixed(16));
    const [more] = await run.exporter.refreshAll();
    expect(more?.error?.message).toMatch(/^16 of 150 records have no id or are not objects/);
  });
});

describe('bodies of strange shape', () => {
  it('takes a million nested brackets as a page of one unusable record, without a crash', async () => {
    await expectRefused((_req, res) => void res.writeHead(200).end(`[${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}]`), /keeping/, 256);
  });

  it('cuts a 20 MB name to a label of 1,024 characters', async () => {
    const { upstream, run } = await start();
    upstream.script((_req, res) => void res.writeHead(200).end(`[{"id":"big","name":"${'x'.repeat(20_000_000)}"}]`));
    // One key where there were 150 is a plausible list; its name is bounded.
    const [outcome] = await run.exporter.refreshAll();
    expect(outcome?.ok).toBe(true);
    expect(outcome?.list?.keys[0]?.name).toHaveLength(1024);
  });
});
