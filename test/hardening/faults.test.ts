/**
 * Every upstream fault, injected through the simulated workspace over real HTTP (or a relay,
 * a closed port, a name that does not resolve, a certificate nobody trusts), on each of the
 * three wire variants of the key list. For each: the exporter does not crash, keeps serving the
 * last good snapshot, says why in exactly one warn line about the key list (budgets and
 * projects, which fail too when the whole upstream does, at most one line each) and in
 * orq_exporter_refresh_errors_total{reason}, and recovers at the next refresh once the fault is
 * gone, with no restart. Faults about pages are run on the variants that have pages.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RefreshErrorReason } from '../../src/orq/errors.js';
import type { RefreshOutcome } from '../../src/workspace/refresh.js';
import { errorBody, generateKeys, startSimulator, WIRE_VARIANTS, type ErrorBodyForm, type Fault, type SimKey, type Simulator, type WireVariant } from '../../src/simulator/index.js';
import { seriesOf, startStack, TOKEN, valueOf, type Stack } from '../support/stack.js';
import { makeCerts, type TestCerts } from './support/certs.js';
import { startExporterOn, warnings, type ExporterRun } from './support/exporter.js';
import { startFront, startRelay } from './support/servers.js';

const NOW = Date.now();
/** Two pages, so a fault can also land in the middle of a walk. */
const KEYS = generateKeys({ count: 250, seed: 41, now: NOW });
/** What upstream holds after the fault: a partial or new list published by mistake would show. */
const NEXT_KEYS = KEYS.slice(0, 237);
const RETRIES = 1;
const FAST = { REQUEST_RETRIES: String(RETRIES) };

/** What a test needs of a running exporter, whichever way it was started. */
type Run = Pick<ExporterRun, 'exporter' | 'logs' | 'metrics'>;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of cleanup.splice(0).reverse()) await stop();
});

const infoSeries = async (run: Run): Promise<string[]> => seriesOf(await run.metrics(), 'orq_api_key_info');

/** Requests for the key list a refresh of `keys` makes on a variant: the envelope says when to stop, a bare array only by a short page. */
function keyPages(variant: WireVariant, keys: number): number {
  if (variant === 'rc') return 1;
  return variant === 'sdk' ? Math.floor(keys / 200) + 1 : Math.max(1, Math.ceil(keys / 200));
}

/** The key-list requests the simulator saw, in order (budgets and projects have their own). */
const keyRequests = (s: Stack) => s.simulator.requests.filter((r) => r.path === '/v2/api-keys');
const codes = (s: Stack): number[] => keyRequests(s).map((r) => r.status);

interface FailureExpectation {
  readonly reason: RefreshErrorReason;
  /** Text the warn line's `error` field must contain: the why. */
  readonly says: string | RegExp;
}

const KEYS_FAILED = 'refresh failed; serving the last good snapshot';

/**
 * One refresh under the fault: it fails for `reason`, the old snapshot is still what
 * /metrics shows, the health series say so, and exactly one warn line about the key list
 * explains it (plus at most one about each optional source, when the fault hits them too).
 */
async function expectFailedRefresh(run: Run, expected: FailureExpectation): Promise<RefreshOutcome> {
  const before = await run.metrics();
  const errorsBefore = valueOf(before, 'orq_exporter_refresh_errors_total', { reason: expected.reason }) ?? 0;
  const warnsBefore = warnings(run.logs).length;

  const [outcome] = await run.exporter.refreshAll();
  expect(outcome?.ok).toBe(false);
  expect(outcome?.error?.reason).toBe(expected.reason);

  const after = await run.metrics();
  expect(seriesOf(after, 'orq_api_key_info')).toEqual(seriesOf(before, 'orq_api_key_info'));
  expect(valueOf(after, 'orq_exporter_last_refresh_success', { workspace: 'test' })).toBe(0);
  expect(valueOf(after, 'orq_exporter_refresh_errors_total', { reason: expected.reason })).toBe(errorsBefore + 1);
  const warns = warnings(run.logs).slice(warnsBefore);
  const keys = warns.filter((w) => w.msg === KEYS_FAILED);
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatchObject({ workspace: 'test', reason: expected.reason });
  if (typeof expected.says === 'string') expect(String(keys[0]?.['error'])).toContain(expected.says);
  else expect(String(keys[0]?.['error'])).toMatch(expected.says);
  const others = warns.filter((w) => w.msg !== KEYS_FAILED);
  expect(others.map((w) => w['source'])).toEqual([...new Set(others.map((w) => w['source']))]);
  for (const w of others) expect(w.msg).toMatch(/^(budgets|projects) could not be read/);
  return outcome!;
}

