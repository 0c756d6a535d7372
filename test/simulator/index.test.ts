import { describe, expect, it } from 'vitest';
import * as simulator from '../../src/simulator/index.js';

describe('the simulator’s public entry point', () => {
  it('exports what other tests, the demo and the benchmark build on', () => {
    const functions = [
      'startSimulator',
      'generateKeys',
      'generateWorkspace',
      'makeKey',
      'isoSeconds',
      'errorBody',
      'toReference',
      'toSdk',
      'toRc',
      'toBudget',
      'toEmbeddedBudget',
      'toProject',
      'keyBudgetRecord',
      'deriveProjects',
      'createRng',
    ] as const;
    for (const name of functions) expect(typeof simulator[name], name).toBe('function');
    expect(simulator.WIRE_VARIANTS).toEqual(['reference', 'sdk', 'rc']);
    expect(simulator.ENDPOINTS).toEqual(['api-keys', 'budgets', 'projects']);
    expect(simulator.DEFAULT_WORKSPACE_ID).toMatch(/^ws_/);
  });

  it('generates and serves a workspace end to end through it', async () => {
    const ws = simulator.generateWorkspace({ count: 3, seed: 1, now: Date.UTC(2025, 0, 1) });
    const sim = await simulator.startSimulator({ ...ws, token: 't' });
    try {
      const res = await fetch(`${sim.url}/v2/api-keys`, { headers: { authorization: 'Bearer t' } });
      expect(((await res.json()) as unknown[]).length).toBe(3);
    } finally {
      await sim.close();
    }
  });
});
