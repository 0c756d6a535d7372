import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/simulator/faults.js';
import { generateKeys, makeKey, type SimKey } from '../../src/simulator/generator.js';
import { budgetsReply, defaultIncludeBudget, keysReply, projectsReply, type IncludeBudgetMode } from '../../src/simulator/replies.js';
import type { Reply } from '../../src/simulator/reply.js';
import { SimState } from '../../src/simulator/state.js';
import type { WireVariant } from '../../src/simulator/wire.js';
import { generateWorkspace } from '../../src/simulator/workspace.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const ws = generateWorkspace({ count: 137, seed: 3, now: NOW });
const state = new SimState('ws_test', ws);

const newest = [...ws.keys]
  .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.api_key_id < b.api_key_id ? 1 : -1))
  .map((k) => k.api_key_id);
const byName = [...ws.keys].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.api_key_id < b.api_key_id ? -1 : 1)).map((k) => k.api_key_id);

function keys(variant: WireVariant, query = '', fault?: Fault, includeBudget: IncludeBudgetMode = defaultIncludeBudget(variant)): Reply {
  return keysReply(state, { variant, includeBudget, query: new URLSearchParams(query) }, fault);
}

function body(reply: Reply, status = 200): unknown {
  if (reply.kind !== 'send') throw new Error(`expected a response, got ${reply.kind}`);
  expect(reply.status).toBe(status);
  return JSON.parse(reply.body) as unknown;
}

type Item = Record<string, unknown> & { id: string };
const items = (reply: Reply): Item[] => body(reply) as Item[];
const idsOf = (list: readonly { id?: unknown; api_key_id?: unknown }[]): unknown[] => list.map((k) => k.id ?? k.api_key_id);

describe('defaultIncludeBudget', () => {
  it('embeds on the SDK variant only', () => {
    expect([defaultIncludeBudget('reference'), defaultIncludeBudget('sdk'), defaultIncludeBudget('rc')]).toEqual(['ignore', 'embed', 'ignore']);
  });
});

describe('keys: reference', () => {
  it('pages newest first in {object, data, has_more}, 25 by default', () => {
    const page = body(keys('reference')) as { object: string; data: { api_key_id: string }[]; has_more: boolean };
    expect(Object.keys(page)).toEqual(['object', 'data', 'has_more']);
    expect(idsOf(page.data)).toEqual(newest.slice(0, 25));
    expect(page.has_more).toBe(true);
    const last = body(keys('reference', `limit=200&starting_after=${newest[99]}`)) as { data: unknown[]; has_more: boolean };
    expect(last.data).toHaveLength(37);
    expect(last.has_more).toBe(false);
  });

  it('refuses a bad limit or an unknown cursor with 400 invalid_request', () => {
    expect(body(keys('reference', 'limit=0'), 400)).toEqual({ error: { code: 'invalid_request', message: 'limit must be between 1 and 200' } });
    expect(body(keys('reference', 'starting_after=nope'), 400)).toEqual({ error: { code: 'invalid_request', message: 'starting_after: no api key nope' } });
  });
});

