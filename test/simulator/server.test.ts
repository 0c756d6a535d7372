import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/simulator/faults.js';
import { errorBody } from '../../src/simulator/reply.js';
import { generateKeys, makeKey, type SimKey } from '../../src/simulator/generator.js';
import { generateWorkspace } from '../../src/simulator/workspace.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.js';
import type { WireVariant } from '../../src/simulator/wire.js';

const TOKEN = 'sim-token';
const NOW = Date.UTC(2025, 5, 1, 12);

interface ReferenceList {
  object: string;
  data: { api_key_id: string; name: string; status: number; project_scope: Record<string, unknown> }[];
  has_more: boolean;
}
interface BareItem {
  id: string;
  name: string;
  status: string;
}

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Most tests here read the reference variant's envelope; the default variant has its own test. */
async function start(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({ keys: [], token: TOKEN, variant: 'reference', ...options });
  return sim;
}

function get(s: Simulator, path: string, init: { token?: string | null; signal?: AbortSignal } = {}): Promise<Response> {
  const token = init.token === undefined ? TOKEN : init.token;
  return fetch(`${s.url}${path}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  });
}

async function getJson<T>(s: Simulator, path: string): Promise<T> {
  const res = await get(s, path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** Newest first as the API orders: created_at descending, then id descending. */
function newestFirst(keys: readonly SimKey[]): string[] {
  return [...keys]
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.api_key_id < b.api_key_id ? 1 : -1))
    .map((k) => k.api_key_id);
}

/** Follows starting_after cursors from the first page; returns ids in order and the request count. */
async function walk(s: Simulator, query: string, maxPages = 10_000): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const after = cursor === undefined ? '' : `&starting_after=${cursor}`;
    const page = await getJson<ReferenceList>(s, `/v2/api-keys?${query}${after}`);
    ids.push(...page.data.map((k) => k.api_key_id));
    if (!page.has_more) return { ids, pages };
    cursor = page.data.at(-1)?.api_key_id;
    if (cursor === undefined) throw new Error(`page ${pages} promises more but has no cursor`);
  }
  throw new Error('pagination did not end');
}

describe('startSimulator', () => {
  it('listens on 127.0.0.1 and reports its url and port', async () => {
    const s = await start();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
  });

  it('refuses nonsense options instead of misbehaving later', async () => {
    await expect(startSimulator({ keys: [], token: TOKEN, latencyMs: -1 })).rejects.toThrow(RangeError);
    await expect(startSimulator({ keys: [], token: TOKEN, rateLimit: { limit: 1, windowMs: 0 } })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('authentication', () => {
  it('answers 401 invalid_api_key without a bearer token or with the wrong one', async () => {
    const s = await start({ keys: [makeKey()] });
    for (const token of [null, 'wrong']) {
      const res = await get(s, '/v2/api-keys', { token });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_api_key');
      expect(typeof body.error.message).toBe('string');
    }
    expect(s.requests.map((r) => [r.authorized, r.status])).toEqual([
      [false, 401],
      [false, 401],
    ]);
  });

  it('guards /v2/projects too', async () => {
    const s = await start();
    expect((await get(s, '/v2/projects', { token: 'nope' })).status).toBe(401);
  });
});

describe('routing', () => {
  it('answers 404 {"message":"Not Found"} for any other path', async () => {
    const s = await start();
    for (const path of ['/', '/v1/api-keys', '/v2/api-keys/123', '/v2/budget', '/v2/projects/p1']) {
      const res = await get(s, path);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('{"message":"Not Found"}');
    }
  });

  it('answers 405 to methods other than GET', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/v2/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('records method, path, query, authorisation, status and arrival time', async () => {
    const s = await start({ keys: [makeKey()] });
    const before = Date.now();
    await get(s, '/v2/api-keys?limit=5&status=1');
    await get(s, '/nowhere', { token: null });
    expect(s.requests).toEqual([
      { method: 'GET', path: '/v2/api-keys', query: { limit: '5', status: '1' }, authorized: true, status: 200, at: expect.any(Number) },
      { method: 'GET', path: '/nowhere', query: {}, authorized: false, status: 404, at: expect.any(Number) },
    ]);
    expect(s.requests[0]?.at).toBeGreaterThanOrEqual(before);
    s.clearRequests();
    expect(s.requests).toHaveLength(0);
  });

  it('keeps at most recordLimit requests, dropping the oldest', async () => {
    const s = await start({ recordLimit: 10 });
    for (let i = 0; i < 12; i++) await (await get(s, `/x${i}`)).text();
    expect(s.requests.map((r) => r.path)).toEqual(['/x2', '/x3', '/x4', '/x5', '/x6', '/x7', '/x8', '/x9', '/x10', '/x11']);
  });
});

describe('reference listing', () => {
  const keys = generateKeys({ count: 1_037, seed: 21, now: NOW });

  it('walks every key with limit=200 in ceil(n/200) requests, newest first, no duplicates, no gaps', async () => {
    const s = await start({ keys });
    const { ids, pages } = await walk(s, 'limit=200');
    expect(pages).toBe(6);
    expect(s.requests).toHaveLength(6);
    expect(ids).toEqual(newestFirst(keys));
    expect(new Set(ids).size).toBe(1_037);
  });

  it('says has_more false on a last page that is exactly full', async () => {
    const s = await start({ keys: keys.slice(0, 400) });
    const { ids, pages } = await walk(s, 'limit=200');
    expect(pages).toBe(2);
    expect(ids).toEqual(newestFirst(keys.slice(0, 400)));
  });

  it('answers an empty workspace with one empty page', async () => {
    const s = await start({ keys: [] });
    expect(await (await get(s, '/v2/api-keys')).text()).toBe('{"object":"list","data":[],"has_more":false}');
  });

  it('answers {"object":"list","data":[...],"has_more":...} with 25 items by default', async () => {
    const s = await start({ keys });
    const page = await getJson<ReferenceList>(s, '/v2/api-keys');
    expect(Object.keys(page)).toEqual(['object', 'data', 'has_more']);
    expect(page.object).toBe('list');
    expect(page.data).toHaveLength(25);
    expect(page.has_more).toBe(true);
    expect(page.data.map((k) => k.api_key_id)).toEqual(newestFirst(keys).slice(0, 25));
  });

  it('orders keys created in the same second by id, descending', async () => {
    const t = '2025-01-01T00:00:00Z';
    const same = ['01HAAAAAAAAAAAAAAAAAAAAAA1', '01HAAAAAAAAAAAAAAAAAAAAAA3', '01HAAAAAAAAAAAAAAAAAAAAAA2'].map((id) =>
      makeKey({ api_key_id: id, created_at: t }),
    );
    const s = await start({ keys: same });
    const page = await getJson<ReferenceList>(s, '/v2/api-keys');
    expect(page.data.map((k) => k.api_key_id)).toEqual([
      '01HAAAAAAAAAAAAAAAAAAAAAA3',
      '01HAAAAAAAAAAAAAAAAAAAAAA2',
      '01HAAAAAAAAAAAAAAAAAAAAAA1',
    ]);
  });

  it.each(['0', '201', 'abc', '1.5', '-3', ''])('refuses limit=%s with 400 invalid_request', async (limit) => {
    const s = await start({ keys });
    const res = await get(s, `/v2/api-keys?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('{"error":{"code":"invalid_request","message":"limit must be between 1 and 200"}}');
  });

  it('accepts the limits at both ends', async () => {
    const s = await start({ keys });
    expect((await getJson<ReferenceList>(s, '/v2/api-keys?limit=1')).data).toHaveLength(1);
    expect((await getJson<ReferenceList>(s, '/v2/api-keys?limit=200')).data).toHaveLength(200);
  });

  it('refuses an unknown cursor, and both cursors at once, with 400', async () => {
    const s = await start({ keys });
    const unknown = await get(s, '/v2/api-keys?starting_after=01HNOTAKEY0000000000000000');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    expect((await get(s, '/v2/api-keys?ending_before=nope')).status).toBe(400);
    const [a, b] = newestFirst(keys);
    expect((await get(s, `/v2/api-keys?starting_after=${a}&ending_before=${b}`)).status).toBe(400);
  });

  it('pages backwards with ending_before', async () => {
    const s = await start({ keys });
    const order = newestFirst(keys);
    const page = await getJson<ReferenceList>(s, `/v2/api-keys?limit=10&ending_before=${order[30]}`);
    expect(page.data.map((k) => k.api_key_id)).toEqual(order.slice(20, 30));
    expect(page.has_more).toBe(true);
    const first = await getJson<ReferenceList>(s, `/v2/api-keys?limit=10&ending_before=${order[4]}`);
    expect(first.data.map((k) => k.api_key_id)).toEqual(order.slice(0, 4));
    expect(first.has_more).toBe(false);
  });

  it('filters by project_id: only single-project keys of that project, across pages', async () => {
    const s = await start({ keys });
    const project = keys.find((k) => k.project_scope.kind === 'single')?.project_scope;
    if (project?.kind !== 'single') throw new Error('no single-project key generated');
    const expected = newestFirst(
      keys.filter((k) => k.project_scope.kind === 'single' && k.project_scope.project_id === project.project_id),
    );
    expect(expected.length).toBeGreaterThan(5);
    const { ids } = await walk(s, `limit=5&project_id=${encodeURIComponent(project.project_id)}`);
    expect(ids).toEqual(expected);
  });

  it('filters by status given as an integer or as its spelling', async () => {
    const s = await start({ keys });
    const revoked = newestFirst(keys.filter((k) => k.status === 3));
    expect(revoked.length).toBeGreaterThan(0);
    expect((await walk(s, 'limit=200&status=3')).ids).toEqual(revoked);
    expect((await walk(s, 'limit=200&status=revoked')).ids).toEqual(revoked);
    const bad = await get(s, '/v2/api-keys?status=gone');
    expect(bad.status).toBe(400);
  });

  it('serves keys replaced with setKeys, and keys() returns them', async () => {
    const s = await start({ keys });
    const replacement = [makeKey({ name: 'only-one' })];
    s.setKeys(replacement);
    expect(s.keys()).toBe(replacement);
    const page = await getJson<ReferenceList>(s, '/v2/api-keys');
    expect(page.data.map((k) => k.name)).toEqual(['only-one']);
    expect(page.has_more).toBe(false);
  });
});

