/**
 * What the render cache and the assembled gzip body promise, at a realistic size: every scrape
 * of a second shares one render whatever its encoding, the gzip body is one member that
 * decodes to the plain body, and what a second renders does not depend on which scrape came
 * first. Behaviour only; how fast it is lives in the benchmark (npm run bench).
 */
import type { AddressInfo } from 'node:net';
import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes } from '../../src/exposition/body.js';
import { Exposition, type Encoding } from '../../src/exposition/exposition.js';
import { createHealthMetrics } from '../../src/exposition/health.js';
import { createApp } from '../../src/http/app.js';
import { silentLogger } from '../../src/log.js';
import type { ApiKey } from '../../src/orq/api-key.js';
import { scrape } from '../support/scrape.js';
import { parseApiKey } from '../../src/orq/wire/api-key.js';
import type { Snapshot } from '../../src/snapshot.js';
import { generateKeys, toReference } from '../../src/simulator/index.js';
import { apiKey } from '../support/keys.js';

const NOW_MS = Date.UTC(2026, 10, 27, 12, 0, 0);

function workspaceOf(count: number): ApiKey[] {
  return generateKeys({ count, seed: 11, now: NOW_MS }).map((k) => {
    const record = parseApiKey(JSON.parse(JSON.stringify(toReference(k))));
    if (!record.ok) throw new Error(`generated key not parsed: ${record.reason}`);
    return record.key;
  });
}

function exposition(snapshot: Snapshot, now: () => number, registry = new Registry()): Exposition {
  return new Exposition({ snapshots: () => [snapshot], registry, now });
}

describe('render cache over HTTP', () => {
  const snapshot: Snapshot = { workspace: 'acme', version: 1, fetchedAt: NOW_MS / 1000 - 30, keys: workspaceOf(2_000) };
  let clock = NOW_MS + 250;
  let expo: Exposition;
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    const registry = new Registry();
    createHealthMetrics({ registry, workspaces: ['acme'], refreshIntervalSeconds: 60, build: { version: 't', revision: 't' }, processMetrics: false });
    expo = exposition(snapshot, () => clock, registry);
    const app = createApp({ metricsBody: (e) => expo.body(e), workspaces: () => [], version: 't', logger: silentLogger });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const scrapeAs = async (encoding: Encoding): Promise<Buffer> => {
    // A connection per scrape (test/support/scrape.ts says why), decoded as fetch() would.
    const res = await scrape(url, { 'accept-encoding': encoding === 'gzip' ? 'gzip' : 'identity' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding'] ?? 'identity').toBe(encoding);
    return Buffer.from(res.text, 'utf8');
  };

  it('renders once for 50 concurrent scrapes of one second, plain and gzip alike', async () => {
    const before = expo.renders;
    // fetch() decodes gzip itself: every body read here is text.
    const bodies = await Promise.all(Array.from({ length: 50 }, (_, i) => scrapeAs(i % 2 === 0 ? 'identity' : 'gzip')));
    expect(expo.renders - before).toBe(1);
    expect(new Set(bodies.map((b) => b.toString('utf8'))).size).toBe(1);
  });

  it('renders again in the next second, once', async () => {
    const before = expo.renders;
    clock += 1000;
    await Promise.all(Array.from({ length: 10 }, () => scrapeAs('gzip')));
    expect(expo.renders - before).toBe(1);
  });
});

describe('gzip body', () => {
  it('is one gzip member that decodes to the plain body, at 10,000 keys', async () => {
    const snapshot: Snapshot = { workspace: 'acme', version: 1, fetchedAt: NOW_MS / 1000 - 30, keys: workspaceOf(10_000) };
    const e = exposition(snapshot, () => NOW_MS + 400);
    const plain = bodyBytes(await e.body('identity'));
    const gzip = bodyBytes(await e.body('gzip'));
    expect(e.renders).toBe(1);
    expect(plain.length).toBeGreaterThan(5_000_000);
    expect(gunzipSync(gzip).equals(plain)).toBe(true);
    // One member: the deflate stream between the 10-byte header and the 8-byte trailer is the
    // whole text, and the trailer's CRC and length are those of the whole text.
    expect(inflateRawSync(gzip.subarray(10, gzip.length - 8)).equals(plain)).toBe(true);
    expect(gzip.readUInt32LE(gzip.length - 8)).toBe(crc32(plain));
    expect(gzip.readUInt32LE(gzip.length - 4)).toBe(plain.length % 2 ** 32);
    expect(plain.length / gzip.length).toBeGreaterThan(5);
  });
});

describe('what a second renders', () => {
  const NOW = NOW_MS / 1000;
  const keys = [
    apiKey({ id: 'soon', expiresAt: NOW + 1, lastUsedAt: NOW - 90 }),
    apiKey({ id: 'later', expiresAt: NOW + 86_400 * 1.5 }),
    apiKey({ id: 'gone', expiresAt: NOW - 10 }),
  ];
  const snapshot: Snapshot = { workspace: 'acme', version: 1, fetchedAt: NOW - 5, keys };
  const series = (text: string, name: string): string[] => text.split('\n').filter((l) => l.startsWith(`${name}{`));

  it('is computed at the start of the second, whichever millisecond the first scrape came at', async () => {
    const early = await exposition(snapshot, () => NOW_MS + 1).text();
    const late = await exposition(snapshot, () => NOW_MS + 999).text();
    expect(late).toBe(early);
    expect(series(early, 'orq_api_key_seconds_since_last_use')).toEqual(['orq_api_key_seconds_since_last_use{workspace="acme",api_key_id="soon"} 90']);
    expect(series(early, 'orq_api_key_days_to_expiry')[1]).toBe('orq_api_key_days_to_expiry{workspace="acme",api_key_id="later"} 1.5');
  });

  it('flips orq_api_key_expired in the second a key expires, and not before', async () => {
    let now = NOW_MS;
    const e = exposition(snapshot, () => now);
    const expired = async (): Promise<string[]> => series(await e.text(), 'orq_api_key_expired');
    expect(await expired()).toEqual([
      'orq_api_key_expired{workspace="acme",api_key_id="soon"} 0',
      'orq_api_key_expired{workspace="acme",api_key_id="later"} 0',
      'orq_api_key_expired{workspace="acme",api_key_id="gone"} 1',
    ]);
    now += 1000;
    expect((await expired())[0]).toBe('orq_api_key_expired{workspace="acme",api_key_id="soon"} 1');
    // The clock going back (a corrected wall clock) un-expires it again.
    now -= 2000;
    expect((await expired())[0]).toBe('orq_api_key_expired{workspace="acme",api_key_id="soon"} 0');
    expect(e.renders).toBe(3);
  });

  it('shares the second between encodings: a gzip scrape after a plain one does not render', async () => {
    const e = exposition(snapshot, () => NOW_MS + 500);
    const plain = bodyBytes(await e.body('identity'));
    const gzip = bodyBytes(await e.body('gzip'));
    expect(e.renders).toBe(1);
    expect(gunzipSync(gzip).equals(plain)).toBe(true);
  });
});
