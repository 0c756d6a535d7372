import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readThresholds, type Thresholds } from '../../scripts/dashboards/thresholds.js';
import { generate, RULES_FILE } from '../../scripts/generated.js';
import { allFamilies } from '../../src/exposition/families.js';
import { findBinary, metricNamesIn, run } from '../support/prometheus.js';
import { dashboardQueries, parseVariableQuery, queryResultOptions, substituteVariables, variablePromql, type Dashboard, type Panel } from './queries.js';
import { withThresholds } from './rules-text.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'dashboards');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const rulesText = readFileSync(join(root, RULES_FILE), 'utf8');

/** What `npm run generate` writes for each dashboard, from a rule file's text. */
function generatedDashboards(rules: string): Map<string, string> {
  const result = generate(rules);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return new Map(result.files.filter((f) => f.path.startsWith('dashboards/')).map((f) => [f.path.slice('dashboards/'.length), f.text]));
}

function thresholdsOf(rules: string): Thresholds {
  const result = readThresholds(parse(rules) as unknown);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.thresholds;
}

const exported = new Set(
  allFamilies.flatMap((f) =>
    f.type === 'histogram' ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name],
  ),
);

/** Every object under a `datasource` key, wherever it sits in the dashboard. */
function datasourceRefs(node: unknown, path = ''): { path: string; ref: unknown }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => datasourceRefs(v, `${path}[${i}]`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === 'datasource' ? [{ path: `${path}.${k}`, ref: v }] : datasourceRefs(v, `${path}.${k}`),
  );
}

function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