describe('rc listing', () => {
  const keys = [
    makeKey({ api_key_id: '01HBBBBBBBBBBBBBBBBBBBBBB1', name: 'zeta', status: 1 }),
    makeKey({ api_key_id: '01HBBBBBBBBBBBBBBBBBBBBBB2', name: 'alpha', status: 2 }),
    makeKey({ api_key_id: '01HBBBBBBBBBBBBBBBBBBBBBB3', name: 'mid', status: 1, project_scope: { kind: 'all' } }),
  ];

  it('is a bare array of every key sorted by name, ignoring limit and cursors', async () => {
    const s = await start({ keys, variant: 'rc', workspaceId: 'ws_test' });
    const body = await getJson<BareItem[]>(s, '/v2/api-keys?limit=1');
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((k) => k.name)).toEqual(['alpha', 'mid', 'zeta']);
    expect(body.map((k) => k.id)).toEqual(['01HBBBBBBBBBBBBBBBBBBBBBB2', '01HBBBBBBBBBBBBBBBBBBBBBB3', '01HBBBBBBBBBBBBBBBBBBBBBB1']);
    expect(body[0]).toMatchObject({ status: 'disabled', active: false, workspace_id: 'ws_test' });
  });

  it('applies status and project filters', async () => {
    const s = await start({ keys, variant: 'rc' });
    expect((await getJson<BareItem[]>(s, '/v2/api-keys?status=active')).map((k) => k.name)).toEqual(['mid', 'zeta']);
    expect((await getJson<BareItem[]>(s, '/v2/api-keys?project_id=proj_default')).map((k) => k.name)).toEqual([
      'alpha',
      'zeta',
    ]);
  });

  it('switches variant at runtime with setVariant, and refuses one it does not know', async () => {
    const s = await start({ keys });
    expect(Array.isArray(await getJson<unknown>(s, '/v2/api-keys'))).toBe(false);
    s.setVariant('rc');
    expect(s.variant()).toBe('rc');
    expect(Array.isArray(await getJson<unknown>(s, '/v2/api-keys'))).toBe(true);
    expect(() => s.setVariant('b' as WireVariant)).toThrow('variant must be one of reference, sdk, rc, got b');
    expect(s.variant()).toBe('rc');
  });
});

