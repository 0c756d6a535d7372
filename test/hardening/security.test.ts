/**
 * What no one should be able to read: the token never leaves for another host (redirects are
 * not followed), never shows in any output even when the upstream echoes it back, and
 * nothing upstream sends can break out of a label value or into the landing page's HTML.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OrqClient } from '../../src/orq/client.js';
import { errorBody, generateKeys, makeKey, startSimulator, type Fault } from '../../src/simulator/index.js';
import { seriesOf, startStack, TOKEN, valueOf, type Stack } from '../support/stack.js';
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
    expect(stack.simulator.requests).toHaveLength(1);
    expect(seriesOf(await stack.metrics(), 'orq_api_key_info')).toHaveLength(KEYS.length);
  });

  it('every request to the base URL carries the token, and only as a bearer header', async () => {
    stack = await startStack({ keys: generateKeys({ count: 450, seed: 2, now: NOW }) });
    const requests = stack.simulator.requests;
    expect(requests).toHaveLength(3);
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
      stack.simulator.inject(fault);
      const [outcome] = await stack.exporter.refreshAll();
      expect(outcome?.ok, JSON.stringify(fault)).toBe(false);
      errors.push(outcome?.error?.message ?? '', String(outcome?.error));
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
    expect(warnings(stack.logs)).toHaveLength(faults.length);
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
    stack.simulator.inject({ kind: 'status', status: 403, body: errorBody('message', 'x', '<script>alert("owned")</script>') });
    await stack.exporter.refreshAll();
    const landing = await page(`${stack.exporter.url}/`);
    expect(landing).not.toContain('<script>');
    expect(landing).not.toContain('<img');
    expect(landing).toContain('&#60;script&#62;alert(&#34;owned&#34;)&#60;/script&#62;');
    expect(landing).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(valueOf(await stack.metrics(), 'orq_exporter_refresh_errors_total', { reason: 'auth' })).toBe(1);
  });
});
