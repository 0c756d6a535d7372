import { describe, expect, it } from 'vitest';
import { keyBudgetRecord, type SimBudgetRecord } from '../../src/simulator/budgets.js';
import { makeKey } from '../../src/simulator/generator.js';
import { toBudget, toEmbeddedBudget } from '../../src/simulator/render-budgets.js';
import { toRc } from '../../src/simulator/render-rc.js';
import { toReference } from '../../src/simulator/render-reference.js';
import { toSdk } from '../../src/simulator/render-sdk.js';
import { SimState } from '../../src/simulator/state.js';

const budgeted = makeKey({ name: 'budgeted', budget: { period: 3, amount: 10, token_limit: '100' }, project_scope: { kind: 'single', project_id: 'p1' } });
const limited = makeKey({ name: 'limited', rate_limit_rpm: 30, project_scope: { kind: 'single', project_id: 'p2' } });
const plain = makeKey({ name: 'plain', project_scope: { kind: 'all' } });
const extra: SimBudgetRecord = { ...keyBudgetRecord(budgeted)!, budget_id: 'extra', scope: { kind: 'workspace' } };

describe('SimState', () => {
  it('derives projects from the keys unless given some', () => {
    const state = new SimState('ws', { keys: [budgeted, limited, plain] });
    expect(state.projects.map((p) => p.project_id)).toEqual(['p1', 'p2']);
    state.update({ projects: [] });
    expect(state.projects).toEqual([]);
    state.update({ projects: undefined });
    expect(state.projects).toHaveLength(2);
  });

  it('serves each key’s own budget, for a budget or a rate limit, then the extra ones', () => {
    const state = new SimState('ws', { keys: [budgeted, limited, plain], extraBudgets: [extra] });
    expect(state.budgets.map((b) => b.budget_id)).toEqual([keyBudgetRecord(budgeted)?.budget_id, keyBudgetRecord(limited)?.budget_id, 'extra']);
    expect(state.keyBudget(plain)).toBeNull();
    expect(state.keyBudget(budgeted)).toBe(state.keyBudget(budgeted));
    expect(state.budgets[0]).toBe(state.keyBudget(budgeted));
  });

  it('renders a key in each variant as its renderer does, once', () => {
    const state = new SimState('ws_9', { keys: [budgeted] });
    expect(JSON.parse(state.keyJson(budgeted, 'reference', false))).toEqual(toReference(budgeted));
    expect(JSON.parse(state.keyJson(budgeted, 'sdk', false))).toEqual(toSdk(budgeted, 'ws_9'));
    expect(JSON.parse(state.keyJson(budgeted, 'rc', false))).toEqual(toRc(budgeted, 'ws_9', keyBudgetRecord(budgeted)!.usage));
    expect(state.keyJson(budgeted, 'sdk', false)).toBe(state.keyJson(budgeted, 'sdk', false));
  });

  it('embeds the key’s own budget when asked, and renders a key without one as usual', () => {
    const state = new SimState('ws', { keys: [budgeted, plain] });
    expect(JSON.parse(state.keyJson(budgeted, 'sdk', true))).toEqual({ ...toSdk(budgeted, 'ws'), budget: toEmbeddedBudget(state.keyBudget(budgeted)!) });
    expect(state.keyJson(plain, 'sdk', true)).toBe(state.keyJson(plain, 'sdk', false));
  });

  it('renders a budget and a project once each', () => {
    const state = new SimState('ws', { keys: [budgeted] });
    const record = state.budgets[0]!;
    expect(JSON.parse(state.budgetJson(record))).toEqual(toBudget(record));
    expect(state.budgetJson(record)).toBe(state.budgetJson(record));
    expect(JSON.parse(state.projectJson(state.projects[0]!))).toMatchObject({ project_id: 'p1' });
  });

  it('rebuilds indexes, budgets and renders when the keys change', () => {
    const state = new SimState('ws', { keys: [budgeted] });
    const index = state.keyIndex();
    const before = state.budgets;
    const renamed = { ...budgeted, name: 'renamed' };
    state.update({ keys: [renamed] });
    expect(state.keyIndex()).not.toBe(index);
    expect(state.budgets).not.toBe(before);
    expect(JSON.parse(state.keyJson(renamed, 'sdk', false))).toMatchObject({ name: 'renamed' });
  });

  it('lets the budget query find a budget by its key’s or project’s name', () => {
    const state = new SimState('ws', { keys: [budgeted, limited], extraBudgets: [{ ...extra, scope: { kind: 'project', project_id: 'p2' } }] });
    const hits = (query: string): string[] => state.budgetIndex().view(0, { query }).map((b) => b.budget_id);
    expect(hits('budgeted')).toEqual([keyBudgetRecord(budgeted)?.budget_id]);
    expect(hits('project p2')).toEqual(['extra']);
  });
});