describe('/v2/projects', () => {
  it('lists the projects single-project keys use, newest first, paged by project_id', async () => {
    const keys = ['p_c', 'p_a', 'p_b', 'p_a'].map((p) => makeKey({ project_scope: { kind: 'single', project_id: p } }));
    keys.push(makeKey({ project_scope: { kind: 'all' } }));
    const s = await start({ keys });
    const first = await getJson<{ object: string; data: { project_id: string }[]; has_more: boolean }>(
      s,
      '/v2/projects?limit=2',
    );
    expect(first.object).toBe('list');
    // Created in the same second, so by id, descending.
    expect(first.data.map((p) => p.project_id)).toEqual(['p_c', 'p_b']);
    expect(first.has_more).toBe(true);
    const rest = await getJson<{ data: { project_id: string }[]; has_more: boolean }>(
      s,
      '/v2/projects?limit=2&starting_after=p_b',
    );
    expect(rest.data.map((p) => p.project_id)).toEqual(['p_a']);
    expect(rest.has_more).toBe(false);
    expect((await get(s, '/v2/projects?starting_after=p_zzz')).status).toBe(400);
  });

  it('serves the projects it is given, and the derived ones again after setProjects(undefined)', async () => {
    const { keys, projects } = generateWorkspace({ count: 50, seed: 2, now: NOW });
    const s = await start({ keys, projects });
    expect(s.projects()).toBe(projects);
    const page = await getJson<{ data: { project_id: string; name: string }[] }>(s, '/v2/projects?limit=200');
    expect(new Set(page.data.map((p) => p.project_id))).toEqual(new Set(projects.map((p) => p.project_id)));
    expect(page.data.every((p) => !p.name.startsWith('Project '))).toBe(true);
    s.setProjects(undefined);
    const derived = await getJson<{ data: { name: string }[] }>(s, '/v2/projects?limit=200');
    expect(derived.data.every((p) => p.name.startsWith('Project '))).toBe(true);
  });
});

