/**
 * orq.ai's own TypeScript SDK as the judge of the simulator's wire format: its clients parse
 * every answer with the zod schemas generated from orq's API spec, so whatever they refuse,
 * the simulator got wrong. 4.15.11 (the `@orq-ai/node` dev dependency) reads the sdk variant;
 * the 4.16 release candidate it bundles as TypeScript sources reads the rc variant.
 */
import { Orq } from '@orq-ai/node';
import { ResponseValidationError } from '@orq-ai/node/models/errors/responsevalidationerror.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeKindOf } from '../../src/simulator/budgets.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { generateWorkspace } from '../../src/simulator/workspace.js';

const TOKEN = 'oracle-token';
const NOW = Date.UTC(2025, 5, 1, 12);
const ws = generateWorkspace({ count: 2_345, seed: 42, now: NOW });
const KEY_IDS = ws.keys.map((k) => k.api_key_id).sort();

/** Every item of a cursor-paged list, asking page after page until `done` says the list ended. */
async function walk<P, T>(
  ask: (cursor: string | undefined) => Promise<P>,
  itemsOf: (page: P) => T[],
  idOf: (item: T) => string,
  done: (page: P) => boolean,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= 100; pages++) {
    const page = await ask(cursor);
    items.push(...itemsOf(page));
    const last = itemsOf(page).at(-1);
    if (done(page) || last === undefined) return { items, pages };
    cursor = idOf(last);
  }
  throw new Error('paging did not end');
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ ...ws, token: TOKEN, variant: 'sdk' });
});
afterAll(async () => {
  await sim?.close();
});

