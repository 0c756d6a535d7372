/**
 * A whole generated workspace: keys, projects and the budgets not carried on a key. Its keys
 * are exactly generateKeys' for the same options, so tests written against keys alone keep
 * their data when they move to the whole workspace.
 */
import type { SimBudgetRecord } from './budgets.js';
import { drawExtraBudgets } from './generate-budgets.js';
import { finishProjects } from './generate-projects.js';
import { drawKeys, type GenerateOptions, type SimKey } from './generator.js';
import type { SimProject } from './projects.js';
import { createRng } from './random.js';

export interface SimWorkspace {
  keys: SimKey[];
  projects: SimProject[];
  /** every budget except the keys' own (which /v2/budgets derives from the keys) */
  extraBudgets: SimBudgetRecord[];
}

const PROJECT_STREAM = 0x27d4eb2f;
const BUDGET_STREAM = 0x165667b1;

export function generateWorkspace(options: GenerateOptions): SimWorkspace {
  const { keys, projects: seeds, users } = drawKeys(options);
  const projects = finishProjects(seeds, createRng((options.seed ^ PROJECT_STREAM) >>> 0), options.now, users);
  const extraBudgets = drawExtraBudgets(createRng((options.seed ^ BUDGET_STREAM) >>> 0), {
    keys,
    projects,
    now: options.now,
  });
  return { keys, projects, extraBudgets };
}
