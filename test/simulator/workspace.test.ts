import { describe, expect, it } from 'vitest';
import { keyBudgetRecord } from '../../src/simulator/budgets.js';
import { generateKeys } from '../../src/simulator/generator.js';
import { generateWorkspace } from '../../src/simulator/workspace.js';

const NOW = Date.UTC(2025, 5, 1, 12);

describe('generateWorkspace', () => {
  const ws = generateWorkspace({ count: 3_000, seed: 7, now: NOW });

  it('has exactly the keys generateKeys gives for the same options', () => {
    expect(ws.keys).toEqual(generateKeys({ count: 3_000, seed: 7, now: NOW }));
  });

  it('is deterministic for a seed and different across seeds', () => {
    expect(generateWorkspace({ count: 300, seed: 5, now: NOW })).toEqual(generateWorkspace({ count: 300, seed: 5, now: NOW }));
    const other = generateWorkspace({ count: 300, seed: 6, now: NOW });
    const same = generateWorkspace({ count: 300, seed: 5, now: NOW });
    expect(other.projects.map((p) => p.project_id)).not.toEqual(same.projects.map((p) => p.project_id));
    expect(other.extraBudgets.map((b) => b.budget_id)).not.toEqual(same.extraBudgets.map((b) => b.budget_id));
  });

  it('holds a project for every project id its keys use, and projects that hold no key', () => {
    const projectIds = new Set(ws.projects.map((p) => p.project_id));
    const used = new Set(ws.keys.flatMap((k) => (k.project_scope.kind === 'single' ? [k.project_scope.project_id] : [])));
    for (const id of used) expect(projectIds.has(id)).toBe(true);
    expect([...projectIds].filter((id) => !used.has(id)).length).toBeGreaterThanOrEqual(2);
    expect(ws.projects.some((p) => p.is_archived)).toBe(true);
    expect(ws.projects.filter((p) => p.is_default)).toHaveLength(1);
  });

  it('names its project budgets after its own projects, and has no budget id twice', () => {
    const projectIds = new Set(ws.projects.map((p) => p.project_id));
    for (const b of ws.extraBudgets) {
      if (b.scope?.kind === 'project') expect(projectIds.has(b.scope.project_id ?? '')).toBe(true);
    }
    const ids = [...ws.keys.flatMap((k) => keyBudgetRecord(k)?.budget_id ?? []), ...ws.extraBudgets.map((b) => b.budget_id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes an empty workspace: no keys, yet projects and the budgets that belong to no key', () => {
    const empty = generateWorkspace({ count: 0, seed: 1, now: NOW });
    expect(empty.keys).toEqual([]);
    expect(empty.projects.length).toBeGreaterThanOrEqual(10);
    expect(empty.extraBudgets.length).toBeGreaterThan(0);
  });

  it('makes 100,000 keys with their projects and budgets without an accidentally quadratic step', () => {
    const started = performance.now();
    const big = generateWorkspace({ count: 100_000, seed: 3, now: NOW });
    expect(big.keys).toHaveLength(100_000);
    expect(big.extraBudgets.length).toBeGreaterThan(1_000);
    // See generator.test.ts: a generous bound, for loaded machines; the figures are in the report.
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