describe('/v2/budgets', () => {
  const ws = generateWorkspace({ count: 120, seed: 4, now: NOW });

  it('serves each key’s own budget and the extra ones, in every variant', async () => {
    const s = await start({ ...ws });
    for (const variant of ['reference', 'sdk', 'rc'] as const) {
      s.setVariant(variant);
      const page = await getJson<{ data: { budgetId: string }[]; hasMore: boolean }>(s, '/v2/budgets?limit=200');
      expect(new Set(page.data.map((b) => b.budgetId))).toEqual(new Set(s.budgets().map((b) => b.budget_id)));
      expect(page.hasMore).toBe(false);
    }
    expect(s.budgets().length).toBeGreaterThan(ws.extraBudgets.length);
    s.setExtraBudgets([]);
    expect(s.budgets().every((b) => b.scope?.kind === 'api_key')).toBe(true);
  });

  it('answers 403 insufficient_scope for a token without the Budgets permission, switchable at runtime', async () => {
    const s = await start({ ...ws, budgetsPermission: false });
    const denied = await get(s, '/v2/budgets');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
    expect((await get(s, '/v2/api-keys')).status).toBe(200);
    s.setBudgetsPermission(true);
    expect((await get(s, '/v2/budgets')).status).toBe(200);
  });
});

describe('include_budget', () => {
  const keys = [makeKey({ budget: { period: 3, amount: 10, token_limit: '100' } })];

  it('embeds on the default sdk variant, and follows setIncludeBudget', async () => {
    const s = await startSimulator({ keys, token: TOKEN });
    sim = s;
    expect(s.variant()).toBe('sdk');
    const [embedded] = await getJson<Record<string, unknown>[]>(s, '/v2/api-keys?include_budget=true');
    expect(embedded).toHaveProperty('budget');
    s.setIncludeBudget('reject_400');
    expect((await get(s, '/v2/api-keys?include_budget=true')).status).toBe(400);
    expect((await get(s, '/v2/api-keys')).status).toBe(200);
    s.setIncludeBudget('reject_403');
    expect((await get(s, '/v2/api-keys?include_budget=true')).status).toBe(403);
    s.setIncludeBudget(undefined);
    expect((await get(s, '/v2/api-keys?include_budget=true')).status).toBe(200);
  });

  it('is ignored by default on the reference and rc variants', async () => {
    const s = await start({ keys, variant: 'rc' });
    const [item] = await getJson<Record<string, unknown>[]>(s, '/v2/api-keys?include_budget=true');
    expect(item).not.toHaveProperty('budget');
  });

  it('can be refused from the start', async () => {
    const s = await startSimulator({ keys, token: TOKEN, includeBudget: 'reject_403' });
    sim = s;
    expect((await get(s, '/v2/api-keys?include_budget=true')).status).toBe(403);
  });
});

