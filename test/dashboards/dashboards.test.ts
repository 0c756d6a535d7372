import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { allFamilies } from '../../src/exposition/families.js';
import { findBinary, metricNamesIn, run } from '../support/prometheus.js';
import { dashboardQueries, parseLabelValues, substituteVariables, type Dashboard, type Panel } from './queries.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'dashboards');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

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

  it('is what scripts/gen-dashboards.mjs generates', async () => {
    const generated = await run(process.execPath, [join(root, 'scripts/gen-dashboards.mjs'), '--stdout']);
    expect(generated.code, generated.stderr).toBe(0);
    expect(text).toBe(generated.stdout);
  });

  it('is importable from grafana.com and provisionable', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.id).toBeNull();
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
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
      expect(v?.definition, name).toMatch(/^label_values\(/);
    }
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
      const promql = q.kind === 'variable' ? parseLabelValues(q.expr).selector : q.expr;
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

  it('colours days left red under 3, orange under 14, green after', () => {
    const expiring = dataPanels.find((p) => p.type === 'table' && /expiring/i.test(p.title));
    const override = expiring?.fieldConfig?.overrides?.find((o) => o.matcher.options === 'Days left');
    const thresholds = override?.properties.find((p) => p.id === 'thresholds')?.value;
    expect(thresholds).toEqual({
      mode: 'absolute',
      steps: [
        { color: 'red', value: null },
        { color: 'orange', value: 3 },
        { color: 'green', value: 14 },
      ],
    });
    expect(expiring?.options?.sortBy).toEqual([{ displayName: 'Days left', desc: false }]);
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
  },
);
