/**
 * What no one should be able to read: the token never leaves for another host (redirects are
 * not followed), never shows in any output even when the upstream echoes it back, nothing
 * upstream sends can break out of a label value or into the landing page's HTML, and the
 * exporter's own endpoints stay behind the web config's TLS and basic auth, and open to the
 * scraper that knows the password even while others guess.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { Agent, Client, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OrqClient } from '../../src/orq/client.js';
import { errorBody, generateKeys, makeKey, startSimulator, type Fault } from '../../src/simulator/index.js';
import { seriesOf, startStack, TOKEN, valueOf, type Stack } from '../support/stack.js';
import { makeCerts, type TestCerts } from './support/certs.js';
import { formatProblems, promtoolCheck } from './support/exposition-format.js';
import { warnings } from './support/exporter.js';
import { startRecorder } from './support/servers.js';

const NOW = Date.now();
const KEYS = generateKeys({ count: 30, seed: 9, now: NOW });

let stack: Stack | undefined;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  for (const stop of cleanup.splice(0)) await stop();
});

/** Every run of 8 characters of the token: a partial leak is still a leak. */
function tokenPieces(token: string, size = 8): string[] {
  return Array.from({ length: token.length - size + 1 }, (_, i) => token.slice(i, i + size));
}

async function page(url: string): Promise<string> {
  return (await fetch(url)).text();
}

describe('the token goes only to the configured base URL', () => {
  it.each([301, 302, 303, 307, 308])('a %i to another server is not followed: the token never reaches it', async (status) => {
    const elsewhere = await startRecorder();
    cleanup.push(() => elsewhere.close());
    stack = await startStack({ keys: KEYS, env: { REQUEST_RETRIES: '2' } });
    stack.simulator.clearRequests();
    stack.simulator.inject({ kind: 'status', status, headers: { location: `${elsewhere.url}/v2/api-keys?limit=200` } });
    const [outcome] = await stack.exporter.refreshAll();
    expect(outcome?.ok).toBe(false);
    expect(outcome?.error?.reason).toBe('client_error');
    expect(outcome?.error?.message).toContain(`unexpected redirect (${status})`);
    expect(elsewhere.requests).toEqual([]);
    // Not retried either: a redirect will not go away by asking again.
    expect(stack.simulator.requests.filter((r) => r.path === '/v2/api-keys')).toHaveLength(1);
    expect(seriesOf(await stack.metrics(), 'orq_api_key_info')).toHaveLength(KEYS.length);
  });

  it('every request to the base URL carries the token, and only as a bearer header', async () => {
    stack = await startStack({ keys: generateKeys({ count: 450, seed: 2, now: NOW }) });
    const requests = stack.simulator.requests;
    // Every endpoint the exporter reads: three pages of keys, the budgets' pages, the projects.
    expect(new Set(requests.map((r) => r.path))).toEqual(new Set(['/v2/api-keys', '/v2/budgets', '/v2/projects']));
    expect(requests.filter((r) => r.path === '/v2/api-keys')).toHaveLength(3);
    expect(requests.every((r) => r.authorized)).toBe(true);
    expect(requests.every((r) => !Object.values(r.query).some((v) => v.includes(TOKEN)) && !r.path.includes(TOKEN))).toBe(true);
  });
});