/** The fault is gone: the very next refresh succeeds and publishes what upstream holds now. */
async function expectRecovery(run: Run, keys: readonly SimKey[] = NEXT_KEYS): Promise<void> {
  const warnsBefore = warnings(run.logs).length;
  const [outcome] = await run.exporter.refreshAll();
  expect(outcome?.error?.message).toBeUndefined();
  expect(outcome?.ok).toBe(true);
  const text = await run.metrics();
  expect(valueOf(text, 'orq_exporter_last_refresh_success', { workspace: 'test' })).toBe(1);
  expect(new Set(seriesOf(text, 'orq_api_key_info').map((l) => /api_key_id="([^"]+)"/.exec(l)?.[1]))).toEqual(
    new Set(keys.map((k) => k.api_key_id)),
  );
  expect(warnings(run.logs).slice(warnsBefore)).toEqual([]);
}

describe.each(WIRE_VARIANTS)('the %s variant', (variant) => {
  const paged = variant !== 'rc';

  async function stack(env: Record<string, string> = FAST, simulator: Parameters<typeof startStack>[0]['simulator'] = {}): Promise<Stack> {
    const s = await startStack({ keys: KEYS, env, simulator: { variant, ...simulator } });
    cleanup.push(() => s.stop());
    expect(seriesOf(await s.metrics(), 'orq_api_key_info')).toHaveLength(KEYS.length);
    return s;
  }

  /** Injects faults into a fresh stack, expects the failure, then the recovery. */
  async function faultRow(faults: Fault[], expected: FailureExpectation, env: Record<string, string> = FAST): Promise<Stack> {
    const s = await stack(env);
    s.simulator.setKeys(NEXT_KEYS);
    s.simulator.clearRequests();
    s.simulator.inject(...faults);
    await expectFailedRefresh(s, expected);
    // Exactly the scripted requests were made: nothing left over to leak into the recovery.
    expect(s.simulator.pendingFaults()).toBe(0);
    await expectRecovery(s);
    return s;
  }

  const recovery = keyPages(variant, NEXT_KEYS.length);
  const ok = (n: number): number[] => Array<number>(n).fill(200);

  describe('rate limiting', () => {
    it('429 with Retry-After: waits what the server asked before each retry, then fails as rate_limited', async () => {
      const started = performance.now();
      const s = await faultRow(
        [{ kind: 'status', status: 429, headers: { 'retry-after': '1' }, times: RETRIES + 1 }],
        { reason: 'rate_limited', says: 'upstream rate limit (429): rate_limited: simulated 429' },
      );
      // One wait between the two 429s, one more before the recovery's first request.
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_950);
      const [first, second, third] = keyRequests(s);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
      expect(third!.at - second!.at).toBeGreaterThanOrEqual(990);
      expect(codes(s)).toEqual([429, 429, ...ok(recovery)]);
    });

    it('429 without Retry-After: retries with backoff, then fails as rate_limited', async () => {
      const s = await faultRow(
        [{ kind: 'status', status: 429, body: errorBody('message', 'rate_limited', 'slow down'), times: RETRIES + 1 }],
        { reason: 'rate_limited', says: 'upstream rate limit (429): slow down' },
      );
      expect(codes(s)).toEqual([429, 429, ...ok(recovery)]);
      expect(valueOf(await s.metrics(), 'orq_exporter_api_requests_total', { code: '429' })).toBe(2);
    });

    it('429 with X-RateLimit-* and no Retry-After: waits for X-RateLimit-Reset, not the short backoff', async () => {
      const headers = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' };
      const s = await faultRow(
        [{ kind: 'status', status: 429, headers, times: RETRIES + 1 }],
        { reason: 'rate_limited', says: '429' },
      );
      const [first, second] = keyRequests(s);
      // The stack's backoff is 10 ms: a retry a second later can only come from the reset header.
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
      expect(codes(s)).toEqual([429, 429, ...ok(recovery)]);
    });

    it('paces pages by X-RateLimit-Remaining/Reset so the server never has to answer 429, across refreshes too', async () => {
      // 3 requests a second and 6 pages a refresh: each refresh spends two whole windows, and
      // its last page the last request of one, so the next refresh must wait before its first.
      const keys = generateKeys({ count: 1_200, seed: 42, now: NOW });
      const s = await startStack({ keys, env: { REQUEST_RETRIES: '0' }, simulator: { variant, rateLimit: { limit: 3, windowMs: 1_000 } } });
      cleanup.push(() => s.stop());
      const [outcome] = await s.exporter.refreshAll();
      expect(outcome?.error?.message).toBeUndefined();
      // Budgets and projects share the token's limit: every request is paced, whatever it asks for.
      const requests = s.simulator.requests;
      expect(requests.map((r) => r.status)).toEqual(ok(requests.length));
      expect(keyRequests(s)).toHaveLength(2 * keyPages(variant, 1_200));
      const perWindow = new Map<number, number>();
      for (const r of requests) perWindow.set(Math.floor(r.at / 1_000), (perWindow.get(Math.floor(r.at / 1_000)) ?? 0) + 1);
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(3);
      const text = await s.metrics();
      expect(valueOf(text, 'orq_exporter_api_requests_total', { endpoint: 'api_keys', code: '200' })).toBe(2 * keyPages(variant, 1_200));
      expect(seriesOf(text, 'orq_exporter_api_requests_total').filter((l) => l.includes('code="429"'))).toEqual([]);
      expect(seriesOf(text, 'orq_api_key_info')).toHaveLength(1_200);
    });
  });

  describe('server errors', () => {
    it.each([500, 502, 503, 504])('%i: retried, then fails as server_error', async (status) => {
      const s = await faultRow(
        [{ kind: 'status', status, times: RETRIES + 1 }],
        { reason: 'server_error', says: `upstream answered ${status}` },
      );
      expect(codes(s)).toEqual([status, status, ...ok(recovery)]);
      expect(valueOf(await s.metrics(), 'orq_exporter_api_requests_total', { code: String(status) })).toBe(2);
    });

    // Not on the release candidate's list: it has no pages.
    if (paged) it('a 503 on the second page: the first page is not published on its own', async () => {
      const s = await stack();
      s.simulator.setKeys(NEXT_KEYS);
      s.simulator.clearRequests();
      s.simulator.inject({ kind: 'slow', ms: 0 }, { kind: 'status', status: 503, times: RETRIES + 1 });
      await expectFailedRefresh(s, { reason: 'server_error', says: 'upstream answered 503' });
      expect(codes(s)).toEqual([200, 503, 503]);
      await expectRecovery(s);
    });
  });

  describe('transport faults', () => {
    it('connection refused: fails as network, recovers when the server is back on its port', async () => {
      const s = await stack();
      const port = s.simulator.port;
      await s.simulator.close();
      await expectFailedRefresh(s, { reason: 'network', says: 'ECONNREFUSED' });
      expect(valueOf(await s.metrics(), 'orq_exporter_api_requests_total', { endpoint: 'api_keys', code: 'error' })).toBe(RETRIES + 1);
      const back = await startSimulator({ keys: NEXT_KEYS, token: TOKEN, port, variant });
      cleanup.push(() => back.close());
      await expectRecovery(s);
    });

    it('a connection reset in the middle of the body: retried, then fails as network', async () => {
      const s = await faultRow([{ kind: 'reset', times: RETRIES + 1 }], { reason: 'network', says: 'request failed' });
      expect(keyRequests(s).slice(0, 2).every((r) => r.fault === 'reset')).toBe(true);
    });

    it('a server that never answers: each request times out at REQUEST_TIMEOUT, fails as timeout', async () => {
      const started = performance.now();
      const s = await faultRow([{ kind: 'hang', times: RETRIES + 1 }], { reason: 'timeout', says: 'UND_ERR_HEADERS_TIMEOUT' }, {
        ...FAST,
        REQUEST_TIMEOUT: '300ms',
        REFRESH_TIMEOUT: '5s',
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(valueOf(await s.metrics(), 'orq_exporter_api_requests_total', { endpoint: 'api_keys', code: 'timeout' })).toBe(2);
    });

    it('a response whose body never ends: times out between chunks, fails as timeout', async () => {
      const simulator = await startSimulator({ keys: KEYS, token: TOKEN, variant });
      const front = await startFront(simulator.url);
      const run = await startExporterOn(front.url, { ...FAST, REQUEST_TIMEOUT: '300ms', REFRESH_TIMEOUT: '5s' });
      cleanup.push(() => simulator.close(), () => front.close(), () => run.stop());
      expect(await infoSeries(run)).toHaveLength(KEYS.length);
      simulator.setKeys(NEXT_KEYS);
      front.stallBodies = true;
      await expectFailedRefresh(run, { reason: 'timeout', says: 'UND_ERR_BODY_TIMEOUT' });
      front.stallBodies = false;
      await expectRecovery(run);
    });

    it('a refresh that outlives REFRESH_TIMEOUT is abandoned as timeout', async () => {
      const s = await faultRow(
        [{ kind: 'slow', ms: 1_500 }],
        { reason: 'timeout', says: 'refresh deadline reached' },
        { REQUEST_RETRIES: '0', REQUEST_TIMEOUT: '1s', REFRESH_TIMEOUT: '1s' },
      );
      expect(keyRequests(s)[0]?.fault).toBe('slow');
    });
  });

  describe('bad payloads', () => {
    it('invalid JSON: fails at once as invalid_response (not retried, it would be the same again)', async () => {
      const s = await faultRow([{ kind: 'invalid_json' }], { reason: 'invalid_response', says: 'response is not valid JSON' });
      expect(codes(s)).toEqual([200, ...ok(recovery)]);
    });

    it('valid JSON of the wrong shape: fails as invalid_response naming what it got', async () => {
      await faultRow([{ kind: 'wrong_shape', body: { items: [1, 2] } }], {
        reason: 'invalid_response',
        says: 'page 1: expected "data" to be an array, got nothing',
      });
    });

    // Not on the release candidate's list: it has no pages.
    if (paged) it('a page whose cursor repeats: fails as pagination instead of looping or losing keys', async () => {
      // On the envelope the cursor is seen again; on a bare array the second page is the first
      // again, which would end the list at 200 keys where the last snapshot had 250.
      const says = variant === 'reference' ? 'repeats the cursor' : 'answered a page with the page before it again';
      const s = await faultRow([{ kind: 'repeat_cursor', times: 2 }], { reason: 'pagination', says });
      expect(keyRequests(s)).toHaveLength(2 + recovery);
    });

    // Not on the release candidate's list: it has no pages.
    if (paged) it('has_more true with an empty page (on a bare array: an empty first page): refused, never published', async () => {
      const expected =
        variant === 'reference'
          ? { reason: 'pagination' as const, says: 'page 1 is empty but says has_more: true' }
          : { reason: 'invalid_response' as const, says: 'upstream listed no usable key' };
      await faultRow([{ kind: 'empty_has_more' }], expected);
    });

    it('duplicate key ids across pages: counted as skipped duplicate_id, the refresh succeeds', async () => {
      const s = await stack();
      s.simulator.setKeys(NEXT_KEYS);
      // Once per key page: twice on two pages, once on the release candidate's single answer.
      const pages = keyPages(variant, NEXT_KEYS.length);
      s.simulator.inject({ kind: 'duplicate_ids', times: pages });
      const [outcome] = await s.exporter.refreshAll();
      expect(outcome?.ok).toBe(true);
      expect(outcome?.list?.skipped.duplicate_id).toBe(pages);
      const text = await s.metrics();
      expect(valueOf(text, 'orq_exporter_skipped_records_total', { reason: 'duplicate_id' })).toBe(pages);
      expect(valueOf(text, 'orq_exporter_last_refresh_success')).toBe(1);
      const ids = seriesOf(text, 'orq_api_key_info').map((l) => /api_key_id="([^"]+)"/.exec(l)?.[1]);
      expect(ids).toHaveLength(NEXT_KEYS.length);
      expect(new Set(ids).size).toBe(NEXT_KEYS.length);
      expect(warnings(s.logs)).toEqual([]);
    });
  });

  describe('refused credentials', () => {
    const forms: ErrorBodyForm[] = ['error_object', 'error_string', 'message'];
    const cases = [401, 403].flatMap((status) => forms.map((form) => ({ status, form })));

    it.each(cases)('$status with a $form body: never retried, the upstream message in the warn line', async ({ status, form }) => {
      const code = status === 401 ? 'expired_api_key' : 'insufficient_scope';
      const message = status === 401 ? 'The API key has expired' : 'A workspace management key is required';
      const says = form === 'error_object' ? `${code}: ${message}` : message;
      // A 403 may be include_budget's rather than the token's: the key list is asked once more
      // without it (shared/orq-api.md), and only a second 403 is the token's.
      const times = status === 403 ? 2 : 1;
      const s = await faultRow([{ kind: 'status', status, body: errorBody(form, code, message), times }], { reason: 'auth', says }, {
        REQUEST_RETRIES: '3',
      });
      expect(codes(s)).toEqual([...Array<number>(times).fill(status), ...ok(recovery)]);
    });

    it('a key list that refuses include_budget (400 or 403) is asked again without it, and keys are never lost for it', async () => {
      for (const mode of ['reject_400', 'reject_403'] as const) {
        const s = await stack(FAST, { includeBudget: mode });
        const asked = keyRequests(s).map((r) => r.query['include_budget'] ?? 'no');
        expect(asked.slice(0, 2)).toEqual(['true', 'no']);
        expect(codes(s)[0]).toBe(mode === 'reject_400' ? 400 : 403);
        expect(warnings(s.logs).filter((w) => w.msg === KEYS_FAILED)).toEqual([]);
        // And not asked with it again on the next refresh.
        s.simulator.clearRequests();
        await expectRecovery(s, KEYS);
        expect(keyRequests(s).every((r) => r.query['include_budget'] === undefined)).toBe(true);
      }
    });
  });

  describe('names and certificates', () => {
    let certs: TestCerts;
    let simulator: Simulator;
    beforeAll(async () => {
      certs = makeCerts();
      simulator = await startSimulator({ keys: KEYS, token: TOKEN, variant });
    });
    afterAll(async () => {
      await simulator.close();
      certs.remove();
    });
    afterEach(() => simulator.setKeys(KEYS));

    it('a base URL that does not resolve: fails as network (ENOTFOUND), not a crash', async () => {
      const run = await startExporterOn('http://orq.invalid', FAST);
      cleanup.push(() => run.stop());
      const text = await run.metrics();
      expect(valueOf(text, 'orq_exporter_refresh_errors_total', { reason: 'network' })).toBe(1);
      expect(seriesOf(text, 'orq_api_key_info')).toEqual([]);
      const failed = warnings(run.logs).filter((w) => w.msg === KEYS_FAILED);
      expect(failed).toHaveLength(1);
      expect(String(failed[0]?.['error'])).toContain('ENOTFOUND');
      expect((await fetch(`${run.exporter.url}/readyz`)).status).toBe(503);
    });

    it('a name that stops resolving: last snapshot kept, and the next lookup that works recovers', async () => {
      // The name really is looked up by the system resolver while the fault lasts; otherwise it
      // is pointed at a relay to the simulator, so the same exporter sees both.
      let resolving = true;
      const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
        if (!resolving) return dnsLookup(hostname, options, callback as never);
        const address: LookupAddress = { address: '127.0.0.1', family: 4 };
        return options.all ? callback(null, [address]) : callback(null, address.address, address.family);
      }) as unknown as LookupFunction;
      const relay = await startRelay(simulator.port);
      const run = await startExporterOn(`http://orq.invalid:${relay.port}`, FAST, { upstreamConnect: { lookup } });
      cleanup.push(() => relay.close(), () => run.stop());
      expect(await infoSeries(run)).toHaveLength(KEYS.length);

      simulator.setKeys(NEXT_KEYS);
      resolving = false;
      await relay.dropConnections();
      await expectFailedRefresh(run, { reason: 'network', says: 'ENOTFOUND' });
      resolving = true;
      await expectRecovery(run);
    });

    it('an https base URL whose self-signed certificate nobody trusts: fails as network, not a crash', async () => {
      const relay = await startRelay(simulator.port, { cert: certs.selfSigned.cert, key: certs.selfSigned.key });
      const run = await startExporterOn(`https://127.0.0.1:${relay.port}`, FAST);
      cleanup.push(() => relay.close(), () => run.stop());
      const text = await run.metrics();
      expect(valueOf(text, 'orq_exporter_refresh_errors_total', { reason: 'network' })).toBe(1);
      const failed = warnings(run.logs).filter((w) => w.msg === KEYS_FAILED);
      expect(failed).toHaveLength(1);
      expect(String(failed[0]?.['error'])).toMatch(/SELF_SIGNED|self[- ]signed/i);
      expect(seriesOf(text, 'orq_api_key_info')).toEqual([]);
    });

    it('a certificate swapped for an untrusted one: last snapshot kept, recovers when the trusted one is back', async () => {
      const trusted = { cert: certs.server.cert, key: certs.server.key };
      const relay = await startRelay(simulator.port, trusted);
      const run = await startExporterOn(`https://127.0.0.1:${relay.port}`, FAST, { upstreamConnect: { ca: certs.ca.cert } });
      cleanup.push(() => relay.close(), () => run.stop());
      expect(await infoSeries(run)).toHaveLength(KEYS.length);

      simulator.setKeys(NEXT_KEYS);
      relay.setSecureContext({ cert: certs.selfSigned.cert, key: certs.selfSigned.key });
      await relay.dropConnections();
      await expectFailedRefresh(run, { reason: 'network', says: /SELF_SIGNED|self[- ]signed/i });
      relay.setSecureContext(trusted);
      await expectRecovery(run);
    });
  });

  describe('a fault while stopping', () => {
    it('stopping during a hung refresh ends promptly and logs no crash', async () => {
      const s = await stack({ ...FAST, REQUEST_TIMEOUT: '10s', REFRESH_TIMEOUT: '20s' });
      s.simulator.inject({ kind: 'hang', times: 5 });
      const pending = s.exporter.refreshAll();
      // Until the request is hanging upstream (a fixed 100 ms could end before it got there on a
      // busy machine, and the test would stop an exporter that was not yet stuck).
      while (s.simulator.pendingFaults() === 5) await new Promise((r) => setTimeout(r, 5));
      const started = performance.now();
      await s.exporter.stop();
      expect(performance.now() - started).toBeLessThan(2_000);
      const [outcome] = await pending;
      expect(outcome?.ok).toBe(false);
      expect(s.logs.some((l) => l.includes('"level":"error"'))).toBe(false);
      // The shared stop() would stop it again: only the simulator is left to close.
      cleanup.pop();
      cleanup.push(() => s.simulator.close());
    });
  });
});
