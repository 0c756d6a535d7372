/**
 * The whole path on loopback: the simulated orq workspace over real HTTP, the exporter's
 * client, poller and exposition, and /metrics read over real HTTP, on each of the three wire
 * variants of the key list (e2e/variants.test.ts proves a large workspace exact on each).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeys, makeKey, errorBody, WIRE_VARIANTS } from '../src/simulator/index.js';
import { seriesOf, startStack, TOKEN, valueOf, type Stack } from './support/stack.js';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

const crafted = [
  makeKey({
    api_key_id: '01KAAAAAAAAAAAAAAAAAAAAAA1',
    name: 'checkout-prod',
    owner: { kind: 'user', user_id: 'user_7' },
    project_scope: { kind: 'single', project_id: 'proj_checkout' },
    permission_mode: 2,
    token_prefix: 'orq_sk_9f2c',
    status: 1,
    created_at: iso(NOW - 200 * DAY_MS),
    expires_at: iso(NOW + 2 * DAY_MS),
    last_used_at: iso(NOW - 3_600_000),
    budget: { period: 3, amount: 250, token_limit: '1000000' },
    rate_limit_rpm: 600,
  }),
  makeKey({
    api_key_id: '01KAAAAAAAAAAAAAAAAAAAAAA2',
    name: 'old-router',
    owner: { kind: 'service_account' },
    project_scope: { kind: 'all' },
    status: 2,
    legacy_token_family: 1,
    created_at: iso(NOW - 400 * DAY_MS),
    expires_at: iso(NOW - DAY_MS),
  }),
  makeKey({ api_key_id: '01KAAAAAAAAAAAAAAAAAAAAAA3', name: 'never-used', status: 3, created_at: iso(NOW - 10 * DAY_MS) }),
];

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** Key-list requests of a refresh of `keys` on a variant (a bare array ends only at a short page). */
const keyPages = (variant: string, keys: number): number =>
  variant === 'rc' ? 1 : variant === 'sdk' ? Math.floor(keys / 200) + 1 : Math.max(1, Math.ceil(keys / 200));