describe('variants', () => {
  it('defaults to the sdk variant: a bare array paged by limit', async () => {
    const s = await startSimulator({ keys: generateKeys({ count: 30, seed: 1, now: NOW }), token: TOKEN });
    sim = s;
    const page = await getJson<BareItem[]>(s, '/v2/api-keys?limit=20');
    expect(page).toHaveLength(20);
    expect(page[0]?.status).toMatch(/^API_KEY_STATUS_/);
  });

  it('still takes the old shape option: a is the reference, b the release candidate', async () => {
    const a = await startSimulator({ keys: [], token: TOKEN, shape: 'a' });
    const b = await startSimulator({ keys: [], token: TOKEN, shape: 'b' });
    const both = await startSimulator({ keys: [], token: TOKEN, shape: 'b', variant: 'sdk' });
    expect([a.variant(), b.variant(), both.variant()]).toEqual(['reference', 'rc', 'sdk']);
    await Promise.all([a.close(), b.close(), both.close()]);
  });

  it('refuses a variant it does not know', async () => {
    await expect(startSimulator({ keys: [], token: TOKEN, variant: 'c' as WireVariant })).rejects.toThrow(RangeError);
  });
});

describe('latency', () => {
  it('delays every response by latencyMs, changeable with setLatency', async () => {
    // No upper bound on the wall clock (a busy machine makes any answer late): a request that
    // came under a 10-minute latency is still waiting when one sent after setLatency(0) has
    // been answered, and a latency is only ever checked as a lower bound.
    const s = await start({ keys: [makeKey()], latencyMs: 600_000 });
    let before = 'waiting';
    const first = get(s, '/v2/api-keys').then(
      () => (before = 'answered'),
      () => (before = 'dropped'),
    );
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    s.setLatency(0);
    expect((await get(s, '/v2/api-keys')).status).toBe(200);
    expect(before).toBe('waiting');
    s.setLatency(150);
    const t = performance.now();
    await get(s, '/v2/api-keys');
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    expect(() => s.setLatency(Number.NaN)).toThrow(RangeError);
    await s.close();
    expect(await first).toBe('dropped');
  });
});

