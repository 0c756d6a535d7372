/**
 * Bad data, generated: arbitrary JSON and records with hostile strings, absurd numbers,
 * impossible dates and nulls in every field, fed to the parsers, to the exposition, and over
 * real HTTP through the client. Nothing may throw, and whatever is rendered must be valid text
 * format: every case against a strict line grammar, a bounded sample against the real promtool.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Exposition } from '../../src/exposition/exposition.js';
import {
  BUDGET_PERIODS,
  KEY_STATUSES,
  LEGACY_TOKEN_FAMILIES,
  OWNER_TYPES,
  PERMISSION_MODES,
  PROJECT_SCOPES,
  SKIP_REASONS,
  type ApiKey,
} from '../../src/orq/api-key.js';
import { OrqClient } from '../../src/orq/client.js';
import { REFRESH_ERROR_REASONS, RefreshError } from '../../src/orq/errors.js';
import { parseApiKey as parseRecord } from '../../src/orq/wire/api-key.js';
import { parseListPage as parsePage } from '../../src/orq/wire/list-page.js';
import { MAX_LABEL_LENGTH } from '../../src/orq/wire/values.js';
import type { Snapshot } from '../../src/snapshot.js';
import { seriesOf, startStack, valueOf, type Stack } from '../support/stack.js';
import { formatProblems, promtoolCheck, promtoolPath } from './support/exposition-format.js';

const NOW_MS = Date.UTC(2026, 5, 1);
/** Fixed seeds: a failure reproduces; the seed is printed by fast-check when one is found. */
const SEED = 20_260_601;

// Any UTF-16 code unit, lone surrogates included: what JSON.parse can hand back from "\ud800".
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const hostileString = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('"', '\\', '\n', '\r\n', '\\n', '\u0000', '\ud800', '\udfff', '\u2028', '{', '}', '=', ',', ' 1\n', '# HELP x y', '# TYPE x counter'),
  fc.string({ unit: codeUnit, minLength: MAX_LABEL_LENGTH - 5, maxLength: MAX_LABEL_LENGTH + 50 }),
);
const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER * 1_000, -1, 0, -0, 8.64e15, 8.64e15 + 1, 1e11, -1e11, 5e-324),
);
const hostileDate = fc.oneof(
  fc.constantFrom(
    '275760-09-13T00:00:01Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '9999-99-99T99:99:99Z',
    '2026-02-30T00:00:00Z', '2026-06-01T12:00:00+25:00', '2026-06-01', 'yesterday', '', ' ', '1700000000', '1e400',
  ),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
  hostileNumber,
  fc.record({ seconds: fc.oneof(hostileNumber, hostileString), nanos: fc.oneof(hostileNumber, fc.constant(null)) }, { requiredKeys: [] }),
);
const anything = fc.oneof(hostileString, hostileNumber, hostileDate, fc.constant(null), fc.boolean(), fc.jsonValue({ maxDepth: 2 }));
/** A field that is usually the right kind of thing, sometimes anything at all. */
const field = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof({ arbitrary: arb, weight: 3 }, { arbitrary: anything, weight: 1 });
const enumValue = field(fc.oneof(fc.integer({ min: -2, max: 8 }), hostileString, fc.constantFrom('active', 'API_KEY_STATUS_REVOKED', 'read_only', '3')));

