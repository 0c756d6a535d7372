import { gunzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { bodyBytes } from '../../src/exposition/body.js';
import { Exposition } from '../../src/exposition/exposition.js';
import { allFamilies } from '../../src/exposition/families.js';
import type { KeyBudget } from '../../src/orq/budget.js';
import { budgetsByKey, type Snapshot } from '../../src/snapshot.js';
import { apiKey } from '../support/keys.js';

const NOW = 1_800_000_000; // seconds
const DAY = 86_400;

const snapshot: Snapshot = {
  workspace: 'acme',
  version: 1,
  fetchedAt: NOW - 30,
  keys: [
    apiKey({
      id: 'k1',
      name: 'checkout "prod"\\main\nline2',
      createdAt: NOW - 100 * DAY,
      expiresAt: NOW + 2.5 * DAY,
      lastUsedAt: NOW - 60,
      budget: { period: 'monthly', amount: 250.5, tokenLimit: 1_000_000 },
      rateLimitPerMinute: 600,
    }),
    apiKey({ id: 'k2', status: 'disabled', projectScope: 'all', projectId: 'all', ownerType: 'service_account', ownerId: '', expiresAt: NOW - DAY, legacyTokenFamily: 'router_jwt' }),
    apiKey({ id: 'k3', budget: { period: 'daily', amount: null, tokenLimit: 5000 } }),
    apiKey({ id: 'k4' }),
  ],
};

function exposition(snapshots: Array<Snapshot | undefined>, now = NOW * 1000): Exposition {
  return new Exposition({ snapshots: () => snapshots, registry: new Registry(), now: () => now });
}

/** The series lines of one family, without HELP/TYPE. */
function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('Exposition', () => {
  it('renders one info series per key with escaped labels', async () => {
    const text = await exposition([snapshot]).text();
    expect(series(text, 'orq_api_key_info')).toEqual([
      'orq_api_key_info{workspace="acme",api_key_id="k1",name="checkout \\"prod\\"\\\\main\\nline2",status="active",owner_type="user",owner_id="user_1",project_scope="single",project_id="proj_a",permission_mode="all",legacy_token_family="none",token_prefix="orq_sk_"} 1',
      'orq_api_key_info{workspace="acme",api_key_id="k2",name="k2",status="disabled",owner_type="service_account",owner_id="",project_scope="all",project_id="all",permission_mode="all",legacy_token_family="router_jwt",token_prefix="orq_sk_"} 1',
      'orq_api_key_info{workspace="acme",api_key_id="k3",name="k3",status="active",owner_type="user",owner_id="user_1",project_scope="single",project_id="proj_a",permission_mode="all",legacy_token_family="none",token_prefix="orq_sk_"} 1',
      'orq_api_key_info{workspace="acme",api_key_id="k4",name="k4",status="active",owner_type="user",owner_id="user_1",project_scope="single",project_id="proj_a",permission_mode="all",legacy_token_family="none",token_prefix="orq_sk_"} 1',
    ]);
  });

  it('counts keys per status, project, owner type and legacy family', async () => {
    const text = await exposition([snapshot]).text();
    expect(series(text, 'orq_api_keys')).toEqual([
      'orq_api_keys{workspace="acme",status="active",project_id="proj_a",owner_type="user",legacy_token_family="none"} 3',
      'orq_api_keys{workspace="acme",status="disabled",project_id="all",owner_type="service_account",legacy_token_family="router_jwt"} 1',
    ]);
  });

  it('publishes times, budgets and limits only where set', async () => {
    const text = await exposition([snapshot]).text();
    expect(series(text, 'orq_api_key_created_timestamp_seconds')).toEqual([
      `orq_api_key_created_timestamp_seconds{workspace="acme",api_key_id="k1"} ${NOW - 100 * DAY}`,
    ]);
    expect(series(text, 'orq_api_key_expiry_timestamp_seconds')).toEqual([
      `orq_api_key_expiry_timestamp_seconds{workspace="acme",api_key_id="k1"} ${NOW + 2.5 * DAY}`,
      `orq_api_key_expiry_timestamp_seconds{workspace="acme",api_key_id="k2"} ${NOW - DAY}`,
    ]);
    expect(series(text, 'orq_api_key_last_used_timestamp_seconds')).toEqual([
      `orq_api_key_last_used_timestamp_seconds{workspace="acme",api_key_id="k1"} ${NOW - 60}`,
    ]);
    expect(series(text, 'orq_api_key_budget_amount')).toEqual([
      'orq_api_key_budget_amount{workspace="acme",api_key_id="k1",period="monthly"} 250.5',
    ]);
    expect(series(text, 'orq_api_key_budget_token_limit')).toEqual([
      'orq_api_key_budget_token_limit{workspace="acme",api_key_id="k1",period="monthly"} 1000000',
      'orq_api_key_budget_token_limit{workspace="acme",api_key_id="k3",period="daily"} 5000',
    ]);
    expect(series(text, 'orq_api_key_rate_limit_requests_per_minute')).toEqual([
      'orq_api_key_rate_limit_requests_per_minute{workspace="acme",api_key_id="k1"} 600',
    ]);
  });

  it('computes relative values from the clock at scrape time', async () => {
    const text = await exposition([snapshot]).text();
    expect(series(text, 'orq_api_key_days_to_expiry')).toEqual([
      'orq_api_key_days_to_expiry{workspace="acme",api_key_id="k1"} 2.5',
      'orq_api_key_days_to_expiry{workspace="acme",api_key_id="k2"} -1',
    ]);
    expect(series(text, 'orq_api_key_expired')).toEqual([
      'orq_api_key_expired{workspace="acme",api_key_id="k1"} 0',
      'orq_api_key_expired{workspace="acme",api_key_id="k2"} 1',
    ]);
    expect(series(text, 'orq_api_key_seconds_since_last_use')).toEqual([
      'orq_api_key_seconds_since_last_use{workspace="acme",api_key_id="k1"} 60',
    ]);
    expect(series(text, 'orq_exporter_snapshot_age_seconds')).toEqual(['orq_exporter_snapshot_age_seconds{workspace="acme"} 30']);

    const later = await exposition([snapshot], (NOW + DAY) * 1000).text();
    expect(series(later, 'orq_api_key_days_to_expiry')[0]).toBe('orq_api_key_days_to_expiry{workspace="acme",api_key_id="k1"} 1.5');
    expect(series(later, 'orq_api_key_seconds_since_last_use')[0]).toBe(`orq_api_key_seconds_since_last_use{workspace="acme",api_key_id="k1"} ${DAY + 60}`);
  });

  it('has HELP and TYPE for every key family even before the first snapshot', async () => {
    const text = await exposition([undefined]).text();
    for (const family of allFamilies.filter((f) => f.computed !== 'exporter')) {
      expect(text).toContain(`# TYPE ${family.name} ${family.type}\n`);
    }
    expect(text).not.toContain('orq_api_key_info{');
  });

  it('writes each family once, contiguous, across workspaces', async () => {
    const other: Snapshot = { ...snapshot, workspace: 'other', keys: [apiKey({ id: 'x1', expiresAt: NOW + DAY })] };
    const text = await exposition([snapshot, other]).text();
    const names = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(new Set(names).size).toBe(names.length);
    const days = series(text, 'orq_api_key_days_to_expiry');
    expect(days).toHaveLength(3);
    expect(days[2]).toBe('orq_api_key_days_to_expiry{workspace="other",api_key_id="x1"} 1');
  });

  it('serves gzip as members that decompress to the same text', async () => {
    const e = exposition([snapshot]);
    const plain = await e.text();
    const gz = bodyBytes(await e.body('gzip'));
    expect(gz[0]).toBe(0x1f);
    expect(gunzipSync(gz).toString('utf8')).toBe(plain);
  });

  it('renders once per second however many scrapes ask, and again when the snapshot changes', async () => {
    let current: Snapshot = snapshot;
    let now = NOW * 1000;
    const e = new Exposition({ snapshots: () => [current], registry: new Registry(), now: () => now });
    const bodies = await Promise.all(Array.from({ length: 20 }, () => e.body('identity')));
    expect(e.renders).toBe(1);
    expect(new Set(bodies).size).toBe(1);
    now += 999;
    await e.body('identity');
    expect(e.renders).toBe(1);
    now += 1;
    await e.body('identity');
    expect(e.renders).toBe(2);
    e.invalidate();
    await e.body('identity');
    expect(e.renders).toBe(3);
    current = { ...snapshot, version: 2, keys: [] };
    expect(await e.text()).not.toContain('orq_api_key_info{');
    expect(e.renders).toBe(4);
  });

  it('shows budgets from the budgets API with their spending, per period, and the lowest alert threshold per dimension', async () => {
    const budget = (apiKeyId: string, period: KeyBudget['period'], extra: Partial<KeyBudget>): KeyBudget => ({
      id: `${apiKeyId}-${period}`,
      apiKeyId,
      period,
      amount: null,
      tokenLimit: null,
      requestsPerMinute: null,
      usage: null,
      alerts: [],
      ...extra,
    });
    const withBudgets: Snapshot = {
      ...snapshot,
      budgets: budgetsByKey([
        budget('k1', 'monthly', {
          amount: 500,
          tokenLimit: 2_000_000,
          usage: { amount: 412.5, tokens: 1_500_000, requests: 12 },
          alerts: [
            { dimension: 'cost', thresholdRatio: 0.9 },
            { dimension: 'cost', thresholdRatio: 0.5 },
            { dimension: 'tokens', thresholdRatio: 0.75 },
          ],
        }),
        budget('k1', 'daily', { amount: 20, usage: { amount: 3, tokens: null, requests: 40 }, requestsPerMinute: 100 }),
        budget('k4', 'weekly', { tokenLimit: 1_000, requestsPerMinute: 30, usage: { amount: null, tokens: 10, requests: null } }),
      ]),
    };
    const text = await exposition([withBudgets]).text();
    // k1's embedded budget gives way to the budgets API's; k3 keeps its embedded one.
    expect(series(text, 'orq_api_key_budget_amount')).toEqual([
      'orq_api_key_budget_amount{workspace="acme",api_key_id="k1",period="monthly"} 500',
      'orq_api_key_budget_amount{workspace="acme",api_key_id="k1",period="daily"} 20',
    ]);
    expect(series(text, 'orq_api_key_budget_token_limit')).toEqual([
      'orq_api_key_budget_token_limit{workspace="acme",api_key_id="k1",period="monthly"} 2000000',
      'orq_api_key_budget_token_limit{workspace="acme",api_key_id="k3",period="daily"} 5000',
      'orq_api_key_budget_token_limit{workspace="acme",api_key_id="k4",period="weekly"} 1000',
    ]);
    expect(series(text, 'orq_api_key_budget_usage_amount')).toEqual([
      'orq_api_key_budget_usage_amount{workspace="acme",api_key_id="k1",period="monthly"} 412.5',
      'orq_api_key_budget_usage_amount{workspace="acme",api_key_id="k1",period="daily"} 3',
    ]);
    expect(series(text, 'orq_api_key_budget_usage_tokens')).toEqual([
      'orq_api_key_budget_usage_tokens{workspace="acme",api_key_id="k1",period="monthly"} 1500000',
      'orq_api_key_budget_usage_tokens{workspace="acme",api_key_id="k4",period="weekly"} 10',
    ]);
    expect(series(text, 'orq_api_key_budget_usage_requests')).toEqual(['orq_api_key_budget_usage_requests{workspace="acme",api_key_id="k1"} 40']);
    expect(series(text, 'orq_api_key_budget_alert_threshold_ratio')).toEqual([
      'orq_api_key_budget_alert_threshold_ratio{workspace="acme",api_key_id="k1",period="monthly",dimension="cost"} 0.5',
      'orq_api_key_budget_alert_threshold_ratio{workspace="acme",api_key_id="k1",period="monthly",dimension="tokens"} 0.75',
    ]);
    // The key's own limit wins; a key without one takes its budget's.
    expect(series(text, 'orq_api_key_rate_limit_requests_per_minute')).toEqual([
      'orq_api_key_rate_limit_requests_per_minute{workspace="acme",api_key_id="k1"} 600',
      'orq_api_key_rate_limit_requests_per_minute{workspace="acme",api_key_id="k4"} 30',
    ]);
  });

  it('names every project of the workspace, with or without keys, escaped', async () => {
    const withProjects: Snapshot = {
      ...snapshot,
      projects: [
        { id: 'proj_a', name: 'Checkout "EU"', archived: false },
        { id: 'proj_empty', name: 'Nothing here\\yet', archived: true },
      ],
    };
    const text = await exposition([withProjects]).text();
    expect(series(text, 'orq_project_info')).toEqual([
      'orq_project_info{workspace="acme",project_id="proj_a",project_name="Checkout \\"EU\\"",archived="false"} 1',
      'orq_project_info{workspace="acme",project_id="proj_empty",project_name="Nothing here\\\\yet",archived="true"} 1',
    ]);
    expect(series(await exposition([snapshot]).text(), 'orq_project_info')).toEqual([]);
  });
});
