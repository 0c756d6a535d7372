/**
 * The whole chain with a real Prometheus: simulated orq workspace (the SDK's wire format, with
 * budgets and projects) → exporter → Prometheus scraping it every second and evaluating the
 * shipped rules → alerts and dashboard queries. Last, the exporter is made to suffer (a budgets
 * source that keeps failing, its own key disabled) and the alerts about itself must fire.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { startExporter, type RunningExporter } from '../../src/exporter.js';
import { isoSeconds, makeKey, startSimulator, type SimKey, type SimProject, type Simulator } from '../../src/simulator/index.js';
import { dashboardQueries, parseVariableQuery, queryResultOptions, substituteVariables, type Dashboard } from '../dashboards/queries.js';
import { findBinary, startPrometheus, type ActiveAlert, type RunningPrometheus } from '../support/prometheus.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORKSPACE = 'e2e';
const JOB = 'orq-api-keys-exporter';
const DAY = 86_400_000;
const now = Date.now();
const at = (offsetMs: number): string => isoSeconds(now + offsetMs);
const user = (user_id: string): SimKey['owner'] => ({ kind: 'user', user_id });
const project = (project_id: string): SimKey['project_scope'] => ({ kind: 'single', project_id });

/** One key per thing a panel or an alert looks for, and a few that must stay quiet. */
const keys = {
  critical: makeKey({
    name: 'checkout-prod',
    owner: user('user_alice'),
    project_scope: project('proj_checkout'),
    expires_at: at(2 * DAY),
    created_at: at(-30 * DAY),
    last_used_at: at(-DAY),
    // 96 % of the month's money spent, past the 90 % alert the team set in orq.ai.
    budget: {
      period: 3,
      amount: 250,
      token_limit: '1000000',
      usage: { amount: 240, tokens: 100_000, requests: 12 },
      alerts: [{ id: 'alert_checkout_90', threshold_percent: 90, notifier_ids: [], dimension: 1 }],
    },
    rate_limit_rpm: 600,
  }),
  warning: makeKey({
    name: 'batch-sa',
    owner: { kind: 'service_account' },
    project_scope: { kind: 'all' },
    expires_at: at(10 * DAY),
    created_at: at(-30 * DAY),
    last_used_at: at(-DAY),
  }),
  later: makeKey({
    name: 'search-prod',
    owner: user('user_bob'),
    project_scope: project('proj_search'),
    expires_at: at(20 * DAY),
    created_at: at(-30 * DAY),
    last_used_at: at(-DAY),
    // 85 % spent: a warning.
    budget: { period: 3, amount: 100, token_limit: '1000000', usage: { amount: 85, tokens: 1_000, requests: 3 } },
  }),
  disabledExpiring: makeKey({
    name: 'old-disabled',
    status: 2,
    project_scope: project('proj_checkout'),
    expires_at: at(2 * DAY),
    created_at: at(-30 * DAY),
  }),
  expiredActive: makeKey({
    name: 'billing-expired',
    owner: user('user_carol'),
    project_scope: project('proj_billing'),
    expires_at: at(-5 * DAY),
    created_at: at(-100 * DAY),
    last_used_at: at(-6 * DAY),
  }),
  noExpiry: makeKey({
    name: 'forever-key',
    owner: user('user_dave'),
    project_scope: project('proj_search'),
    created_at: at(-200 * DAY),
    last_used_at: at(-DAY),
  }),
  unused: makeKey({
    name: 'dusty-key',
    owner: user('user_erin'),
    project_scope: project('proj_billing'),
    expires_at: at(100 * DAY),
    created_at: at(-300 * DAY),
    last_used_at: at(-120 * DAY),
  }),
  neverUsed: makeKey({
    name: 'forgotten-key',
    owner: user('user_frank'),
    project_scope: project('proj_checkout'),
    expires_at: at(100 * DAY),
    created_at: at(-100 * DAY),
  }),
  legacy: makeKey({
    name: 'router-legacy-jwt',
    owner: user('user_gina'),
    project_scope: project('proj_search'),
    legacy_token_family: 1,
    token_prefix: 'eyJhbGciOi',
    expires_at: at(200 * DAY),
    created_at: at(-20 * DAY),
    last_used_at: at(-DAY),
    budget: { period: 1, amount: 5, token_limit: '100000', usage: { amount: 1, tokens: 10, requests: 0 } },
  }),
  revokedLegacy: makeKey({
    name: 'ws-legacy-revoked',
    status: 3,
    project_scope: { kind: 'all' },
    legacy_token_family: 3,
    token_prefix: 'eyJhbGciOi',
    created_at: at(-400 * DAY),
    rate_limit_rpm: 60,
  }),
};