describe('keys: sdk', () => {
  it('is a bare array paged by limit and starting_after, with no has_more, and [] after the last page', () => {
    const walked: unknown[] = [];
    let cursor = '';
    let requests = 0;
    for (;;) {
      const page = items(keys('sdk', `limit=50${cursor === '' ? '' : `&starting_after=${cursor}`}`));
      requests++;
      walked.push(...idsOf(page));
      if (page.length < 50) break;
      cursor = page.at(-1)!.id;
    }
    expect(walked).toEqual(newest);
    expect(requests).toBe(3);
    expect(items(keys('sdk', `starting_after=${newest.at(-1)}`))).toEqual([]);
    expect(items(keys('sdk'))).toHaveLength(25);
  });

  it('pages backwards with ending_before', () => {
    expect(idsOf(items(keys('sdk', `limit=5&ending_before=${newest[10]}`)))).toEqual(newest.slice(5, 10));
  });

  it('embeds each key’s budget with include_budget=true, and only then', () => {
    const withBudget = items(keys('sdk', 'limit=200&include_budget=true'));
    const expected = ws.keys.filter((k) => state.keyBudget(k) !== null).length;
    expect(withBudget.filter((k) => 'budget' in k)).toHaveLength(expected);
    for (const k of withBudget.filter((i) => 'budget' in i)) {
      const key = ws.keys.find((x) => x.api_key_id === k.id)!;
      expect(k.budget).toMatchObject({ budget_id: state.keyBudget(key)?.budget_id });
      expect(k.budget).not.toHaveProperty('usage');
    }
    for (const q of ['limit=200', 'limit=200&include_budget=false', 'limit=200&include_budget=']) {
      expect(items(keys('sdk', q)).some((k) => 'budget' in k)).toBe(false);
    }
    expect(body(keys('sdk', 'include_budget=maybe'), 400)).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('filters by every SDK filter, in any enum spelling, arrays as repeated keys', () => {
    const want = ws.keys.filter((k) => k.owner.kind === 'service_account' && [2, 3].includes(k.permission_mode) && k.status === 1);
    const got = items(keys('sdk', 'limit=200&owner_type=OWNER_TYPE_SERVICE_ACCOUNT&permission_mode=PERMISSION_MODE_RESTRICTED&permission_mode=read_only&status=API_KEY_STATUS_ACTIVE'));
    expect(new Set(idsOf(got))).toEqual(new Set(want.map((k) => k.api_key_id)));
    expect(want.length).toBeGreaterThan(0);
    const name = ws.keys[0]!.name.toUpperCase();
    expect(idsOf(items(keys('sdk', `limit=200&search=${name}`)))).toEqual(
      newest.filter((id) => ws.keys.find((k) => k.api_key_id === id)!.name.includes(name.toLowerCase())),
    );
    expect(body(keys('sdk', 'owner_type=OWNER_TYPE_ROBOT'), 400)).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

describe('keys: rc', () => {
  it('is the whole filtered list by name, whatever limit and cursors say, even nonsense ones', () => {
    expect(idsOf(items(keys('rc', 'limit=1&starting_after=nope')))).toEqual(byName);
    expect(idsOf(items(keys('rc', 'limit=abc')))).toEqual(byName);
    const active = new Set(ws.keys.filter((k) => k.status === 1).map((k) => k.api_key_id));
    expect(idsOf(items(keys('rc', 'status=active')))).toEqual(byName.filter((id) => active.has(id)));
  });

  it('ignores include_budget', () => {
    expect(items(keys('rc', 'include_budget=true')).some((k) => 'budget' in k)).toBe(false);
    expect(keys('rc', 'include_budget=maybe')).toMatchObject({ status: 200 });
  });
});

describe('include_budget modes', () => {
  it('ignore: never embeds and never looks at the value', () => {
    expect(items(keys('sdk', 'include_budget=true', undefined, 'ignore')).some((k) => 'budget' in k)).toBe(false);
    expect(keys('sdk', 'include_budget=maybe', undefined, 'ignore')).toMatchObject({ status: 200 });
  });

  it('embed: works on the reference variant too', () => {
    const page = body(keys('reference', 'limit=200&include_budget=true', undefined, 'embed')) as { data: Record<string, unknown>[] };
    expect(page.data.some((k) => 'budget' in k)).toBe(true);
  });

  it('reject_400: refuses the parameter whenever it is sent, and answers without it', () => {
    for (const variant of ['reference', 'sdk', 'rc'] as const) {
      for (const value of ['true', 'false']) {
        expect(body(keys(variant, `include_budget=${value}`, undefined, 'reject_400'), 400)).toEqual({
          error: { code: 'invalid_request', message: 'unknown query parameter include_budget' },
        });
      }
      expect(keys(variant, '', undefined, 'reject_400')).toMatchObject({ status: 200 });
    }
  });

  it('reject_403: refuses include_budget=true as a missing permission, and answers without it', () => {
    for (const variant of ['reference', 'sdk', 'rc'] as const) {
      expect(body(keys(variant, 'include_budget=true', undefined, 'reject_403'), 403)).toMatchObject({ error: { code: 'insufficient_scope' } });
      expect(keys(variant, 'include_budget=false', undefined, 'reject_403')).toMatchObject({ status: 200 });
    }
  });
});

describe('keys: faults per variant', () => {
  it('repeat_cursor on the SDK variant answers the previous page, ending with the cursor', () => {
    const page = items(keys('sdk', `limit=10&starting_after=${newest[19]}`, { kind: 'repeat_cursor' }));
    expect(idsOf(page)).toEqual(newest.slice(10, 20));
  });

  it('ignore_limit on the SDK variant answers everything after the cursor, more than asked', () => {
    expect(idsOf(items(keys('sdk', `limit=10&starting_after=${newest[9]}`, { kind: 'ignore_limit' })))).toEqual(newest.slice(10));
  });

  it('ignore_cursor on the SDK variant answers the first page again', () => {
    expect(idsOf(items(keys('sdk', `limit=10&starting_after=${newest[9]}`, { kind: 'ignore_cursor' })))).toEqual(newest.slice(0, 10));
  });

  it('duplicate_ids on the release candidate repeats the first key; its other list faults change nothing', () => {
    const dup = items(keys('rc', '', { kind: 'duplicate_ids' }));
    expect(idsOf(dup)).toEqual([byName[0], ...byName]);
    for (const kind of ['repeat_cursor', 'ignore_limit', 'ignore_cursor'] as const) {
      expect(idsOf(items(keys('rc', '', { kind })))).toEqual(byName);
    }
  });

  it('empty_has_more and records follow the variant’s envelope', () => {
    expect(keys('reference', '', { kind: 'empty_has_more' })).toMatchObject({ body: '{"object":"list","data":[],"has_more":true}' });
    expect(keys('sdk', '', { kind: 'empty_has_more' })).toMatchObject({ body: '[]' });
    expect(keys('rc', '', { kind: 'records', items: [{ id: 'x' }] })).toMatchObject({ body: '[{"id":"x"}]' });
    expect(keys('reference', '', { kind: 'records', items: [1] })).toMatchObject({ body: '{"object":"list","data":[1],"has_more":false}' });
  });

  it('takes precedence over a refused include_budget', () => {
    expect(keys('sdk', 'include_budget=true', { kind: 'status', status: 502 }, 'reject_400')).toMatchObject({ status: 502 });
  });
});

describe('budgets', () => {
  const budgets = (query = '', permitted = true, fault?: Fault): Reply => budgetsReply(state, new URLSearchParams(query), permitted, fault);
  type BudgetPage = { object: string; data: { budgetId: string; scope?: Record<string, unknown> }[]; hasMore: boolean };
  const all = state.budgetIndex().list(0).order.map((b) => b.budget_id);

  it('pages most recently updated first in {object, data, hasMore}, by budgetId cursors', () => {
    const first = body(budgets('limit=40')) as BudgetPage;
    expect(Object.keys(first)).toEqual(['object', 'data', 'hasMore']);
    expect(first.data.map((b) => b.budgetId)).toEqual(all.slice(0, 40));
    expect(first.hasMore).toBe(true);
    const rest = body(budgets(`limit=200&starting_after=${all[39]}`)) as BudgetPage;
    expect(rest.data.map((b) => b.budgetId)).toEqual(all.slice(40));
    expect(rest.hasMore).toBe(false);
  });

  it('filters by scope kind: API-key budgets include those naming no key', () => {
    const page = body(budgets('limit=200&scope_kind=BUDGET_SCOPE_KIND_API_KEY')) as BudgetPage;
    expect(page.data.every((b) => b.scope !== undefined && 'apiKey' in b.scope)).toBe(true);
    expect(page.data.some((b) => JSON.stringify(b.scope) === '{"apiKey":{}}')).toBe(true);
  });

  it('answers 403 insufficient_scope without the Budgets permission, unless a fault answers first', () => {
    expect(body(budgets('', false), 403)).toEqual({ error: { code: 'insufficient_scope', message: 'this API key lacks the Budgets permission' } });
    expect(budgets('', false, { kind: 'status', status: 503 })).toMatchObject({ status: 503 });
  });

  it('refuses a bad query with 400, and faults in its camelCase envelope', () => {
    expect(body(budgets('is_active=maybe'), 400)).toMatchObject({ error: { code: 'invalid_request' } });
    expect(budgets('', true, { kind: 'empty_has_more' })).toMatchObject({ body: '{"object":"list","data":[],"hasMore":true}' });
    expect(budgets('', true, { kind: 'records', items: [] })).toMatchObject({ body: '{"object":"list","data":[],"hasMore":false}' });
  });
});

describe('projects', () => {
  type ProjectPage = { object: string; data: { project_id: string }[]; has_more: boolean };
  const order = state.projectList().order.map((p) => p.project_id);

  it('pages newest first in {object, data, has_more}', () => {
    const first = body(projectsReply(state, new URLSearchParams('limit=5'))) as ProjectPage;
    expect(first.data.map((p) => p.project_id)).toEqual(order.slice(0, 5));
    expect(first.has_more).toBe(true);
    const rest = body(projectsReply(state, new URLSearchParams(`limit=200&starting_after=${order[4]}`))) as ProjectPage;
    expect(rest.data.map((p) => p.project_id)).toEqual(order.slice(5));
    expect(rest.has_more).toBe(false);
  });

  it('answers faults in its own envelope', () => {
    expect(projectsReply(state, new URLSearchParams(), { kind: 'empty_has_more' })).toMatchObject({ body: '{"object":"list","data":[],"has_more":true}' });
    expect(projectsReply(state, new URLSearchParams(), { kind: 'hang' })).toEqual({ kind: 'hang' });
  });
});

describe('an empty workspace', () => {
  const empty = new SimState('ws', { keys: [] as SimKey[] });
  it('answers an empty list in every variant and endpoint', () => {
    expect(keysReply(empty, { variant: 'reference', includeBudget: 'ignore', query: new URLSearchParams() }, undefined)).toMatchObject({
      body: '{"object":"list","data":[],"has_more":false}',
    });
    for (const variant of ['sdk', 'rc'] as const) {
      expect(keysReply(empty, { variant, includeBudget: 'embed', query: new URLSearchParams('include_budget=true') })).toMatchObject({ body: '[]' });
    }
    expect(budgetsReply(empty, new URLSearchParams(), true)).toMatchObject({ body: '{"object":"list","data":[],"hasMore":false}' });
    expect(projectsReply(empty, new URLSearchParams())).toMatchObject({ body: '{"object":"list","data":[],"has_more":false}' });
  });
});

describe('a hand-made key set', () => {
  it('orders keys created in the same second by id, descending, in the paged variants', () => {
    const same = ['01HAAAAAAAAAAAAAAAAAAAAAA1', '01HAAAAAAAAAAAAAAAAAAAAAA3', '01HAAAAAAAAAAAAAAAAAAAAAA2'].map((id) =>
      makeKey({ api_key_id: id, created_at: '2025-01-01T00:00:00Z' }),
    );
    const s = new SimState('ws', { keys: same });
    const reply = keysReply(s, { variant: 'sdk', includeBudget: 'embed', query: new URLSearchParams() });
    expect(idsOf(items(reply))).toEqual(['01HAAAAAAAAAAAAAAAAAAAAAA3', '01HAAAAAAAAAAAAAAAAAAAAAA2', '01HAAAAAAAAAAAAAAAAAAAAAA1']);
  });

  it('filters by project across pages, only single-project keys of it', () => {
    const keysOf = generateKeys({ count: 400, seed: 21, now: NOW });
    const s = new SimState('ws', { keys: keysOf });
    const project = keysOf.find((k) => k.project_scope.kind === 'single')!.project_scope;
    const id = project.kind === 'single' ? project.project_id : '';
    const got = items(keysReply(s, { variant: 'sdk', includeBudget: 'ignore', query: new URLSearchParams({ project_id: id, limit: '200' }) }));
    expect(got.length).toBeGreaterThan(3);
    expect(got.every((k) => JSON.stringify(k.project_scope) === JSON.stringify({ single: { project_id: id } }))).toBe(true);
  });
});
