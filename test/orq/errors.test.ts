/**
 * The fixed set of refresh error reasons and the two helpers that pick one and quote upstream.
 * The three error-body forms and 401/403/429/5xx are exercised end to end, per wire variant,
 * in hardening/faults.test.ts; here is the rest: the README's promise for every status,
 * and the message helper's fallbacks and bounds.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFRESH_ERROR_REASONS, RefreshError, reasonForStatus, upstreamMessage } from '../../src/orq/errors.js';

const README = readFileSync('README.md', 'utf8');

describe('REFRESH_ERROR_REASONS', () => {
  it('are distinct plain words, as a label value needs no escaping', () => {
    expect(new Set(REFRESH_ERROR_REASONS).size).toBe(REFRESH_ERROR_REASONS.length);
    for (const r of REFRESH_ERROR_REASONS) expect(r).toMatch(/^[a-z][a-z_]*$/);
  });

  it('are the ones the README explains, in order', () => {
    const paragraph = /`orq_exporter_refresh_errors_total\{reason\}` takes one of a fixed set[\s\S]*?`orq_exporter_skipped_records_total/.exec(README)?.[0] ?? '';
    const explained = [...paragraph.matchAll(/`([a-z_]+)` \(/g)].map((m) => m[1]);
    expect(explained).toEqual([...REFRESH_ERROR_REASONS]);
  });
});

describe('reasonForStatus', () => {
  it('is auth for 401 and 403, rate_limited for 429, server_error for 5xx, client_error for other 4xx and redirects, as the README says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), (status) => {
        const expected = status === 401 || status === 403 ? 'auth' : status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : 'client_error';
        expect(reasonForStatus(status)).toBe(expected);
      }),
      { numRuns: 500, seed: 20_260_605 },
    );
    for (const [status, reason] of [[400, 'client_error'], [404, 'client_error'], [302, 'client_error'], [500, 'server_error'], [599, 'server_error']] as const) {
      expect(reasonForStatus(status)).toBe(reason);
    }
  });
});

describe('upstreamMessage', () => {
  it.each([
    ['{"error":{"code":"expired_api_key"}}', 'expired_api_key'],
    ['{"error":{"message":"expired"}}', 'expired'],
    // Empty or non-string parts are left out, not printed as "" or 42.
    ['{"error":{"code":"","message":"expired"}}', 'expired'],
    ['{"error":{"code":42,"message":"expired"}}', 'expired'],
    // An error object with nothing to say falls back to the whole body.
    ['{"error":{}}', '{"error":{}}'],
    ['{"error":{"code":null},"message":"top"}', 'top'],
    ['{"error":null,"message":"top"}', 'top'],
    ['{"message":42}', '{"message":42}'],
    ['[1,2]', '[1,2]'],
    ['"just a string"', '"just a string"'],
    ['null', 'null'],
    ['  <html>Bad Gateway</html>\n', '<html>Bad Gateway</html>'],
    ['', ''],
  ])('%j says %j', (body, message) => {
    expect(upstreamMessage(body)).toBe(message);
  });

  it('never says more than 200 characters, whichever form the body has', () => {
    const long = 'x'.repeat(1_000);
    for (const body of [long, JSON.stringify({ error: { code: 'c', message: long } }), JSON.stringify({ error: long }), JSON.stringify({ message: long }), JSON.stringify({ other: long })]) {
      expect(upstreamMessage(body).length, body.slice(0, 30)).toBeLessThanOrEqual(200);
    }
    expect(upstreamMessage(JSON.stringify({ error: { code: 'c', message: long } }))).toBe(`c: ${long}`.slice(0, 200));
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ error: v, message: v }))), (body) => {
        expect(typeof upstreamMessage(body)).toBe('string');
      }),
      { numRuns: 1_000, seed: 20_260_605 },
    );
  });
});

describe('RefreshError', () => {
  it('is an Error named RefreshError, carrying its reason, message and status', () => {
    const e = new RefreshError('rate_limited', 'upstream rate limit (429): slow down', 429);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('RefreshError');
    expect(String(e)).toBe('RefreshError: upstream rate limit (429): slow down');
    expect([e.reason, e.status]).toEqual(['rate_limited', 429]);
    expect(new RefreshError('network', 'ECONNREFUSED').status).toBeUndefined();
  });
});
