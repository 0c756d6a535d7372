/**
 * The simulated workspace every measurement reads: seeded keys with their projects and
 * budgets, served by the loopback orq simulator on its default wire variant (sdk), as the
 * exporter meets orq.ai.
 */
import { generateWorkspace, startSimulator, type Simulator } from '../src/simulator/index.js';

export const TOKEN = 'orq-bench-token-5b1e0c2a9d7f4e63';
/** "Now" for the generated keys and the in-process clock: fixed, so runs are comparable. */
export const BENCH_NOW_MS = Date.UTC(2026, 10, 27, 12, 0, 0);
const SEED = 20_261_127;

export function startBenchSimulator(count: number, latencyMs = 0): Promise<Simulator> {
  return startSimulator({ ...generateWorkspace({ count, seed: SEED, now: BENCH_NOW_MS }), token: TOKEN, latencyMs });
}

/** Key-list requests the simulator has seen: the ones whose count the targets check. */
export function keyListRequests(simulator: Simulator): number {
  return simulator.requests.filter((r) => r.path.endsWith('/v2/api-keys')).length;
}