const hostileRecord = fc.record(
  {
    api_key_id: field(hostileString),
    id: field(hostileString),
    name: field(hostileString),
    status: enumValue,
    active: field(fc.boolean()),
    permission_mode: enumValue,
    legacy_token_family: enumValue,
    is_legacy: field(fc.boolean()),
    token_prefix: field(hostileString),
    owner: field(
      fc.oneof(
        fc.record({ user: field(fc.record({ user_id: field(hostileString) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
        fc.record({ service_account: field(fc.record({ service_account_id: field(hostileString) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
        fc.record({ type: enumValue, user_id: field(hostileString) }, { requiredKeys: [] }),
      ),
    ),
    project_scope: field(
      fc.oneof(
        fc.record({ all: anything }, { requiredKeys: [] }),
        fc.record({ single: field(fc.record({ project_id: field(hostileString) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
        fc.record({ mode: enumValue, project_id: field(hostileString) }, { requiredKeys: [] }),
      ),
    ),
    project_id: field(hostileString),
    constraints: field(
      fc.record(
        {
          expires_at: hostileDate,
          budget: field(fc.record({ period: enumValue, amount: field(hostileNumber), token_limit: field(fc.oneof(hostileString, hostileNumber.map(String))) }, { requiredKeys: [] })),
          rate_limit: field(fc.record({ requests_per_minute: field(hostileNumber) }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
    ),
    expires_at: hostileDate,
    expiration: hostileDate,
    created_at: hostileDate,
    created: hostileDate,
    last_used_at: hostileDate,
    budget: anything,
    rate_limit: anything,
  },
  { requiredKeys: [] },
);
const hostileItem = fc.oneof({ arbitrary: hostileRecord, weight: 4 }, { arbitrary: anything, weight: 1 });

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const KNOWN = {
  status: new Set<string>([...KEY_STATUSES, 'unknown']),
  permissionMode: new Set<string>([...PERMISSION_MODES, 'unknown']),
  legacyTokenFamily: new Set<string>([...LEGACY_TOKEN_FAMILIES, 'unknown']),
  ownerType: new Set<string>([...OWNER_TYPES, 'unknown']),
  projectScope: new Set<string>([...PROJECT_SCOPES, 'unknown']),
  period: new Set<string>([...BUDGET_PERIODS, 'unknown']),
};

/** Everything an ApiKey promises the exposition, checked field by field. */
function expectWellFormed(key: ApiKey): void {
  expect(key.id).not.toBe('');
  for (const s of [key.id, key.name, key.ownerId, key.projectId, key.tokenPrefix]) {
    expect(typeof s).toBe('string');
    expect(s.length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
    // A lone surrogate is written as U+FFFD on the wire: two ids could become one series.
    expect(s).not.toMatch(LONE_SURROGATE);
  }
  expect(KNOWN.status.has(key.status)).toBe(true);
  expect(KNOWN.permissionMode.has(key.permissionMode)).toBe(true);
  expect(KNOWN.legacyTokenFamily.has(key.legacyTokenFamily)).toBe(true);
  expect(KNOWN.ownerType.has(key.ownerType)).toBe(true);
  expect(KNOWN.projectScope.has(key.projectScope)).toBe(true);
  const numbers = [key.createdAt, key.expiresAt, key.lastUsedAt, key.rateLimitPerMinute, key.budget?.amount ?? null, key.budget?.tokenLimit ?? null];
  for (const n of numbers) if (n !== null) expect(Number.isFinite(n)).toBe(true);
  for (const t of [key.createdAt, key.expiresAt, key.lastUsedAt]) if (t !== null) expect(Number.isFinite(new Date(t * 1000).getTime())).toBe(true);
  if (key.budget !== null) {
    expect(KNOWN.period.has(key.budget.period)).toBe(true);
    expect(key.budget.amount !== null || key.budget.tokenLimit !== null).toBe(true);
  }
}

function keysOf(items: readonly unknown[]): ApiKey[] {
  const byId = new Map<string, ApiKey>();
  for (const item of items) {
    const r = parseRecord(item);
    if (r.ok && !byId.has(r.key.id)) byId.set(r.key.id, r.key);
  }
  return [...byId.values()];
}

function render(workspace: string, keys: readonly ApiKey[]): Promise<string> {
  const snapshot: Snapshot = { workspace, version: 1, fetchedAt: NOW_MS / 1000 - 30, keys };
  return new Exposition({ snapshots: () => [snapshot], registry: new Registry(), now: () => NOW_MS }).text();
}

describe('parsers never throw', () => {
  it('parsePage on any JSON value answers ok with an array, or a problem in words', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' }), fc.record({ data: fc.array(anything), has_more: anything }, { requiredKeys: [] })), (body) => {
        const page = parsePage(body);
        if (page.ok) expect(Array.isArray(page.items)).toBe(true);
        else expect(page.problem).toMatch(/^expected /);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('ids that differ only in lone surrogates are one key, as they are one series on the wire', async () => {
    const keys = keysOf([{ api_key_id: 'k\ud800' }, { api_key_id: 'k\udfff' }, { api_key_id: 'k\ud83d\ude00' }]);
    expect(keys.map((k) => k.id)).toEqual(['k\ufffd', 'k\ud83d\ude00']);
    expect(formatProblems(await render('test', keys))).toEqual([]);
  });

  it('parseRecord on anything: a well-formed key, or a skip reason from the fixed set', () => {
    fc.assert(
      fc.property(fc.oneof(hostileItem, fc.jsonValue({ stringUnit: 'binary' })), (item) => {
        const r = parseRecord(item);
        if (r.ok) expectWellFormed(r.key);
        else expect(SKIP_REASONS).toContain(r.reason);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });
});

describe('the exposition of whatever was parsed is valid text format', () => {
  const workspace = fc.oneof(fc.constant('test'), hostileString.filter((s) => s.length <= 128));

  it('every case passes the line grammar', async () => {
    await fc.assert(
      fc.asyncProperty(workspace, fc.array(hostileItem, { maxLength: 25 }), async (ws, items) => {
        const keys = keysOf(items);
        const text = await render(ws, keys);
        expect(formatProblems(text)).toEqual([]);
        expect(seriesOf(text, 'orq_api_key_info')).toHaveLength(keys.length);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a sample of 30 cases passes the real promtool check metrics', async () => {
    const promtool = promtoolPath();
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(workspace, fc.array(hostileItem, { minLength: 1, maxLength: 25 }), async (ws, items) => {
        const result = await promtoolCheck(await render(ws, keysOf(items)), promtool);
        checked++;
        expect(result.ok, result.output).toBe(true);
      }),
      { seed: SEED + 1, numRuns: 30 },
    );
    expect(checked).toBe(30);
  }, 60_000);

  it('the checks are not vacuous: a broken exposition fails both', async () => {
    const good = await render('test', keysOf([{ api_key_id: 'k1', name: 'x' }]));
    const broken = good.replace('name="x"', 'name="x\ny"');
    expect(formatProblems(broken)).not.toEqual([]);
    expect((await promtoolCheck(broken)).ok).toBe(false);
  });
});

describe('the whole client over HTTP with arbitrary bodies', () => {
  let server: Server;
  let body: Buffer = Buffer.from('[]');
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const bodies = fc.oneof(
    fc.jsonValue({ stringUnit: 'binary' }).map((v) => Buffer.from(JSON.stringify(v))),
    fc.array(hostileItem, { maxLength: 20 }).map((items) => Buffer.from(JSON.stringify(items))),
    fc
      .record({ object: anything, data: fc.array(hostileItem, { maxLength: 20 }), has_more: fc.oneof(fc.boolean(), anything) }, { requiredKeys: ['data'] })
      .map((page) => Buffer.from(JSON.stringify(page))),
    // Bytes that are not UTF-8 at all, inside and outside strings.
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.concat([Buffer.from('[{"api_key_id":"k","name":"'), Buffer.from(bytes), Buffer.from('"}]')])),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  );

  it('listApiKeys either lists well-formed keys that render validly, or throws a RefreshError with a known reason', async () => {
    const client = new OrqClient({ baseUrl, token: 'property-token', requestTimeoutMs: 2_000, maxRetries: 0, userAgent: 'property-test' });
    let listed = 0;
    let refused = 0;
    try {
      await fc.assert(
        fc.asyncProperty(bodies, async (next) => {
          body = next;
          let list: Awaited<ReturnType<OrqClient['listApiKeys']>>;
          try {
            list = await client.listApiKeys(AbortSignal.timeout(5_000));
          } catch (error) {
            refused++;
            expect(error).toBeInstanceOf(RefreshError);
            expect(REFRESH_ERROR_REASONS).toContain((error as RefreshError).reason);
            expect(['invalid_response', 'pagination']).toContain((error as RefreshError).reason);
            return;
          }
          listed++;
          list.keys.forEach(expectWellFormed);
          expect(formatProblems(await render('test', list.keys))).toEqual([]);
        }),
        { seed: SEED, numRuns: 200 },
      );
    } finally {
      await client.close();
    }
    // Both branches were exercised, so the property said something about each.
    expect(listed).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  }, 60_000);
});

describe('bad records through the simulated workspace', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('skips and counts records without an id or not objects, keeps odd fields as unknown', async () => {
    stack = await startStack({ keys: [], now: () => NOW_MS });
    stack.simulator.inject({
      kind: 'records',
      items: [
        { name: 'no id at all' },
        { api_key_id: '', id: null, name: 'empty id' },
        'a string',
        42,
        null,
        [1, 2],
        {
          api_key_id: 'k-odd',
          name: 'odd "one"\\\n',
          status: 'API_KEY_STATUS_SOMETHING_NEW',
          permission_mode: 99,
          owner: { robot: { id: 'r2' } },
          project_scope: { galaxy: {} },
          legacy_token_family: 'quantum',
          constraints: {
            expires_at: 'next tuesday',
            budget: { period: 'fortnightly', amount: '12.5', token_limit: '1e400' },
            rate_limit: { requests_per_minute: '600' },
          },
          created_at: 1_700_000_000,
          last_used_at: { seconds: '1700000000', nanos: 500_000_000 },
          something_new: { deep: [1, { deeper: true }] },
        },
        { id: 'k-b', active: false, owner: { type: 'android' }, project_scope: { mode: 'all' }, expiration: '2026-06-03T00:00:00Z' },
        // Enough readable keys that six unusable records stay under the share that fails a refresh.
        ...Array.from({ length: 60 }, (_, i) => ({ id: `k-fill-${i}`, name: `fill ${i}` })),
      ],
    });
    const [outcome] = await stack.exporter.refreshAll();
    expect(outcome?.ok).toBe(true);
    expect(outcome?.list?.skipped).toEqual({ missing_id: 2, not_an_object: 4, duplicate_id: 0 });

    const text = await stack.metrics();
    expect(valueOf(text, 'orq_exporter_skipped_records_total', { reason: 'missing_id' })).toBe(2);
    expect(valueOf(text, 'orq_exporter_skipped_records_total', { reason: 'not_an_object' })).toBe(4);
    expect(seriesOf(text, 'orq_api_key_info').filter((l) => !l.includes('k-fill-'))).toEqual([
      'orq_api_key_info{workspace="test",api_key_id="k-odd",name="odd \\"one\\"\\\\\\n",status="unknown",owner_type="unknown",owner_id="",project_scope="unknown",project_id="",permission_mode="unknown",legacy_token_family="unknown",token_prefix=""} 1',
      'orq_api_key_info{workspace="test",api_key_id="k-b",name="",status="disabled",owner_type="unknown",owner_id="",project_scope="all",project_id="all",permission_mode="unspecified",legacy_token_family="none",token_prefix=""} 1',
    ]);
    const odd = { api_key_id: 'k-odd' };
    expect(valueOf(text, 'orq_api_key_budget_amount', { ...odd, period: 'unknown' })).toBe(12.5);
    expect(seriesOf(text, 'orq_api_key_budget_token_limit')).toEqual([]);
    expect(valueOf(text, 'orq_api_key_rate_limit_requests_per_minute', odd)).toBe(600);
    expect(valueOf(text, 'orq_api_key_created_timestamp_seconds', odd)).toBe(1_700_000_000);
    expect(valueOf(text, 'orq_api_key_last_used_timestamp_seconds', odd)).toBe(1_700_000_000.5);
    expect(valueOf(text, 'orq_api_key_expiry_timestamp_seconds', odd)).toBeUndefined();
    expect(valueOf(text, 'orq_api_key_days_to_expiry', { api_key_id: 'k-b' })).toBe(2);
    expect(formatProblems(text)).toEqual([]);
  });
});