describe.each(WIRE_VARIANTS)('exporter against the simulated workspace, %s variant', (variant) => {
  const keyRequests = (s: Stack) => s.simulator.requests.filter((r) => r.path === '/v2/api-keys');

  it('exports every field of every key with exact values', async () => {
    stack = await startStack({ keys: crafted, now: () => NOW, variant });
    const text = await stack.metrics();
    // In the order upstream lists them, which is the variant's own (newest first, or by name).
    expect(seriesOf(text, 'orq_api_key_info').sort()).toEqual([
      'orq_api_key_info{workspace="test",api_key_id="01KAAAAAAAAAAAAAAAAAAAAAA3",name="never-used",status="revoked",owner_type="user",owner_id="user_01HQ0000000000000000000000",project_scope="single",project_id="proj_default",permission_mode="all",legacy_token_family="none",token_prefix="orq_sk_test"} 1',
      'orq_api_key_info{workspace="test",api_key_id="01KAAAAAAAAAAAAAAAAAAAAAA1",name="checkout-prod",status="active",owner_type="user",owner_id="user_7",project_scope="single",project_id="proj_checkout",permission_mode="restricted",legacy_token_family="none",token_prefix="orq_sk_9f2c"} 1',
      'orq_api_key_info{workspace="test",api_key_id="01KAAAAAAAAAAAAAAAAAAAAAA2",name="old-router",status="disabled",owner_type="service_account",owner_id="",project_scope="all",project_id="all",permission_mode="all",legacy_token_family="router_jwt",token_prefix="orq_sk_test"} 1',
    ].sort());
    const k1 = { api_key_id: '01KAAAAAAAAAAAAAAAAAAAAAA1' };
    const k2 = { api_key_id: '01KAAAAAAAAAAAAAAAAAAAAAA2' };
    expect(valueOf(text, 'orq_api_key_days_to_expiry', k1)).toBe(2);
    expect(valueOf(text, 'orq_api_key_expired', k1)).toBe(0);
    expect(valueOf(text, 'orq_api_key_days_to_expiry', k2)).toBe(-1);
    expect(valueOf(text, 'orq_api_key_expired', k2)).toBe(1);
    expect(valueOf(text, 'orq_api_key_expiry_timestamp_seconds', k1)).toBe((NOW + 2 * DAY_MS) / 1000);
    expect(valueOf(text, 'orq_api_key_created_timestamp_seconds', k2)).toBe((NOW - 400 * DAY_MS) / 1000);
    expect(valueOf(text, 'orq_api_key_seconds_since_last_use', k1)).toBe(3600);
    expect(valueOf(text, 'orq_api_key_last_used_timestamp_seconds', k1)).toBe((NOW - 3_600_000) / 1000);
    expect(valueOf(text, 'orq_api_key_budget_amount', { ...k1, period: 'monthly' })).toBe(250);
    expect(valueOf(text, 'orq_api_key_budget_token_limit', { ...k1, period: 'monthly' })).toBe(1_000_000);
    expect(valueOf(text, 'orq_api_key_rate_limit_requests_per_minute', k1)).toBe(600);
    expect(seriesOf(text, 'orq_api_key_seconds_since_last_use')).toHaveLength(1);
    expect(seriesOf(text, 'orq_api_key_days_to_expiry')).toHaveLength(2);
    expect(seriesOf(text, 'orq_api_keys')).toEqual(
      expect.arrayContaining([
        'orq_api_keys{workspace="test",status="active",project_id="proj_checkout",owner_type="user",legacy_token_family="none"} 1',
        'orq_api_keys{workspace="test",status="disabled",project_id="all",owner_type="service_account",legacy_token_family="router_jwt"} 1',
        'orq_api_keys{workspace="test",status="revoked",project_id="proj_default",owner_type="user",legacy_token_family="none"} 1',
      ]),
    );
    expect(valueOf(text, 'orq_exporter_last_refresh_success', { workspace: 'test' })).toBe(1);
    expect(valueOf(text, 'orq_exporter_last_refresh_success_timestamp_seconds')).toBe(NOW / 1000);
    expect(valueOf(text, 'orq_exporter_api_requests_total', { endpoint: 'api_keys', code: '200' })).toBe(1);
  });

  it('walks every page with limit=200 and cursors, as many requests as the variant needs', async () => {
    const keys = generateKeys({ count: 1_050, seed: 7, now: NOW });
    stack = await startStack({ keys, variant });
    const requests = keyRequests(stack);
    const pages = keyPages(variant, keys.length);
    expect(requests).toHaveLength(pages);
    expect(requests.every((r) => r.query['limit'] === '200' && r.authorized)).toBe(true);
    expect(requests[0]?.query['starting_after']).toBeUndefined();
    expect(new Set(requests.slice(1).map((r) => r.query['starting_after'])).size).toBe(pages - 1);
    const text = await stack.metrics();
    const ids = seriesOf(text, 'orq_api_key_info').map((l) => /api_key_id="([^"]+)"/.exec(l)?.[1]);
    expect(new Set(ids)).toEqual(new Set(keys.map((k) => k.api_key_id)));
    const counted = seriesOf(text, 'orq_api_keys').reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(counted).toBe(1_050);
  });

  it('retries 5xx and 429, honouring Retry-After, and counts every response', async () => {
    stack = await startStack({ keys: crafted, variant });
    stack.simulator.inject(
      { kind: 'status', status: 503, times: 2 },
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
    );
    const started = Date.now();
    const [outcome] = await stack.exporter.refreshAll();
    expect(outcome?.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const text = await stack.metrics();
    const keysAnswered = (code: string) => valueOf(text, 'orq_exporter_api_requests_total', { endpoint: 'api_keys', code });
    expect(keysAnswered('503')).toBe(2);
    expect(keysAnswered('429')).toBe(1);
    expect(keysAnswered('200')).toBe(2);
    expect(valueOf(text, 'orq_exporter_last_refresh_success')).toBe(1);
  });

  it('never retries 401 and reports the upstream message at once', async () => {
    stack = await startStack({ keys: crafted, variant });
    stack.simulator.clearRequests();
    stack.simulator.inject({ kind: 'status', status: 401, body: errorBody('error_object', 'expired_api_key', 'The API key has expired') });
    const [outcome] = await stack.exporter.refreshAll();
    expect(outcome?.ok).toBe(false);
    expect(outcome?.error?.reason).toBe('auth');
    expect(keyRequests(stack)).toHaveLength(1);
    const warning = stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['level'] === 'warn');
    expect(warning).toMatchObject({ msg: 'refresh failed; serving the last good snapshot', reason: 'auth' });
    expect(String(warning?.['error'])).toContain('expired_api_key: The API key has expired');
    const text = await stack.metrics();
    expect(valueOf(text, 'orq_exporter_refresh_errors_total', { reason: 'auth' })).toBe(1);
    expect(valueOf(text, 'orq_exporter_api_requests_total', { endpoint: 'api_keys', code: '401' })).toBe(1);
  });

  it('keeps serving the last good snapshot when a refresh fails', async () => {
    stack = await startStack({ keys: crafted, variant });
    const before = seriesOf(await stack.metrics(), 'orq_api_key_info');
    stack.simulator.setKeys([]);
    stack.simulator.inject({ kind: 'invalid_json', times: 10 });
    const [outcome] = await stack.exporter.refreshAll();
    expect(outcome?.error?.reason).toBe('invalid_response');
    const text = await stack.metrics();
    expect(seriesOf(text, 'orq_api_key_info')).toEqual(before);
    expect(valueOf(text, 'orq_exporter_last_refresh_success')).toBe(0);
    expect(valueOf(text, 'orq_exporter_refresh_errors_total', { reason: 'invalid_response' })).toBe(1);
    expect(stack.logs.filter((l) => l.includes('"level":"warn"'))).toHaveLength(1);
  });

  it('drops a key deleted upstream at the next refresh', async () => {
    stack = await startStack({ keys: crafted, variant });
    expect(seriesOf(await stack.metrics(), 'orq_api_key_info')).toHaveLength(3);
    stack.simulator.setKeys(crafted.slice(1));
    await stack.exporter.refreshAll();
    const text = await stack.metrics();
    expect(seriesOf(text, 'orq_api_key_info')).toHaveLength(2);
    expect(text).not.toContain('01KAAAAAAAAAAAAAAAAAAAAAA1');
  });

  it('asks only for the configured project', async () => {
    const keys = generateKeys({ count: 400, seed: 3, now: NOW });
    const project = keys.find((k) => k.project_scope.kind === 'single')!.project_scope;
    const projectId = project.kind === 'single' ? project.project_id : '';
    stack = await startStack({ keys, env: { ORQ_PROJECT_ID: projectId }, variant });
    expect(keyRequests(stack).every((r) => r.query['project_id'] === projectId)).toBe(true);
    const expected = keys.filter((k) => k.project_scope.kind === 'single' && k.project_scope.project_id === projectId).length;
    expect(seriesOf(await stack.metrics(), 'orq_api_key_info')).toHaveLength(expected);
  });

  it('is not ready until the first successful refresh', async () => {
    stack = await startStack({ keys: crafted, env: { REQUEST_RETRIES: '0' }, variant });
    // A fresh exporter whose first refresh fails:
    const failing = await startStack({ keys: crafted, env: { REQUEST_RETRIES: '0', ORQ_API_KEY: 'wrong-token-0000000000000' }, variant });
    try {
      expect((await fetch(`${failing.exporter.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${failing.exporter.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${stack.exporter.url}/readyz`)).status).toBe(200);
    } finally {
      await failing.stop();
    }
  });

  it('never shows the token in logs, metrics, the landing page or errors', async () => {
    stack = await startStack({ keys: crafted, variant });
    // An upstream that echoes the token back in its error must not leak it either: on the key
    // list (twice: a 403 is first taken as include_budget's), the budgets and the projects.
    const echo = { kind: 'status' as const, status: 403, body: errorBody('message', 'insufficient_scope', `key ${TOKEN} lacks scope`) };
    stack.simulator.inject({ ...echo, times: 2 });
    stack.simulator.injectFor('budgets', echo);
    stack.simulator.injectFor('projects', { ...echo, status: 500 });
    const [outcome] = await stack.exporter.refreshAll();
    expect(outcome?.ok).toBe(false);
    const pages = await Promise.all(['/metrics', '/', '/readyz', '/healthz'].map(async (p) => (await fetch(`${stack!.exporter.url}${p}`)).text()));
    const everything = [...stack.logs, ...pages].join('\n');
    expect(stack.logs.length).toBeGreaterThan(2);
    expect(everything).toContain('[REDACTED]');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(4, 20));
  });
});