describe('the token never shows in any output', () => {
  it('not in logs, /metrics, /, /readyz, /healthz or error messages, whatever the upstream echoes', async () => {
    stack = await startStack({ keys: KEYS, env: { REQUEST_RETRIES: '0' } });
    const echo = `Bearer ${TOKEN}`;
    const escaped = [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const faults: Fault[] = [
      { kind: 'status', status: 401, body: errorBody('error_object', 'invalid_api_key', `${echo} is not valid`) },
      { kind: 'status', status: 403, body: errorBody('error_string', 'x', `token ${TOKEN} lacks scope`) },
      // Cut by the 200-character limit on upstream messages in the middle of the token.
      { kind: 'status', status: 500, body: errorBody('message', 'x', `${'x'.repeat(190)}${TOKEN}`) },
      { kind: 'status', status: 502, body: `<html>${'y'.repeat(195)}${echo}</html>` },
      // Not JSON: V8 quotes a stretch of the body in its error, cut anywhere.
      { kind: 'status', status: 200, body: `{"data": ${TOKEN}}` },
      { kind: 'status', status: 200, body: `{"dat${TOKEN}` },
      { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: echo },
      { kind: 'wrong_shape', body: { error: echo } },
    ];
    const errors: string[] = [];
    for (const fault of faults) {
      // A 403 on the key list is asked again without include_budget: it must echo twice.
      if (fault.kind === 'status' && fault.status === 403) stack.simulator.inject(fault, fault);
      else stack.simulator.inject(fault);
      const [outcome] = await stack.exporter.refreshAll();
      expect(outcome?.ok, JSON.stringify(fault)).toBe(false);
      errors.push(outcome?.error?.message ?? '', String(outcome?.error));
    }
    // The budgets endpoint echoing it: the keys stay exported, the budgets source is down.
    const budgetFaults: Fault[] = [
      { kind: 'status', status: 403, body: errorBody('error_object', 'forbidden', `${echo} lacks budgets:read`) },
      { kind: 'status', status: 500, body: `<pre>${echo}</pre>` },
    ];
    for (const fault of budgetFaults) {
      stack.simulator.injectFor('budgets', fault);
      const [outcome] = await stack.exporter.refreshAll();
      expect(outcome?.ok, JSON.stringify(fault)).toBe(true);
      expect(valueOf(await stack.metrics(), 'orq_exporter_source_up', { source: 'budgets' })).toBe(0);
    }
    // Key data that carries the token, plainly and with every character \u-escaped.
    stack.simulator.inject({
      kind: 'records',
      items: [
        { api_key_id: 'k-plain', name: `leak ${TOKEN}`, token_prefix: TOKEN.slice(0, 30) + TOKEN.slice(30) },
        { api_key_id: 'k-owner', name: 'ok', owner: { user: { user_id: TOKEN } } },
      ],
    });
    const [ok] = await stack.exporter.refreshAll();
    expect(ok?.ok).toBe(true);
    stack.simulator.inject({ kind: 'status', status: 200, body: `{"object":"list","data":[{"api_key_id":"k-esc","name":"${escaped}"}],"has_more":false}` });
    const [okEscaped] = await stack.exporter.refreshAll();
    expect(okEscaped?.ok).toBe(true);
    const metricsAfterEscaped = await stack.metrics();
    expect(seriesOf(metricsAfterEscaped, 'orq_api_key_info').join('\n')).toContain('api_key_id="k-esc",name="[REDACTED]"');

    const base = stack.exporter.url;
    const outputs = [
      ...stack.logs,
      ...errors,
      metricsAfterEscaped,
      await page(`${base}/metrics`),
      await page(`${base}/`),
      await page(`${base}/readyz`),
      await page(`${base}/healthz`),
    ].join('\n');
    expect(warnings(stack.logs)).toHaveLength(faults.length + budgetFaults.length);
    expect(outputs).toContain('[REDACTED]');
    for (const piece of tokenPieces(TOKEN)) expect(outputs).not.toContain(piece);
  });
});

describe('redaction never corrupts data', () => {
  it('a token that happens to spell part of the JSON (here "true") still reads every page', async () => {
    const keys = generateKeys({ count: 450, seed: 4, now: NOW });
    const simulator = await startSimulator({ keys, token: 'true', variant: 'reference' });
    const client = new OrqClient({ baseUrl: simulator.url, token: 'true', requestTimeoutMs: 2_000, maxRetries: 0, userAgent: 'test' });
    cleanup.push(() => client.close(), () => simulator.close());
    const list = await client.listApiKeys(AbortSignal.timeout(10_000));
    expect(list.pages).toBe(3);
    expect(list.keys).toHaveLength(450);
  });
});

describe('upstream text cannot escape its place', () => {
  const hostile = [
    '</td><script>alert(1)</script>',
    'quote " backslash \\ newline \n end',
    '} 1\n# TYPE orq_api_key_info counter\nfake_metric{a="b"} 666',
    "it's <b>&amp;</b>",
    '\u0000nul\u0007bell\r\ncrlf',
    '\ud800 lone surrogate \udfff',
  ];

  it('hostile key names, ids, owners, projects and workspace: /metrics stays valid, / stays inert', async () => {
    const keys = hostile.map((name, i) =>
      makeKey({
        api_key_id: `01KHOSTILE${i}${name}`,
        name,
        owner: { kind: 'user', user_id: name },
        project_scope: { kind: 'single', project_id: name },
        token_prefix: name,
        created_at: new Date(NOW).toISOString(),
        // Expiring and spending, so each name is a row of both lists on /.
        expires_at: new Date(NOW + (i + 1) * 86_400_000).toISOString(),
        budget: { period: 3, amount: 100, token_limit: '1000000', usage: { amount: 50 + i, tokens: 0, requests: 0 } },
      }),
    );
    stack = await startStack({ keys, env: { ORQ_WORKSPACE: '<img src=x onerror=alert(1)> "ws" \\' } });
    const text = await stack.metrics();
    expect(formatProblems(text)).toEqual([]);
    const check = await promtoolCheck(text);
    expect(check.ok, check.output).toBe(true);
    expect(text).not.toMatch(/^fake_metric/m);
    expect(seriesOf(text, 'orq_api_key_info')).toHaveLength(hostile.length);
    expect(text).toContain('name="quote \\" backslash \\\\ newline \\n end"');
    expect(text).toContain('workspace="<img src=x onerror=alert(1)> \\"ws\\" \\\\"');

    // The upstream's error message is shown on / as the last error: it must stay text.
    // Twice: a 403 on the first page is first taken for a key list refusing include_budget, and asked again without it.
    stack.simulator.inject({ kind: 'status', status: 403, body: errorBody('message', 'x', '<script>alert("owned")</script>'), times: 2 });
    await stack.exporter.refreshAll();
    const landing = await page(`${stack.exporter.url}/`);
    expect(landing).not.toContain('<script>');
    expect(landing).not.toContain('<img');
    expect(landing).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(landing).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Key names are cells of both lists, escaped.
    expect(landing.split('<tr><td>&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>')).toHaveLength(3);
    expect(landing.split('<tr><td>it&#39;s &lt;b&gt;&amp;amp;&lt;/b&gt;</td>')).toHaveLength(3);
    expect(landing).not.toContain('<b>');
    expect(valueOf(await stack.metrics(), 'orq_exporter_refresh_errors_total', { reason: 'auth' })).toBe(1);
  });
});

describe('the web config at work in the exporter', () => {
  const certs: TestCerts = makeCerts();
  afterAll(() => certs.remove());
  const aliceHash = bcrypt.hashSync('wonderland', 4);
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  const withWebConfig = (yaml: string): Promise<Stack> => {
    const path = join(certs.dir, `web-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(path, yaml);
    return startStack({ keys: KEYS, env: { WEB_CONFIG_FILE: path } });
  };

  it('TLS and basic auth: the scraper with the password reads /metrics; others get 401, plain HTTP a 400, an untrusting client nothing', async () => {
    stack = await withWebConfig(`
tls_server_config:
  cert_file: server.crt
  key_file: server.key
basic_auth_users:
  alice: ${aliceHash}
http_server_config:
  headers:
    X-Frame-Options: deny
`);
    const url = stack.exporter.url;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const agent = new Agent({ connect: { ca: certs.ca.cert } });
    cleanup.push(() => agent.close());
    const get = (path: string, headers: Record<string, string> = {}) => undiciFetch(`${url}${path}`, { dispatcher: agent, headers });
    const metrics = await get('/metrics', basic('alice', 'wonderland'));
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('x-frame-options')).toBe('deny');
    expect(await metrics.text()).toContain('orq_api_key_info{workspace="test"');
    for (const path of ['/metrics', '/', '/healthz', '/readyz', '/nope']) {
      const refused = await get(path, basic('alice', 'nope'));
      expect(refused.status, path).toBe(401);
      expect(refused.headers.get('x-frame-options')).toBe('deny');
      expect(await refused.text()).not.toContain('orq_');
    }
    const plain = await fetch(url.replace('https:', 'http:') + '/metrics', { headers: basic('alice', 'wonderland') }).then(
      (res) => res.status,
      (error: unknown) => error,
    );
    expect(plain).toBe(400);
    await expect(fetch(`${url}/metrics`, { headers: basic('alice', 'wonderland') })).rejects.toThrow();
    // Basic auth over TLS is the safe combination: no warning about passwords in the clear.
    expect(warnings(stack.logs)).toEqual([]);
  });

  it('basic auth without TLS works but warns that passwords cross in the clear', async () => {
    stack = await withWebConfig(`basic_auth_users:\n  alice: ${aliceHash}\n`);
    expect(stack.exporter.url).toMatch(/^http:/);
    expect((await fetch(`${stack.exporter.url}/healthz`)).status).toBe(401);
    expect((await fetch(`${stack.exporter.url}/healthz`, { headers: basic('alice', 'wonderland') })).status).toBe(200);
    expect(warnings(stack.logs).map((w) => w.msg)).toEqual(['basic auth is on without TLS: passwords cross the network in the clear']);
  });

  /**
   * The flood that used to starve scrapes: with bcrypt on the event loop, 300 concurrent wrong
   * passwords held a scrape with known credentials for 18.6 s (300 comparisons in a row; on
   * a machine loaded enough to make one take 250 ms, over a minute). Now the verified scraper
   * never waits for bcrypt: it only shares the event loop with the flood's requests. The
   * bounds hold on a loaded 2-core machine with the rest of the suite running beside.
   */
  const FLOOD_CONNECTIONS = 300;
  const FLOOD_SECONDS = 5;
  /** A scrape loop far busier than Prometheus's (every 15 s or more), so the flood meets many scrapes. */
  const SCRAPE_EVERY_MS = 50;
  const SCRAPE_MEDIAN_BOUND_MS = 250;
  const SCRAPE_BOUND_MS = 5_000;
  const RSS_GROWTH_BOUND_BYTES = 96 * 1024 * 1024;

  it(`a scraper with verified credentials stays fast under ${FLOOD_CONNECTIONS} connections of wrong passwords`, async () => {
    // Cost 10, as htpasswd -nBC 10 makes: the comparisons cost what they cost in production.
    stack = await withWebConfig(`basic_auth_users:\n  prometheus: ${bcrypt.hashSync('scrape-secret', 10)}\n`);
    const url = stack.exporter.url;
    const scraper = new Client(url, { keepAliveTimeout: 60_000 });
    cleanup.push(() => scraper.close());
    const scrape = async (): Promise<number> => {
      const started = performance.now();
      const res = await scraper.request({ path: '/metrics', method: 'GET', headers: { ...basic('prometheus', 'scrape-secret'), 'accept-encoding': 'gzip' } });
      await res.body.arrayBuffer();
      expect(res.statusCode).toBe(200);
      return performance.now() - started;
    };
    await scrape();
    const before = process.memoryUsage();

    const flood = spawn(process.execPath, [fileURLToPath(new URL('./support/auth-flood.mjs', import.meta.url)), `${url}/metrics`, String(FLOOD_CONNECTIONS), String(FLOOD_SECONDS), 'prometheus'], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.push(async () => {
      flood.kill();
    });
    const lines = createInterface({ input: flood.stdout });
    const output: string[] = [];
    const started = new Promise<void>((resolve) => lines.on('line', (line) => (line === 'flooding' ? resolve() : output.push(line))));
    const ended = new Promise<void>((resolve) => flood.on('exit', () => resolve()));
    await started;

    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 50);
    const latencies: number[] = [];
    let floodOver = false;
    void ended.then(() => (floodOver = true));
    while (!floodOver) {
      latencies.push(await scrape());
      await new Promise((resolve) => setTimeout(resolve, SCRAPE_EVERY_MS));
    }
    clearInterval(sampler);
    await ended;
    const result = JSON.parse(output.join('')) as { sent: number; statuses: Record<string, number>; errors: number };

    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `auth flood: ${result.sent} wrong-password requests over ${FLOOD_CONNECTIONS} connections in ${FLOOD_SECONDS} s (${JSON.stringify(result.statuses)}, ${result.errors} errors); ` +
        `${latencies.length} verified scrapes meanwhile: p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms; ` +
        `memory: RSS ${mb(before.rss)} -> peak ${mb(peakRss)} MB, heap ${mb(before.heapUsed)} -> peak ${mb(peakHeap)} MB`,
    );
    expect(latencies.length).toBeGreaterThan(5);
    expect(at(0.5)).toBeLessThan(SCRAPE_MEDIAN_BOUND_MS);
    expect(sorted[sorted.length - 1]).toBeLessThan(SCRAPE_BOUND_MS);
    // Every guess was refused: 401 once compared, 429 once the queue was full; nothing let in.
    expect(Object.keys(result.statuses).sort()).toEqual(['401', '429']);
    expect(result.statuses['429']).toBeGreaterThan(result.statuses['401']!);
    expect(peakRss - before.rss).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
    // After the flood the scraper is as welcome as before, and once the comparisons the flood
    // left queued are done (or dropped, their clients gone), a wrong password is a 401 again.
    expect(await scrape()).toBeLessThan(SCRAPE_BOUND_MS);
    let status = 429;
    const deadline = Date.now() + 30_000;
    while (status === 429 && Date.now() < deadline) status = (await fetch(`${url}/healthz`, { headers: basic('prometheus', 'nope') })).status;
    expect(status).toBe(401);
  }, 120_000);
});