describe('rate limit', () => {
  it('counts requests per window in X-RateLimit-* headers and answers 429 with Retry-After over the budget', async () => {
    let clock = Date.UTC(2025, 0, 1, 0, 0, 10); // 10 s into a 60 s window
    const s = await start({ keys: [makeKey()], rateLimit: { limit: 3, windowMs: 60_000 }, now: () => clock });
    const reset = String(Date.UTC(2025, 0, 1, 0, 1, 0) / 1000);
    for (const remaining of ['2', '1', '0']) {
      const res = await get(s, '/v2/api-keys');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(res.headers.get('x-ratelimit-remaining')).toBe(remaining);
      expect(res.headers.get('x-ratelimit-reset')).toBe(reset);
    }
    const limited = await get(s, '/v2/api-keys');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.text()).toBe('{"error":{"code":"rate_limited","message":"rate limit exceeded"}}');

    clock = Date.UTC(2025, 0, 1, 0, 1, 0); // the next window
    const again = await get(s, '/v2/api-keys');
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(again.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2025, 0, 1, 0, 2, 0) / 1000));
  });

  it('does not spend the budget on unauthorised requests, and sends no headers when unlimited', async () => {
    const s = await start({ keys: [makeKey()], rateLimit: { limit: 1, windowMs: 60_000 } });
    expect((await get(s, '/v2/api-keys', { token: 'bad' })).status).toBe(401);
    expect((await get(s, '/v2/api-keys')).status).toBe(200);
    expect((await get(s, '/v2/api-keys')).status).toBe(429);
    s.setRateLimit(undefined);
    const res = await get(s, '/v2/api-keys');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('faults', () => {
  const keys = generateKeys({ count: 60, seed: 5, now: NOW });
  const order = newestFirst(keys);

  it('status: the code with a default error body, or the given body and headers', async () => {
    const s = await start({ keys });
    s.inject(
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, headers: { 'retry-after': '7' } },
      { kind: 'status', status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } },
    );
    const r503 = await get(s, '/v2/api-keys');
    expect(r503.status).toBe(503);
    expect(await r503.text()).toBe('{"error":{"code":"service_unavailable","message":"simulated 503"}}');
    const r429 = await get(s, '/v2/api-keys');
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('7');
    const r502 = await get(s, '/v2/api-keys');
    expect(r502.status).toBe(502);
    expect(r502.headers.get('content-type')).toBe('text/html');
    expect(await r502.text()).toBe('<html>bad gateway</html>');
    expect((await get(s, '/v2/api-keys')).status).toBe(200);
    expect(s.requests.map((r) => r.fault)).toEqual(['status', 'status', 'status', undefined]);
  });

  it.each([
    ['error_object', 401, 'expired_api_key', '{"error":{"code":"expired_api_key","message":"key expired"}}'],
    ['error_string', 401, 'invalid_api_key', '{"error":"key expired"}'],
    ['message', 401, 'invalid_api_key', '{"message":"key expired"}'],
    ['error_object', 403, 'insufficient_scope', '{"error":{"code":"insufficient_scope","message":"key expired"}}'],
    ['error_string', 403, 'workspace_disabled', '{"error":"key expired"}'],
    ['message', 403, 'insufficient_scope', '{"message":"key expired"}'],
  ] as const)('status %s %i: serves errorBody verbatim', async (form, status, code, expected) => {
    expect(errorBody(form, code, 'key expired')).toBe(expected);
    const s = await start({ keys });
    s.inject({ kind: 'status', status, body: errorBody(form, code, 'key expired') });
    const res = await get(s, '/v2/api-keys');
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(expected);
  });

  it('consumes faults first in, first out, repeating one `times` times', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'status', status: 500, times: 2 }, { kind: 'status', status: 504 });
    expect(s.pendingFaults()).toBe(3);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await get(s, '/v2/api-keys')).status);
    expect(codes).toEqual([500, 500, 504, 200]);
    expect(s.pendingFaults()).toBe(0);
  });

  it('is consumed only by authorised /v2/api-keys requests', async () => {
    const s = await start({ keys: [makeKey({ project_scope: { kind: 'single', project_id: 'p' } })] });
    s.inject({ kind: 'status', status: 500 });
    expect((await get(s, '/v2/api-keys', { token: 'bad' })).status).toBe(401);
    expect((await get(s, '/v2/projects')).status).toBe(200);
    expect((await get(s, '/elsewhere')).status).toBe(404);
    expect((await get(s, '/v2/api-keys')).status).toBe(500);
  });

  it('refuses a fault that would script nothing', async () => {
    const s = await start({ keys });
    expect(() => s.inject({ kind: 'hang', times: 0 })).toThrow(RangeError);
    expect(() => s.inject({ kind: 'status', status: 42 })).toThrow(RangeError);
    expect(() => s.inject({ kind: 'slow', ms: -5 })).toThrow(RangeError);
    s.inject({ kind: 'hang' });
    s.clearFaults();
    expect(s.pendingFaults()).toBe(0);
  });

  it('hang: accepts the request and never answers; the next request is normal', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'hang' });
    await expect(get(s, '/v2/api-keys', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(s.requests[0]).toMatchObject({ status: 0, fault: 'hang', authorized: true });
    expect((await get(s, '/v2/api-keys')).status).toBe(200);
  });

  it('reset: sends 200 headers and half the body, then drops the connection', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'reset' });
    const res = await get(s, '/v2/api-keys');
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await get(s, '/v2/api-keys')).status).toBe(200);
  });

  it('invalid_json: 200 with a body that does not parse', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'invalid_json' });
    const res = await get(s, '/v2/api-keys');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it('wrong_shape: 200 with valid JSON that is not a list, {"items":5} by default', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'wrong_shape' }, { kind: 'wrong_shape', body: 'hello' });
    expect(await (await get(s, '/v2/api-keys')).text()).toBe('{"items":5}');
    expect(await (await get(s, '/v2/api-keys')).text()).toBe('"hello"');
  });

  it('empty_has_more: an empty page that promises more', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'empty_has_more' });
    expect(await (await get(s, '/v2/api-keys?limit=10')).text()).toBe('{"object":"list","data":[],"has_more":true}');
  });

  it('repeat_cursor: the page after a cursor ends with the cursor again, still promising more', async () => {
    const s = await start({ keys });
    const first = await getJson<ReferenceList>(s, '/v2/api-keys?limit=10');
    const cursor = first.data.at(-1)?.api_key_id ?? '';
    s.inject({ kind: 'repeat_cursor', times: 2 });
    for (let i = 0; i < 2; i++) {
      const again = await getJson<ReferenceList>(s, `/v2/api-keys?limit=10&starting_after=${cursor}`);
      expect(again.data.map((k) => k.api_key_id)).toEqual(order.slice(0, 10));
      expect(again.data.at(-1)?.api_key_id).toBe(cursor);
      expect(again.has_more).toBe(true);
    }
    const next = await getJson<ReferenceList>(s, `/v2/api-keys?limit=10&starting_after=${cursor}`);
    expect(next.data.map((k) => k.api_key_id)).toEqual(order.slice(10, 20));
  });

  it('repeat_cursor on a first page: the normal page, but has_more even when nothing follows', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'repeat_cursor' });
    const page = await getJson<ReferenceList>(s, '/v2/api-keys?limit=200');
    expect(page.data.map((k) => k.api_key_id)).toEqual(order);
    expect(page.has_more).toBe(true);
  });

  it('duplicate_ids: the page starts with the previous page’s last item, and following cursors still reaches every key', async () => {
    const s = await start({ keys });
    const first = await getJson<ReferenceList>(s, '/v2/api-keys?limit=10');
    const cursor = first.data.at(-1)?.api_key_id ?? '';
    s.inject({ kind: 'duplicate_ids' });
    const second = await getJson<ReferenceList>(s, `/v2/api-keys?limit=10&starting_after=${cursor}`);
    expect(second.data.map((k) => k.api_key_id)).toEqual([cursor, ...order.slice(10, 19)]);
    expect(second.has_more).toBe(true);

    s.clearRequests();
    s.inject({ kind: 'duplicate_ids', times: 3 });
    const { ids } = await walk(s, 'limit=10');
    expect(new Set(ids)).toEqual(new Set(order));
    expect(ids.length).toBeGreaterThan(order.length);
  });

  it('duplicate_ids on a first page repeats the page’s own first item', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'duplicate_ids' });
    const page = await getJson<ReferenceList>(s, '/v2/api-keys?limit=5');
    expect(page.data.map((k) => k.api_key_id)).toEqual([order[0], ...order.slice(0, 4)]);
  });

  it('slow: the normal answer, ms later', async () => {
    const s = await start({ keys });
    s.inject({ kind: 'slow', ms: 200 });
    const t = performance.now();
    const page = await getJson<ReferenceList>(s, '/v2/api-keys?limit=3');
    expect(performance.now() - t).toBeGreaterThanOrEqual(190);
    expect(page.data.map((k) => k.api_key_id)).toEqual(order.slice(0, 3));
  });

  it('records: serves raw items as the page, with has_more false', async () => {
    const s = await start({ keys });
    const items = [{ name: 'no id' }, 42, null, { api_key_id: 'x', status: 'weird' }];
    s.inject({ kind: 'records', items });
    expect(await getJson<unknown>(s, '/v2/api-keys')).toEqual({ object: 'list', data: items, has_more: false });
  });

  it('records and duplicate_ids in the rc variant: a bare array, the first item twice', async () => {
    const s = await start({ keys, variant: 'rc' });
    s.inject({ kind: 'records', items: [{ id: 'a' }] }, { kind: 'duplicate_ids' });
    expect(await getJson<unknown>(s, '/v2/api-keys')).toEqual([{ id: 'a' }]);
    const dup = await getJson<BareItem[]>(s, '/v2/api-keys');
    expect(dup).toHaveLength(keys.length + 1);
    expect(dup[1]?.id).toBe(dup[0]?.id);
    expect(new Set(dup.map((k) => k.id)).size).toBe(keys.length);
  });

  it.each<Fault>([
    { kind: 'status', status: 500 },
    { kind: 'invalid_json' },
    { kind: 'wrong_shape' },
    { kind: 'empty_has_more' },
    { kind: 'records', items: [] },
    { kind: 'slow', ms: 1 },
  ])('$kind is recorded against the request it answered', async (fault) => {
    const s = await start({ keys });
    s.inject(fault);
    await (await get(s, '/v2/api-keys')).text();
    expect(s.requests[0]?.fault).toBe(fault.kind);
    expect(s.requests[0]?.status).toBe(fault.kind === 'status' ? 500 : 200);
  });
});

