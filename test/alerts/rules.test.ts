import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allFamilies } from '../../src/exposition/families.js';
import { findBinary, metricNamesIn, run } from '../support/prometheus.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const rulesFile = join(root, 'alerts/orq-api-keys.rules.yml');
const testsDir = join(root, 'alerts/tests');
const unitTests = readdirSync(testsDir).filter((f) => f.endsWith('.test.yml')).sort();

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}

const rules = (parse(readFileSync(rulesFile, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules);
const alerts = rules.filter((r): r is Rule & { alert: string } => r.alert !== undefined);
const records = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));

/** Names the exporter publishes, with the series a histogram family expands into. */
const exported = new Set(
  allFamilies.flatMap((f) =>
    f.type === 'histogram' ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name],
  ),
);
/** Series Prometheus itself writes for every target. */
const fromPrometheus = new Set(['up']);

describe('alerts/orq-api-keys.rules.yml content', () => {
  it('uses only metrics from the contract, its own records and up', () => {
    const unknown = rules.flatMap((rule) =>
      [...metricNamesIn(rule.expr)]
        .filter((name) => !exported.has(name) && !records.has(name) && !fromPrometheus.has(name))
        .map((name) => `${rule.alert ?? rule.record}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('reads every contract metric a key alert needs', () => {
    const used = new Set(rules.flatMap((r) => [...metricNamesIn(r.expr)]));
    for (const name of [
      'orq_api_key_info',
      'orq_api_key_expiry_timestamp_seconds',
      'orq_api_key_last_used_timestamp_seconds',
      'orq_api_key_created_timestamp_seconds',
      'orq_exporter_last_refresh_success_timestamp_seconds',
      'orq_exporter_refresh_interval_seconds',
      'orq_exporter_refresh_errors_total',
      'orq_api_key_budget_amount',
      'orq_api_key_budget_token_limit',
      'orq_api_key_budget_usage_amount',
      'orq_api_key_budget_usage_tokens',
      'orq_api_key_budget_alert_threshold_ratio',
      'orq_exporter_source_up',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('never bases a rule on the scrape-computed day and age gauges', () => {
    // They freeze with the snapshot's clock only at scrape; timestamps with time() do not.
    const scrapeComputed = allFamilies.filter((f) => f.computed === 'scrape').map((f) => f.name);
    for (const rule of rules) {
      for (const name of scrapeComputed) expect(metricNamesIn(rule.expr), rule.alert ?? rule.record).not.toContain(name);
    }
  });

  it('gives every alert a severity, summary and description', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const alert of alerts) {
      expect(['info', 'warning', 'critical'], alert.alert).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary?.trim(), alert.alert).toBeTruthy();
      expect(alert.annotations?.description?.trim(), alert.alert).toBeTruthy();
    }
  });

  it('has a promtool unit test naming every alert', () => {
    const tested = new Set(
      unitTests.flatMap((file) => {
        const doc = parse(readFileSync(join(testsDir, file), 'utf8')) as {
          tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
        };
        // An alert counts as tested only if some case expects it to fire.
        return doc.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname));
      }),
    );
    expect([...new Set(alerts.map((a) => a.alert))].filter((a) => !tested.has(a))).toEqual([]);
  });

  it('keeps expiry thresholds in records, not in the alert expressions', () => {
    const thresholds = rules.filter((r) => r.record?.endsWith('_days'));
    expect(Object.fromEntries(thresholds.map((r) => [r.record, r.expr]))).toEqual({
      'orq:api_key_expiry_warning_threshold_days': 'vector(14)',
      'orq:api_key_expiry_critical_threshold_days': 'vector(3)',
      'orq:api_key_unused_threshold_days': 'vector(90)',
      'orq:api_key_no_expiry_max_age_days': 'vector(180)',
    });
    for (const alert of alerts.filter((a) => a.alert.startsWith('OrqApiKeyExpiring'))) {
      expect(alert.expr).not.toMatch(/\b(14|3)\b/);
    }
  });

  it('keeps budget thresholds in records, not in the alert expressions', () => {
    const thresholds = rules.filter((r) => r.record?.endsWith('_threshold_ratio'));
    expect(Object.fromEntries(thresholds.map((r) => [r.record, r.expr]))).toEqual({
      'orq:api_key_budget_warning_threshold_ratio': 'vector(0.8)',
      'orq:api_key_budget_critical_threshold_ratio': 'vector(0.95)',
    });
    const budgetAlerts = alerts.filter((a) => a.alert.startsWith('OrqApiKeyBudget'));
    expect(budgetAlerts.length).toBeGreaterThanOrEqual(3);
    for (const alert of budgetAlerts) expect(alert.expr).not.toMatch(/\b0?\.(8|95)\b|\b(80|95)\b/);
  });

  it('names the project of a key in every key alert where a name is known', () => {
    const keyAlerts = alerts.filter((a) => a.alert.startsWith('OrqApiKey') && !a.alert.startsWith('OrqApiKeysExporter'));
    for (const alert of keyAlerts) expect(alert.annotations?.description, alert.alert).toContain('orq_project_info{workspace=%q,project_id=%q}');
  });
});

const promtool = findBinary('promtool');
describe.skipIf(promtool.path === undefined)(
  `promtool${promtool.missing === undefined ? '' : ` (skipped: ${promtool.missing})`}`,
  () => {
    const bin = promtool.path ?? 'promtool';

    it('check rules accepts the rules file', async () => {
      const result = await run(bin, ['check', 'rules', rulesFile]);
      expect(result.stderr + result.stdout).toContain('SUCCESS');
      expect(result.code, result.stderr).toBe(0);
    });

    it('finds unit test files', () => {
      expect(unitTests).toEqual(expect.arrayContaining(['expiry.test.yml', 'exporter.test.yml', 'hygiene.test.yml', 'records.test.yml']));
    });

    it.each(unitTests)('test rules %s passes', async (file) => {
      const result = await run(bin, ['test', 'rules', file], { cwd: testsDir });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('SUCCESS');
      expect(result.stdout).not.toContain('FAILED');
    });
  },
);