describe('@orq-ai/node 4.15.11 against the sdk variant', () => {
  const orq = (): Orq => new Orq({ apiKey: TOKEN, serverURL: sim.url });

  it('apiKeys.list with includeBudget accepts every page of 200, sees every key once, each with its own budget', async () => {
    sim.clearRequests();
    const { items, pages } = await walk(
      (startingAfter) => orq().apiKeys.list({ limit: 200, includeBudget: true, ...(startingAfter === undefined ? {} : { startingAfter }) }),
      (page) => page,
      (key) => key.id,
      (page) => page.length < 200,
    );
    expect(pages).toBe(Math.ceil(2_345 / 200));
    expect(sorted(items.map((k) => k.id))).toEqual(KEY_IDS);
    expect(sim.requests.every((r) => r.query['include_budget'] === 'true' && r.query['limit'] === '200')).toBe(true);

    const byId = new Map(ws.keys.map((k) => [k.api_key_id, k]));
    const budgets = new Map(sim.budgets().map((b) => [b.budget_id, b]));
    let embedded = 0;
    for (const item of items) {
      const key = byId.get(item.id);
      if (item.budget !== undefined) {
        embedded++;
        const own = budgets.get(String(item.budget['budget_id']));
        expect(own?.scope, item.id).toEqual({ kind: 'api_key', api_key_id: item.id });
        expect(item.budget).not.toHaveProperty('usage');
      } else {
        expect(key?.budget ?? null).toBeNull();
        expect(key?.rate_limit_rpm ?? null).toBeNull();
      }
      // What the SDK made of the fields it types:
      expect(item.status).toMatch(/^API_KEY_STATUS_(ACTIVE|DISABLED|REVOKED)$/);
      expect(item.created).toBeInstanceOf(Date);
      if (key?.expires_at !== null) expect(item.expiration ?? item.additionalProperties?.['expires_at']).toBeDefined();
    }
    expect(embedded).toBe(ws.keys.filter((k) => k.budget !== null || k.rate_limit_rpm !== null).length);
    // The zero legacy family arrives in every spelling, absent included.
    const zero = new Set(items.filter((k) => k.isLegacy === false).map((k) => k.legacyTokenFamily));
    expect(zero).toEqual(new Set([undefined, '', 'none', 'unspecified', '0', 'LEGACY_TOKEN_FAMILY_UNSPECIFIED', 'LEGACY_TOKEN_FAMILY_NONE']));
  });

  it('apiKeys.list sends its filters in a form the simulator reads, arrays as repeated keys', async () => {
    const want = ws.keys.filter((k) => k.status === 1 && k.owner.kind === 'service_account' && (k.permission_mode === 1 || k.permission_mode === 3));
    const { items } = await walk(
      (startingAfter) =>
        orq().apiKeys.list({
          limit: 200,
          status: 'API_KEY_STATUS_ACTIVE',
          ownerType: ['OWNER_TYPE_SERVICE_ACCOUNT'],
          permissionMode: ['PERMISSION_MODE_ALL', 'PERMISSION_MODE_READ_ONLY'],
          ...(startingAfter === undefined ? {} : { startingAfter }),
        }),
      (page) => page,
      (key) => key.id,
      (page) => page.length < 200,
    );
    expect(want.length).toBeGreaterThan(50);
    expect(sorted(items.map((k) => k.id))).toEqual(sorted(want.map((k) => k.api_key_id)));
  });

  it('budgets.list pages by hasMore and sees every budget once, with or without a scope filter', async () => {
    const list = (scopeKind?: 'BUDGET_SCOPE_KIND_API_KEY') =>
      walk(
        (startingAfter) =>
          orq().budgets.list({
            limit: 200,
            ...(scopeKind === undefined ? {} : { scopeKind: [scopeKind] }),
            ...(startingAfter === undefined ? {} : { startingAfter }),
          }),
        (page) => page.data,
        (b) => b.budgetId,
        (page) => !page.hasMore,
      );
    const keyed = await list('BUDGET_SCOPE_KIND_API_KEY');
    expect(sorted(keyed.items.map((b) => b.budgetId))).toEqual(sorted(sim.budgets().filter((b) => scopeKindOf(b.scope) === 4).map((b) => b.budget_id)));
    const all = await list();
    expect(sorted(all.items.map((b) => b.budgetId))).toEqual(sorted(sim.budgets().map((b) => b.budget_id)));
    expect(all.items.some((b) => b.scope === undefined && b.match?.cel !== undefined)).toBe(true);
    expect(all.items.some((b) => b.isActive === false)).toBe(true);
    expect(all.items.every((b) => b.usage !== undefined && b.updatedAt instanceof Date)).toBe(true);
  });

  it('projects.list pages by hasMore and sees every project once', async () => {
    const { items, pages } = await walk(
      (startingAfter) => orq().projects.list({ limit: 7, ...(startingAfter === undefined ? {} : { startingAfter }) }),
      (page) => page.data,
      (p) => p.projectId,
      (page) => !page.hasMore,
    );
    expect(pages).toBe(Math.ceil(ws.projects.length / 7));
    expect(sorted(items.map((p) => p.projectId))).toEqual(sorted(ws.projects.map((p) => p.project_id)));
    expect(items.some((p) => p.isArchived)).toBe(true);
  });

  it('refuses what breaks its schema, so a pass above means something', async () => {
    sim.inject({ kind: 'records', items: [{ id: 'k1', name: 'n', workspace_id: 'w', token: 't', expiration: null }] });
    await expect(orq().apiKeys.list({ limit: 200 })).rejects.toBeInstanceOf(ResponseValidationError);
    sim.injectFor('budgets', { kind: 'records', items: [{ budgetId: 'b1', createdAt: 'yesterday', updatedAt: 'today', limits: {} }] });
    await expect(orq().budgets.list({})).rejects.toBeInstanceOf(ResponseValidationError);
    sim.injectFor('projects', { kind: 'records', items: [{ project_id: 'p', name: 'n', key: 'k' }] });
    await expect(orq().projects.list({})).rejects.toBeInstanceOf(ResponseValidationError);
  });
});