describe('faults per endpoint', () => {
  const ws = generateWorkspace({ count: 80, seed: 6, now: NOW });

  it('scripts /v2/budgets and /v2/projects apart from /v2/api-keys and from each other', async () => {
    const s = await start({ ...ws });
    s.injectFor('budgets', { kind: 'status', status: 429, headers: { 'retry-after': '2' } }, { kind: 'invalid_json' });
    s.injectFor('projects', { kind: 'status', status: 503, times: 2 });
    s.inject({ kind: 'status', status: 500 });
    expect([s.pendingFaults(), s.pendingFaults('api-keys'), s.pendingFaults('budgets'), s.pendingFaults('projects')]).toEqual([5, 1, 2, 2]);

    const limited = await get(s, '/v2/budgets');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    const broken = await get(s, '/v2/budgets');
    expect(broken.status).toBe(200);
    const text = await broken.text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(text.startsWith('{"object":"list","data":[')).toBe(true);
    expect((await get(s, '/v2/projects')).status).toBe(503);
    expect((await get(s, '/v2/api-keys')).status).toBe(500);
    expect((await get(s, '/v2/projects')).status).toBe(503);
    expect((await get(s, '/v2/budgets')).status).toBe(200);
    expect((await get(s, '/v2/projects')).status).toBe(200);
    expect(s.requests.map((r) => r.fault)).toEqual(['status', 'invalid_json', 'status', 'status', 'status', undefined, undefined]);
  });

  it('answers records, empty pages and hangs in each list’s own envelope', async () => {
    const s = await start({ ...ws });
    s.injectFor('budgets', { kind: 'records', items: [{ budgetId: 'b', limits: 'none' }] }, { kind: 'empty_has_more' });
    s.injectFor('projects', { kind: 'hang' });
    expect(await getJson<unknown>(s, '/v2/budgets')).toEqual({ object: 'list', data: [{ budgetId: 'b', limits: 'none' }], hasMore: false });
    expect(await getJson<unknown>(s, '/v2/budgets')).toEqual({ object: 'list', data: [], hasMore: true });
    await expect(get(s, '/v2/projects', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(s.requests.at(-1)).toMatchObject({ path: '/v2/projects', status: 0, fault: 'hang' });
  });

  it('pages budgets wrongly on request: a repeated cursor and a duplicate', async () => {
    const s = await start({ ...ws });
    const first = await getJson<{ data: { budgetId: string }[] }>(s, '/v2/budgets?limit=5');
    const cursor = first.data.at(-1)?.budgetId ?? '';
    s.injectFor('budgets', { kind: 'repeat_cursor' }, { kind: 'duplicate_ids' });
    const again = await getJson<{ data: { budgetId: string }[]; hasMore: boolean }>(s, `/v2/budgets?limit=5&starting_after=${cursor}`);
    expect(again.data.map((b) => b.budgetId)).toEqual(first.data.map((b) => b.budgetId));
    const dup = await getJson<{ data: { budgetId: string }[] }>(s, `/v2/budgets?limit=5&starting_after=${cursor}`);
    expect(dup.data[0]?.budgetId).toBe(cursor);
  });

  it('clears one endpoint’s script or all of them', async () => {
    const s = await start({ ...ws });
    s.injectFor('budgets', { kind: 'hang' });
    s.injectFor('projects', { kind: 'hang' });
    s.clearFaults('budgets');
    expect(s.pendingFaults()).toBe(1);
    s.clearFaults();
    expect(s.pendingFaults()).toBe(0);
  });

  it('ignore_limit and ignore_cursor on the sdk variant: more than asked, and the first page again', async () => {
    const keys = generateKeys({ count: 60, seed: 5, now: NOW });
    const s = await start({ keys, variant: 'sdk' });
    const order = newestFirst(keys);
    s.inject({ kind: 'ignore_limit' }, { kind: 'ignore_cursor' });
    expect((await getJson<BareItem[]>(s, '/v2/api-keys?limit=10')).map((k) => k.id)).toEqual(order);
    expect((await getJson<BareItem[]>(s, `/v2/api-keys?limit=10&starting_after=${order[9]}`)).map((k) => k.id)).toEqual(order.slice(0, 10));
  });
});

describe('close', () => {
  it('returns promptly with a hanging request pending, and the client sees the connection drop', async () => {
    const s = await start({ keys: [makeKey()] });
    s.inject({ kind: 'hang' });
    const pending = get(s, '/v2/api-keys');
    const settled = pending.then(
      () => 'resolved',
      () => 'rejected',
    );
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const t = performance.now();
    await s.close();
    expect(performance.now() - t).toBeLessThan(1_000);
    expect(await settled).toBe('rejected');
  });

  it('returns promptly with a delayed response pending, and is safe to call twice', async () => {
    const s = await start({ keys: [makeKey()], latencyMs: 30_000 });
    const settled = get(s, '/v2/api-keys').then(
      () => 'resolved',
      () => 'rejected',
    );
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const t = performance.now();
    await Promise.all([s.close(), s.close()]);
    expect(performance.now() - t).toBeLessThan(1_000);
    expect(await settled).toBe('rejected');
  });

  it('closes idle keep-alive connections too', async () => {
    const s = await start({ keys: [makeKey()] });
    await (await get(s, '/v2/api-keys')).text();
    const t = performance.now();
    await s.close();
    expect(performance.now() - t).toBeLessThan(1_000);
    await expect(get(s, '/v2/api-keys')).rejects.toThrow();
  });
});
