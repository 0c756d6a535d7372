/**
 * The simulated workspace every measurement reads: seeded keys served by the loopback orq
 * simulator, listed by the exporter's own client, so the snapshot holds exactly what a real
 * refresh would have parsed.
 */
import { OrqClient } from '../src/orq/client.js';
import type { Snapshot } from '../src/snapshot.js';
import { generateKeys, startSimulator, type Simulator } from '../src/simulator/index.js';

export const TOKEN = 'orq-bench-token-5b1e0c2a9d7f4e63';
export const WORKSPACE = 'bench';
/** "Now" for the generated keys and the in-process clock: fixed, so runs are comparable. */
export const BENCH_NOW_MS = Date.UTC(2026, 10, 27, 12, 0, 0);
const SEED = 20_261_127;

export interface BenchWorkspace {
  readonly simulator: Simulator;
  readonly snapshot: Snapshot;
}

export async function openWorkspace(count: number): Promise<BenchWorkspace> {
  const keys = generateKeys({ count, seed: SEED, now: BENCH_NOW_MS });
  const simulator = await startSimulator({ keys, token: TOKEN, shape: 'a', latencyMs: 0 });
  const client = new OrqClient({
    baseUrl: simulator.url,
    token: TOKEN,
    requestTimeoutMs: 60_000,
    maxRetries: 0,
    userAgent: 'orq-api-keys-exporter-bench',
  });
  try {
    const list = await client.listApiKeys(new AbortController().signal);
    if (list.keys.length !== count) throw new Error(`listed ${list.keys.length} keys, expected ${count}`);
    const snapshot: Snapshot = { workspace: WORKSPACE, version: 1, fetchedAt: BENCH_NOW_MS / 1000 - 30, keys: list.keys };
    return { simulator, snapshot };
  } finally {
    await client.close();
  }
}
