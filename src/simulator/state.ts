/**
 * The workspace a running simulator serves: its keys, projects and budgets, the indexes the
 * lists are cut from, and each item's JSON, rendered once per data set. A 100,000-key walk
 * would otherwise re-render every key on every page, and the simulator, not the exporter,
 * would be what a benchmark measures.
 */
import { keyBudgetRecord, derivedUsage, type SimBudgetRecord } from './budgets.js';
import type { SimKey } from './generator.js';
import { BudgetIndex } from './budget-listing.js';
import { KeyIndex } from './key-listing.js';
import type { RankedList } from './listing.js';
import { projectList } from './project-listing.js';
import { deriveProjects, type SimProject } from './projects.js';
import { toEmbeddedBudget, toBudget } from './render-budgets.js';
import { toProject } from './render-projects.js';
import { toRc } from './render-rc.js';
import { toReference } from './render-reference.js';
import { toSdk } from './render-sdk.js';
import type { WireVariant } from './wire.js';

export interface WorkspaceData {
  keys: readonly SimKey[];
  /** default: one per project id the keys use */
  projects?: readonly SimProject[] | undefined;
  /** budgets besides the keys' own; default none */
  extraBudgets?: readonly SimBudgetRecord[] | undefined;
}

/** A key's JSON in one variant, with or without its budget embedded. */
type RenderSlot = `${WireVariant}:${'plain' | 'embed'}`;

export class SimState {
  private data: WorkspaceData;
  private keyIndexMemo: KeyIndex | undefined;
  private projectsMemo: readonly SimProject[] | undefined;
  private projectListMemo: RankedList<SimProject> | undefined;
  private budgetsMemo: readonly SimBudgetRecord[] | undefined;
  private budgetIndexMemo: BudgetIndex | undefined;
  private keyBudgets = new WeakMap<SimKey, SimBudgetRecord | null>();
  private keyJsons = new Map<RenderSlot, WeakMap<SimKey, string>>();
  private itemJsons = new WeakMap<object, string>();

  constructor(
    readonly workspaceId: string,
    data: WorkspaceData,
  ) {
    this.data = { ...data };
  }

  get keys(): readonly SimKey[] {
    return this.data.keys;
  }

  get projects(): readonly SimProject[] {
    this.projectsMemo ??= this.data.projects ?? deriveProjects(this.data.keys);
    return this.projectsMemo;
  }

  /** Every budget: each key's own (derived from the key), then the extra ones. */
  get budgets(): readonly SimBudgetRecord[] {
    if (this.budgetsMemo === undefined) {
      const own: SimBudgetRecord[] = [];
      for (const key of this.data.keys) {
        const record = this.keyBudget(key);
        if (record !== null) own.push(record);
      }
      this.budgetsMemo = [...own, ...(this.data.extraBudgets ?? [])];
    }
    return this.budgetsMemo;
  }

  /** Replaces part of the workspace; whatever depends on it is rebuilt on next use. */
  update(change: Partial<WorkspaceData>): void {
    this.data = { ...this.data, ...change };
    if (change.keys !== undefined) {
      this.keyIndexMemo = undefined;
      this.keyBudgets = new WeakMap();
      this.keyJsons = new Map();
    }
    this.projectsMemo = undefined;
    this.projectListMemo = undefined;
    this.budgetsMemo = undefined;
    this.budgetIndexMemo = undefined;
  }

  keyIndex(): KeyIndex {
    this.keyIndexMemo ??= new KeyIndex(this.data.keys);
    return this.keyIndexMemo;
  }

  budgetIndex(): BudgetIndex {
    if (this.budgetIndexMemo === undefined) {
      const names = new Map<string, string>();
      for (const p of this.projects) names.set(p.project_id, p.name);
      for (const k of this.data.keys) names.set(k.api_key_id, k.name);
      this.budgetIndexMemo = new BudgetIndex(this.budgets, (id) => names.get(id));
    }
    return this.budgetIndexMemo;
  }

  projectList(): RankedList<SimProject> {
    this.projectListMemo ??= projectList(this.projects);
    return this.projectListMemo;
  }

  /** The key's own API-key budget: what `include_budget` embeds. */
  keyBudget(key: SimKey): SimBudgetRecord | null {
    let record = this.keyBudgets.get(key);
    if (record === undefined) {
      record = keyBudgetRecord(key);
      this.keyBudgets.set(key, record);
    }
    return record;
  }

  keyJson(key: SimKey, variant: WireVariant, embedBudget: boolean): string {
    const budget = embedBudget ? this.keyBudget(key) : null;
    const slot: RenderSlot = `${variant}:${budget === null ? 'plain' : 'embed'}`;
    let cache = this.keyJsons.get(slot);
    if (cache === undefined) {
      cache = new WeakMap();
      this.keyJsons.set(slot, cache);
    }
    let json = cache.get(key);
    if (json === undefined) {
      const item = this.renderKey(key, variant);
      json = JSON.stringify(budget === null ? item : { ...item, budget: toEmbeddedBudget(budget) });
      cache.set(key, json);
    }
    return json;
  }

  private renderKey(key: SimKey, variant: WireVariant): object {
    switch (variant) {
      case 'reference':
        return toReference(key);
      case 'sdk':
        return toSdk(key, this.workspaceId);
      case 'rc':
        return toRc(key, this.workspaceId, this.keyBudget(key)?.usage ?? derivedUsage(key));
    }
  }

  budgetJson(record: SimBudgetRecord): string {
    return this.memoJson(record, () => toBudget(record));
  }

  projectJson(project: SimProject): string {
    return this.memoJson(project, () => toProject(project));
  }

  private memoJson(item: object, render: () => object): string {
    let json = this.itemJsons.get(item);
    if (json === undefined) {
      json = JSON.stringify(render());
      this.itemJsons.set(item, json);
    }
    return json;
  }
}