/** The few parts of the release candidate's standalone functions this test calls. */
type RcResult<T> = { ok: true; value: T } | { ok: false; error: unknown };
interface RcModules {
  OrqCore: new (options: { apiKey: string; serverURL: string }) => object;
  apiKeysList: (client: object, request?: { projectId?: string; source?: string }) => Promise<RcResult<{ id: string; status?: string }[]>>;
  budgetsList: (client: object, request?: { limit?: number; startingAfter?: string }) => Promise<RcResult<{ data: { budgetId: string }[]; hasMore: boolean }>>;
  projectsList: (client: object, request?: { limit?: number; startingAfter?: string }) => Promise<RcResult<{ data: { projectId: string }[]; hasMore: boolean }>>;
}

// Named through a variable so the typecheck does not compile the release candidate's sources
// under this project's settings; vitest transforms them when imported.
const RC = '@orq-ai/node/packages/orq-rc/src';
async function loadRc(): Promise<RcModules> {
  const [core, keys, budgets, projects] = await Promise.all([
    import(`${RC}/core.js`) as Promise<Pick<RcModules, 'OrqCore'>>,
    import(`${RC}/funcs/apiKeysList.js`) as Promise<Pick<RcModules, 'apiKeysList'>>,
    import(`${RC}/funcs/budgetsList.js`) as Promise<Pick<RcModules, 'budgetsList'>>,
    import(`${RC}/funcs/projectsList.js`) as Promise<Pick<RcModules, 'projectsList'>>,
  ]);
  return { ...core, ...keys, ...budgets, ...projects };
}

function value<T>(result: RcResult<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

describe('the 4.16 release candidate against the rc variant', () => {
  let rc: RcModules;
  // Transforming the release candidate's sources takes seconds, more on a loaded machine.
  beforeAll(async () => {
    rc = await loadRc();
  }, 180_000);

  it('apiKeys.list reads the whole workspace in one answer, sorted by name, and its filters', async () => {
    sim.setVariant('rc');
    sim.clearRequests();
    try {
      const client = new rc.OrqCore({ apiKey: TOKEN, serverURL: sim.url });
      const keys = value(await rc.apiKeysList(client));
      expect(sim.requests).toHaveLength(1);
      expect(sorted(keys.map((k) => k.id))).toEqual(KEY_IDS);
      const names = keys.map((k) => ws.keys.find((x) => x.api_key_id === k.id)?.name ?? '');
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const router = value(await rc.apiKeysList(client, { source: 'router' }));
      expect(sorted(router.map((k) => k.id))).toEqual(sorted(ws.keys.filter((k) => k.legacy_token_family === 1).map((k) => k.api_key_id)));
    } finally {
      sim.setVariant('sdk');
    }
  });

  it('budgets.list and projects.list read every budget and project', async () => {
    const client = new rc.OrqCore({ apiKey: TOKEN, serverURL: sim.url });
    const budgets = await walk(
      async (startingAfter) => value(await rc.budgetsList(client, { limit: 200, ...(startingAfter === undefined ? {} : { startingAfter }) })),
      (page) => page.data,
      (b) => b.budgetId,
      (page) => !page.hasMore,
    );
    expect(sorted(budgets.items.map((b) => b.budgetId))).toEqual(sorted(sim.budgets().map((b) => b.budget_id)));
    const projects = value(await rc.projectsList(client, { limit: 200 }));
    expect(sorted(projects.data.map((p) => p.projectId))).toEqual(sorted(ws.projects.map((p) => p.project_id)));
  });

  it('refuses null where its schema wants a string, as 4.15.11 does', async () => {
    sim.setVariant('rc');
    try {
      sim.inject({ kind: 'records', items: [{ id: 'k1', name: 'n', workspace_id: 'w', token: 't', legacy_key_id: null }] });
      const result = await rc.apiKeysList(new rc.OrqCore({ apiKey: TOKEN, serverURL: sim.url }));
      expect(result.ok).toBe(false);
    } finally {
      sim.setVariant('sdk');
    }
  });
});