it('has the overview dashboard', () => {
  expect(files).toContain('orq-api-keys-overview.json');
});

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const dashboard = JSON.parse(text) as Dashboard;
  const panels = allPanels(dashboard.panels);
  const dataPanels = panels.filter((p) => p.type !== 'row');

  it('is what npm run generate writes', () => {
    expect(text).toBe(generatedDashboards(rulesText).get(file));
  });

  it('is importable from grafana.com and provisionable', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.id).toBeNull();
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
    // Import checks these: a panel type missing here would load as "panel plugin not found".
    const required = (dashboard.__requires ?? []).filter((r) => r.type === 'panel').map((r) => r.id);
    expect(required.sort()).toEqual([...new Set(dataPanels.map((p) => p.type))].sort());
  });

  it('refers to the datasource only through ${datasource}', () => {
    const refs = datasourceRefs(dashboard);
    expect(refs.length).toBeGreaterThan(dataPanels.length);
    for (const { path, ref } of refs) expect(ref, path).toEqual({ type: 'prometheus', uid: '${datasource}' });
    // A uid anywhere else (annotations, links, library panels) would be hard-coded too.
    const uids = [...text.matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(uids)).toEqual(new Set([dashboard.uid, '${datasource}']));
  });

  it('has the datasource, workspace, project and status variables', () => {
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(vars.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const name of ['workspace', 'project', 'status']) {
      const v = vars.get(name);
      expect(v, name).toMatchObject({ type: 'query', multi: true, includeAll: true, allValue: '.*' });
      expect(parseVariableQuery(v?.definition ?? '').kind, name).toBe(name === 'project' ? 'query_result' : 'label_values');
    }
  });

  it('lists projects by name and selects them by id, by id where no name is known', () => {
    const project = dashboard.templating.list.find((v) => v.name === 'project');
    const at = (value: number): [number, string] => [1_800_000_000, String(value)];
    expect(
      queryResultOptions(
        [
          { metric: { workspace: 'acme', project_id: 'p1', project_name: 'Checkout "EU"' }, value: at(1) },
          { metric: { workspace: 'acme', project_id: 'all', project_name: 'all' }, value: at(1) },
        ],
        project?.regex ?? '',
      ),
    ).toEqual([
      { text: 'Checkout "EU"', value: 'p1' },
      { text: 'all', value: 'all' },
    ]);
  });

  it('gives every panel a unique id and every data panel targets with a query', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dataPanels.length).toBeGreaterThanOrEqual(20);
    for (const panel of dataPanels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
      for (const t of panel.targets ?? []) expect(t.expr.trim(), `${panel.title} ${t.refId}`).not.toBe('');
    }
  });

  it('queries only metrics from the contract', () => {
    const queries = dashboardQueries(dashboard);
    const unknown = queries.flatMap((q) => {
      const promql = q.kind === 'variable' ? variablePromql(q.expr) : q.expr;
      return [...metricNamesIn(promql)].filter((n) => !exported.has(n)).map((n) => `${q.where}: ${n}`);
    });
    expect(unknown).toEqual([]);
    // The filters must actually be applied, or the variables would be decoration.
    const keyQueries = queries.filter((q) => /orq_api_key/.test(q.expr) && q.kind === 'panel');
    for (const q of keyQueries) expect(q.expr, q.where).toContain('$workspace');
  });

  it('lays panels out without overlaps', () => {
    const cells = new Set<string>();
    for (const { gridPos: g, title } of panels) {
      expect(g.x + g.w, title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('colours days left red inside the critical window, orange inside the warning one, green after', () => {
    const { expiryCriticalDays, expiryWarningDays } = thresholdsOf(rulesText);
    const expiring = dataPanels.find((p) => p.type === 'table' && /expiring/i.test(p.title));
    expect(columnThresholds(expiring, 'Days left')).toEqual(steps(['red', null], ['orange', expiryCriticalDays], ['green', expiryWarningDays]));
    expect(expiring?.options?.sortBy).toEqual([{ displayName: 'Days left', desc: false }]);
  });
});

function columnThresholds(panel: Panel | undefined, column: string): unknown {
  const override = panel?.fieldConfig?.overrides?.find((o) => o.matcher.options === column);
  return override?.properties.find((p) => p.id === 'thresholds')?.value;
}

function steps(...pairs: [string, number | null][]) {
  return { mode: 'absolute', steps: pairs.map(([color, value]) => ({ color, value })) };
}

/** Days as a person writes them in the rule file: whole, or with a decimal part. */
const days = fc.oneof(fc.integer({ min: 1, max: 36_500 }), fc.integer({ min: 1, max: 99_999 }).map((n) => n / 100));
/** Shares of a budget as a person writes them: 0.01 to 1, in hundredths. */
const ratio = fc.integer({ min: 1, max: 100 }).map((n) => n / 100);
const thresholdSets = fc
  .tuple(days, days, days, days, ratio, ratio)
  .filter(([a, b, , , c, d]) => a !== b && c !== d)
  .map(([a, b, unusedDays, noExpiryMaxAgeDays, c, d]): Thresholds => ({
    expiryWarningDays: Math.max(a, b),
    expiryCriticalDays: Math.min(a, b),
    unusedDays,
    noExpiryMaxAgeDays,
    budgetWarningRatio: Math.min(c, d),
    budgetCriticalRatio: Math.max(c, d),
  }));

describe('the overview follows the thresholds of the rule file', () => {
  const committed = JSON.parse(readFileSync(join(dir, 'orq-api-keys-overview.json'), 'utf8')) as Dashboard;
  const shape = (d: Dashboard) => allPanels(d.panels).map((p) => [p.type, p.gridPos, (p.targets ?? []).map((t) => t.refId)]);

  it('in every window, colour, title and query, with the same panels in the same places', () => {
    fc.assert(
      fc.property(thresholdSets, (t) => {
        const text = generatedDashboards(withThresholds(rulesText, t)).get('orq-api-keys-overview.json') ?? '';
        const dashboard = JSON.parse(text) as Dashboard;
        const panels = allPanels(dashboard.panels);
        const titled = (title: string) => panels.find((p) => p.title === title);
        const exprs = (p: Panel | undefined) => (p?.targets ?? []).map((q) => q.expr);
        const day = '86400';

        expect(shape(dashboard)).toEqual(shape(committed));
        expect(exprs(titled(`Active, expiring < ${t.expiryCriticalDays} days`))).toEqual([expect.stringContaining(`< ${t.expiryCriticalDays} * ${day} > 0`)]);
        expect(exprs(titled(`Active, expiring < ${t.expiryWarningDays} days`))).toEqual([expect.stringContaining(`< ${t.expiryWarningDays} * ${day} > 0`)]);
        expect(exprs(titled(`Active, unused ${t.unusedDays}+ days or never`))).toEqual([expect.stringContaining(`> ${t.unusedDays} * ${day}`)]);
        expect(exprs(titled('Unused active keys'))[0]).toContain(`/ ${day} > ${t.unusedDays}`);
        // The expiry table shows at least a month, and all of a longer warning window.
        const window = Math.max(30, t.expiryWarningDays);
        const expiring = titled(`Active keys expiring within ${window} days`);
        for (const expr of exprs(expiring)) expect(expr).toContain(`/ ${day} < ${window} > 0`);
        expect(columnThresholds(expiring, 'Days left')).toEqual(
          steps(['red', null], ['orange', t.expiryCriticalDays], ['green', t.expiryWarningDays]),
        );
        expect(columnThresholds(titled('Active keys without expiry'), 'Age (days)')).toEqual(steps(['green', null], ['orange', t.noExpiryMaxAgeDays]));
        expect(columnThresholds(titled('Budget spent per active key'), 'Spent')).toEqual(
          steps(['green', null], ['orange', t.budgetWarningRatio], ['red', t.budgetCriticalRatio]),
        );
      }),
      { numRuns: 25 },
    );
  });
});

// promtool cannot parse a bare expression, but it parses every expr of a rule file: wrapping the
// queries as recording rules catches PromQL syntax errors without a running Prometheus.
const promtool = findBinary('promtool');
describe.skipIf(promtool.path === undefined)(
  `dashboard queries parse${promtool.missing === undefined ? '' : ` (skipped: ${promtool.missing})`}`,
  () => {
    const tmp = mkdtempSync(join(tmpdir(), 'orq-dash-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it.each(files)('%s', async (file) => {
      const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Dashboard;
      const queries = dashboardQueries(dashboard).filter((q) => q.kind === 'panel');
      const rulesFile = join(tmp, `${file}.rules.yml`);
      writeFileSync(
        rulesFile,
        stringify({
          groups: [
            {
              name: 'dashboard',
              rules: queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: substituteVariables(q.expr, '.*') })),
            },
          ],
        }),
      );
      const result = await run(promtool.path ?? 'promtool', ['check', 'rules', rulesFile]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`SUCCESS: ${queries.length} rules found`);
    });

    it('with the smallest, fractional and largest thresholds too', async () => {
      const extremes: Thresholds[] = [
        { expiryCriticalDays: 0.01, expiryWarningDays: 0.02, unusedDays: 0.01, noExpiryMaxAgeDays: 0.01, budgetWarningRatio: 0.01, budgetCriticalRatio: 0.02 },
        { expiryCriticalDays: 2.5, expiryWarningDays: 45.25, unusedDays: 99.9, noExpiryMaxAgeDays: 365, budgetWarningRatio: 0.8, budgetCriticalRatio: 0.95 },
        { expiryCriticalDays: 36_499, expiryWarningDays: 36_500, unusedDays: 36_500, noExpiryMaxAgeDays: 36_500, budgetWarningRatio: 0.99, budgetCriticalRatio: 1 },
      ];
      const queries = extremes.flatMap((t) => {
        const text = generatedDashboards(withThresholds(rulesText, t)).get('orq-api-keys-overview.json') ?? '';
        return dashboardQueries(JSON.parse(text) as Dashboard).filter((q) => q.kind === 'panel');
      });
      const rulesFile = join(tmp, 'extremes.rules.yml');
      writeFileSync(
        rulesFile,
        stringify({ groups: [{ name: 'dashboard', rules: queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: substituteVariables(q.expr, '.*') })) }] }),
      );
      const result = await run(promtool.path ?? 'promtool', ['check', 'rules', rulesFile]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`SUCCESS: ${queries.length} rules found`);
    });
  },
);