/** The exporter polls with the service account's key, which expires in 10 days. */
const TOKEN = `sk-orq-${keys.warning.api_key_id}-e2ePrometheusSecret8c1d`;

const projectNamed = (project_id: string, name: string, is_archived = false): SimProject => ({
  project_id,
  name,
  key: name.toLowerCase(),
  is_archived,
  is_default: false,
  teams: [],
  created_at: at(-400 * DAY),
  updated_at: at(-400 * DAY),
});
/** Named projects, one archived and holding no key: it is still listed. */
const projects = [
  projectNamed('proj_checkout', 'Checkout'),
  projectNamed('proj_search', 'Search'),
  projectNamed('proj_billing', 'Billing'),
  projectNamed('proj_retired', 'Retired pilot', true),
];

/** Prometheus's humanizeTimestamp of an RFC 3339 second: "2006-01-02 15:04:05 +0000 UTC". */
function humanized(iso: string | null): string {
  if (iso === null) throw new Error('key has no expiry');
  const d = new Date(iso).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)} +0000 UTC`;
}

/**
 * The shipped rules with every `for:` shortened to 1s, so alerts fire within seconds. Nothing
 * else changes; the test checks that below, so thresholds and expressions are the real ones.
 */
function shortenFor(rulesText: string): { text: string; changed: number } {
  const doc = parse(rulesText) as { groups: { rules: Record<string, unknown>[] }[] };
  let changed = 0;
  for (const group of doc.groups) {
    for (const rule of group.rules) {
      if (rule.for !== undefined) {
        rule.for = '1s';
        changed++;
      }
    }
  }
  return { text: stringify(doc), changed };
}

const prometheusBinary = findBinary('prometheus');

describe.skipIf(prometheusBinary.path === undefined)(
  `exporter scraped by a real Prometheus${prometheusBinary.missing === undefined ? '' : ` (skipped: ${prometheusBinary.missing})`}`,
  () => {
    let simulator: Simulator | undefined;
    let exporter: RunningExporter | undefined;
    let prometheus: RunningPrometheus | undefined;
    let tmp: string | undefined;
    let shippedRules = '';
    let settings: Record<string, string> = {};
    let testedRules = '';

    beforeAll(async () => {
      simulator = await startSimulator({ keys: Object.values(keys), projects, token: TOKEN, variant: 'sdk' });
      settings = {
        ORQ_API_KEY: TOKEN,
        ORQ_BASE_URL: simulator.url,
        ORQ_WORKSPACE: WORKSPACE,
        LISTEN_ADDRESS: '127.0.0.1',
        PORT: '0',
        REFRESH_INTERVAL: '10s',
        REQUEST_TIMEOUT: '2s',
        LOG_LEVEL: 'error',
      };
      const config = loadConfig({ env: settings, argv: [] });
      if (config.ok !== true) throw new Error(`bad exporter config: ${JSON.stringify(config)}`);
      // A reload reads the settings as they are then, as SIGHUP makes main.ts do.
      exporter = await startExporter(config.config, { reloadConfig: () => loadConfig({ env: settings, argv: [] }) });
      const [outcome] = await exporter.refreshAll();
      if (!outcome?.ok) throw new Error(`first refresh failed: ${outcome?.error?.message ?? 'no outcome'}`);

      tmp = await mkdtemp(join(tmpdir(), 'orq-e2e-rules-'));
      shippedRules = await readFile(join(root, 'alerts/orq-api-keys.rules.yml'), 'utf8');
      testedRules = shortenFor(shippedRules).text;
      const rulesFile = join(tmp, 'orq-api-keys.rules.yml');
      await writeFile(rulesFile, testedRules);

      prometheus = await startPrometheus({
        scrapeTargets: [{ job: JOB, targets: [new URL(exporter.url).host] }],
        rulesFiles: [rulesFile],
        scrapeInterval: '1s',
        evaluationInterval: '1s',
      });
      // rate() and increase() need two samples in their window; wait for a few scrapes.
      const p = prometheus;
      await p.waitFor(
        async () => ((await p.query(`count_over_time(up{job="${JOB}"}[1m])`))[0]?.value ?? 0) >= 3,
        30_000,
        'three scrapes of the exporter',
      );
    }, 60_000);

    afterAll(async () => {
      await prometheus?.stop();
      await exporter?.stop();
      await simulator?.close();
      if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
    });

    const prom = (): RunningPrometheus => {
      if (prometheus === undefined) throw new Error('Prometheus did not start');
      return prometheus;
    };

    it('tests the shipped rules with only for: changed', () => {
      const strip = (text: string): unknown => {
        const doc = parse(text) as { groups: { rules: Record<string, unknown>[] }[] };
        for (const g of doc.groups) for (const r of g.rules) delete r.for;
        return doc;
      };
      expect(shortenFor(shippedRules).changed).toBeGreaterThanOrEqual(10);
      expect(strip(testedRules)).toEqual(strip(shippedRules));
    });

    it('scrapes the exporter under the job name the rules expect', async () => {
      const up = await prom().query(`up{job="${JOB}"}`);
      expect(up.map((s) => s.value)).toEqual([1]);
      const info = await prom().query(`count(orq_api_key_info{workspace="${WORKSPACE}"})`);
      expect(info[0]?.value).toBe(Object.keys(keys).length);
    });

    describe('alerts', () => {
      let firing: ActiveAlert[] = [];
      const named = (alertname: string): ActiveAlert[] =>
        firing.filter((a) => a.labels.alertname === alertname).sort((a, b) => (a.labels.name ?? '').localeCompare(b.labels.name ?? ''));

      beforeAll(async () => {
        // Wait for the last alert of the chain (hygiene, evaluated in its own group) too.
        firing = await prom().waitFor(
          async () => {
            const all = (await prom().alerts()).filter((a) => a.state === 'firing');
            const has = (alertname: string, severity?: string): boolean =>
              all.some((a) => a.labels.alertname === alertname && (severity === undefined || a.labels.severity === severity));
            const ready =
              has('OrqApiKeyExpiringSoon', 'critical') &&
              has('OrqApiKeyExpiringSoon', 'warning') &&
              has('OrqApiKeyExpiredButActive') &&
              has('OrqApiKeyUnused') &&
              has('OrqApiKeyNeverUsed') &&
              has('OrqApiKeyWithoutExpiry') &&
              has('OrqApiKeyLegacyTokenActive') &&
              has('OrqApiKeyBudgetNearlySpent', 'critical') &&
              has('OrqApiKeyBudgetNearlySpent', 'warning') &&
              has('OrqApiKeyBudgetAlertThresholdReached') &&
              has('OrqApiKeysExporterKeyExpiringSoon', 'warning');
            return ready ? all : undefined;
          },
          45_000,
          'the key alerts to fire',
        );
      }, 60_000);

      it('fires critical for the key 2 days from expiry and warning for the one at 10 days, nothing for 20 days or disabled', () => {
        const expiring = named('OrqApiKeyExpiringSoon');
        expect(expiring.map((a) => [a.labels.name, a.labels.severity])).toEqual([
          ['batch-sa', 'warning'],
          ['checkout-prod', 'critical'],
        ]);
        const [warning, critical] = expiring;
        expect(critical?.labels).toMatchObject({
          workspace: WORKSPACE,
          api_key_id: keys.critical.api_key_id,
          project_id: 'proj_checkout',
          owner_type: 'user',
          owner_id: 'user_alice',
          job: JOB,
        });
        expect(critical?.annotations.summary).toBe(
          `orq.ai API key "checkout-prod" expires on ${humanized(keys.critical.expires_at)}`,
        );
        expect(critical?.annotations.description).toContain('project Checkout (proj_checkout), owned by user user_alice');
        expect(critical?.annotations.description).toMatch(/, in 1d 23h \d+m \d+s\./);
        expect(warning?.labels).toMatchObject({ project_id: 'all', owner_type: 'service_account' });
        expect(warning?.labels.owner_id).toBeUndefined();
        expect(warning?.annotations.description).toContain('scoped to all projects, owned by service_account,');
        expect(warning?.annotations.summary).toBe(`orq.ai API key "batch-sa" expires on ${humanized(keys.warning.expires_at)}`);
      });

      it('fires expired-but-active for the expired active key only', () => {
        expect(named('OrqApiKeyExpiredButActive').map((a) => a.labels.api_key_id)).toEqual([keys.expiredActive.api_key_id]);
        expect(named('OrqApiKeyExpiredButActive')[0]?.annotations.summary).toBe(
          `orq.ai API key "billing-expired" expired on ${humanized(keys.expiredActive.expires_at)} but is still active`,
        );
      });

      it('fires the hygiene alerts for exactly the keys they are about', () => {
        expect(named('OrqApiKeyUnused').map((a) => a.labels.name)).toEqual(['dusty-key']);
        expect(named('OrqApiKeyNeverUsed').map((a) => a.labels.name)).toEqual(['forgotten-key']);
        expect(named('OrqApiKeyWithoutExpiry').map((a) => a.labels.name)).toEqual(['forever-key']);
        expect(named('OrqApiKeyLegacyTokenActive').map((a) => [a.labels.name, a.labels.legacy_token_family])).toEqual([
          ['router-legacy-jwt', 'router_jwt'],
        ]);
      });

      it('fires the budget alerts: 96 % spent is critical, 85 % a warning, and the 90 % alert set in orq.ai', () => {
        expect(named('OrqApiKeyBudgetNearlySpent').map((a) => [a.labels.name, a.labels.severity, a.labels.period, a.labels.dimension])).toEqual([
          ['checkout-prod', 'critical', 'monthly', 'cost'],
          ['search-prod', 'warning', 'monthly', 'cost'],
        ]);
        const critical = named('OrqApiKeyBudgetNearlySpent').find((a) => a.labels.severity === 'critical');
        expect(critical?.annotations.summary).toBe('orq.ai API key "checkout-prod" has spent 96% of its monthly cost budget');
        expect(critical?.annotations.description).toContain('project Checkout (proj_checkout)');
        expect(named('OrqApiKeyBudgetAlertThresholdReached').map((a) => [a.labels.name, a.labels.dimension])).toEqual([['checkout-prod', 'cost']]);
      });

      it('names the key the exporter polls with and warns 10 days before it expires', () => {
        const own = named('OrqApiKeysExporterKeyExpiringSoon');
        expect(own.map((a) => [a.labels.api_key_id, a.labels.severity])).toEqual([[keys.warning.api_key_id, 'warning']]);
        expect(own[0]?.annotations.summary).toMatch(/^The key the exporter polls workspace e2e with expires in 9d 23h/);
      });

      it('raises no other exporter alert while the exporter is healthy', () => {
        const health = firing.filter((a) => a.labels.alertname?.startsWith('OrqApiKeysExporter'));
        expect(health.map((a) => a.labels.alertname)).toEqual(['OrqApiKeysExporterKeyExpiringSoon']);
      });

      it('records expiring and expired counts per project', async () => {
        const expiring = await prom().query(`sum by (project_id) (orq:api_keys_expiring_soon:count{workspace="${WORKSPACE}"})`);
        const byProject = Object.fromEntries(expiring.map((s) => [s.metric.project_id, s.value]));
        expect(byProject).toMatchObject({ proj_checkout: 1, all: 1, proj_search: 0 });
        const expired = await prom().query(`sum(orq:api_keys_expired_active:count{workspace="${WORKSPACE}"})`);
        expect(expired[0]?.value).toBe(1);
      });
    });

    describe('dashboards', () => {
      const files = ['orq-api-keys-overview.json'];

      it.each(files)('%s: every panel query returns data with All selected and with one workspace', async (file) => {
        const dashboard = JSON.parse(await readFile(join(root, 'dashboards', file), 'utf8')) as Dashboard;
        const queries = dashboardQueries(dashboard).filter((q) => q.kind === 'panel');
        expect(queries.length).toBeGreaterThan(20);
        const empty: string[] = [];
        for (const values of ['.*', { workspace: WORKSPACE }]) {
          for (const q of queries) {
            const expr = substituteVariables(q.expr, values);
            // query() throws with Prometheus's parse error, which fails the test with its text.
            const samples = await prom().query(expr);
            if (samples.length === 0) empty.push(`${q.where} (${JSON.stringify(values)}): ${expr}`);
          }
        }
        expect(empty).toEqual([]);
      });

      it.each(files)('%s: every template variable lists values, projects by name', async (file) => {
        const dashboard = JSON.parse(await readFile(join(root, 'dashboards', file), 'utf8')) as Dashboard;
        const variables = dashboardQueries(dashboard).filter((q) => q.kind === 'variable');
        expect(variables.map((v) => v.where)).toEqual(['variable workspace', 'variable project', 'variable status']);
        const listed: Record<string, string[]> = {};
        for (const v of variables) {
          const query = parseVariableQuery(v.expr);
          if (query.kind === 'query_result') {
            // Grafana runs the query and reads each option's text and value off the series.
            const url = `${prom().url}/api/v1/query?query=${encodeURIComponent(substituteVariables(query.promql, '.*'))}`;
            const body = (await (await fetch(url)).json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
            expect(body.status, v.where).toBe('success');
            const regex = dashboard.templating.list.find((t) => `variable ${t.name}` === v.where)?.regex ?? '';
            listed[v.where] = queryResultOptions(body.data.result, regex)
              .map((o) => `${o.text}=${o.value}`)
              .sort();
            continue;
          }
          const url = `${prom().url}/api/v1/label/${query.label}/values?match[]=${encodeURIComponent(substituteVariables(query.selector, '.*'))}`;
          const body = (await (await fetch(url)).json()) as { status: string; data: string[] };
          expect(body.status, v.where).toBe('success');
          listed[v.where] = body.data;
        }
        expect(listed).toEqual({
          'variable workspace': [WORKSPACE],
          // Projects that hold keys, by name; "all" for keys scoped to every project.
          'variable project': ['Billing=proj_billing', 'Checkout=proj_checkout', 'Search=proj_search', 'all=all'],
          'variable status': ['active', 'disabled', 'revoked'],
        });
      });
    });

    // Runs last: it breaks what the tests above read.
    describe('when the exporter itself is in trouble', () => {
      it('fires source-down for budgets it may no longer read, key-inactive for its own disabled key and reload-failed, keys still exported', async () => {
        const sim = simulator;
        const exp = exporter;
        if (sim === undefined || exp === undefined) throw new Error('the stack did not start');
        // The management key loses the Budgets permission, and someone disables it in orq.ai.
        sim.setBudgetsPermission(false);
        sim.setKeys(sim.keys().map((k) => (k.api_key_id === keys.warning.api_key_id ? { ...k, status: 2 } : k)));
        const [outcome] = await exp.refreshAll();
        expect(outcome?.ok).toBe(true);
        // And a reload finds a key that cannot be one: refused, the running configuration stays.
        settings = { ...settings, ORQ_API_KEY: 'too-short' };
        const reload = await exp.reloadConfig('test');
        expect(reload.ok).toBe(false);

        const fired = await prom().waitFor(
          async () => {
            const all = (await prom().alerts()).filter((a) => a.state === 'firing');
            const source = all.filter((a) => a.labels.alertname === 'OrqApiKeysExporterSourceDown');
            const inactive = all.filter((a) => a.labels.alertname === 'OrqApiKeysExporterKeyInactive');
            const reloadFailed = all.filter((a) => a.labels.alertname === 'OrqApiKeysExporterConfigReloadFailed');
            return source.length > 0 && inactive.length > 0 && reloadFailed.length > 0 ? { source, inactive, reloadFailed } : undefined;
          },
          30_000,
          'the exporter alerts to fire',
        );
        expect(fired.source.map((a) => [a.labels.workspace, a.labels.source])).toEqual([[WORKSPACE, 'budgets']]);
        expect(fired.source[0]?.annotations.description).toContain('lacks the Budgets permission');
        expect(fired.inactive.map((a) => [a.labels.api_key_id, a.labels.name, a.labels.status])).toEqual([
          [keys.warning.api_key_id, 'batch-sa', 'disabled'],
        ]);
        expect(fired.reloadFailed.map((a) => a.labels.job)).toEqual([JOB]);
        // One source failing never blanks another: every key is still there.
        const info = await prom().query(`count(orq_api_key_info{workspace="${WORKSPACE}"})`);
        expect(info[0]?.value).toBe(Object.keys(keys).length);
      }, 45_000);
    });
  },
);
