/**
 * A fresh exporter process per size (bench/child.ts): how long its refreshes take against a
 * simulator answering each page after a fixed latency, how many requests they make, and its
 * resident memory. The same process with no keys at all is the memory base.
 */
import type { Simulator } from '../../src/simulator/index.js';
import type { ChildReport } from '../child.js';
import { startFreshExporter, type FreshExporter } from '../fresh.js';
import { FIXED_MMAP_THRESHOLD_ENV, type Allocator, type FreshRow } from '../results.js';
import { keyListRequests, startBenchSimulator, TOKEN } from '../workspace.js';

export function freshRow(report: ChildReport, simulatorRequests: number, latencyMs: number, allocator: Allocator): FreshRow {
  return {
    keys: report.keys,
    allocator,
    pages: report.pages,
    firstPages: report.firstPages,
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

const envOf = (allocator: Allocator): Readonly<Record<string, string>> => (allocator === 'default' ? {} : FIXED_MMAP_THRESHOLD_ENV);

/**
 * Starts a fresh exporter against `simulator` with `latencyMs` a page and measures it. The
 * process is left running, for the load test; the caller stops it.
 */
export async function measureFresh(
  simulator: Simulator,
  options: { readonly latencyMs: number; readonly warmPages: number; readonly allocator: Allocator },
): Promise<{ row: FreshRow; child: FreshExporter }> {
  simulator.setLatency(options.latencyMs);
  simulator.clearRequests();
  try {
    const child = await startFreshExporter({ simulatorUrl: simulator.url, token: TOKEN, warmPages: options.warmPages }, envOf(options.allocator));
    return { row: freshRow(child.report, keyListRequests(simulator), options.latencyMs, options.allocator), child };
  } finally {
    simulator.setLatency(0);
  }
}

/** The same exporter process with no keys at all: the base the per-key memory is measured from. */
export async function measureEmpty(latencyMs: number, allocator: Allocator): Promise<FreshRow> {
  const simulator = await startBenchSimulator(0, latencyMs);
  try {
    // Two refreshes of nothing: the base is the process itself, not a workload.
    const { row, child } = await measureFresh(simulator, { latencyMs, warmPages: 0, allocator });
    await child.stop();
    return row;
  } finally {
    await simulator.close();
  }
}
