#!/usr/bin/env node
/**
 * Generates dashboards/orq-api-keys-overview.json. The dashboard is written as code because
 * its ~30 panels share the same filters, joins and table layouts: one helper per pattern keeps
 * them consistent, where hand-edited JSON drifts. test/dashboards checks that the committed
 * JSON is exactly what this prints, so edit here and rerun:
 *
 *   node scripts/gen-dashboards.mjs            # rewrite the JSON
 *   node scripts/gen-dashboards.mjs --stdout   # print it instead
 *
 * The queries use only raw exporter metrics (no recording rules), so the dashboard works on a
 * Prometheus that does not load alerts/orq-api-keys.rules.yml.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every panel, target and variable uses the dashboard's own datasource variable, never a uid:
// the same file then works imported from grafana.com (__inputs) and provisioned from disk.
const DS = { type: 'prometheus', uid: '${datasource}' };

// Per-key series of one target join on the target labels too, so two exporters scraping the
// same workspace at once (a rolling update) do not break the join with duplicate series.
const ON_KEY = 'on (job, instance, workspace, api_key_id)';
const WS = 'workspace=~"$workspace"';
const INFO_ALL = `orq_api_key_info{${WS}, project_id=~"$project", status=~"$status"}`;
const INFO_ACTIVE = `orq_api_key_info{${WS}, project_id=~"$project", status="active"}`;
const COUNTS = `orq_api_keys{${WS}, project_id=~"$project", status=~"$status"}`;
const COUNTS_ACTIVE = `orq_api_keys{${WS}, project_id=~"$project", status="active"}`;
const KEY_LABELS = 'name, project_id, owner_type, owner_id, token_prefix';
const DAY = 86400;
const UNUSED_DAYS = 90;
const EXPIRY_TABLE_DAYS = 30;

/** Per-key value joined to the active keys' descriptive labels. */
const activeKey = (value, labels = KEY_LABELS) => `(${value})\n* ${ON_KEY} group_left (${labels})\n${INFO_ACTIVE}`;
const anyKey = (value, labels) => `(${value})\n* ${ON_KEY} group_left (${labels})\n${INFO_ALL}`;

let nextId = 1;
let cursor = { x: 0, y: 0, rowHeight: 0 };

function place(w, h) {
  if (cursor.x + w > 24) cursor = { x: 0, y: cursor.y + cursor.rowHeight, rowHeight: 0 };
  const gridPos = { h, w, x: cursor.x, y: cursor.y };
  cursor = { x: cursor.x + w, y: cursor.y, rowHeight: Math.max(cursor.rowHeight, h) };
  return gridPos;
}

function row(title) {
  if (cursor.x !== 0) cursor = { x: 0, y: cursor.y + cursor.rowHeight, rowHeight: 0 };
  const gridPos = { h: 1, w: 24, x: 0, y: cursor.y };
  cursor = { x: 0, y: cursor.y + 1, rowHeight: 0 };
  return { type: 'row', title, collapsed: false, id: nextId++, gridPos, panels: [] };
}

function target(refId, expr, { legend = '', instant = false, table = false } = {}) {
  return {
    datasource: DS,
    refId,
    expr,
    legendFormat: legend,
    instant: instant || table,
    range: !(instant || table),
    format: table ? 'table' : 'time_series',
    editorMode: 'code',
  };
}

function base(type, title, description, w, h, targets) {
  return { type, title, description, id: nextId++, gridPos: place(w, h), datasource: DS, targets };
}

const steps = (...pairs) => ({
  mode: 'absolute',
  steps: pairs.map(([color, value]) => ({ color, value })),
});

function stat(title, description, expr, { unit = 'short', thresholds = steps(['green', null]), mappings = [], w = 4 } = {}) {
  return {
    ...base('stat', title, description, w, 4, [target('A', expr, { instant: true })]),
    fieldConfig: {
      defaults: { unit, thresholds, mappings, color: { mode: 'thresholds' } },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'none',
      justifyMode: 'auto',
      orientation: 'auto',
      textMode: 'value',
      wideLayout: true,
      showPercentChange: false,
    },
  };
}

/** A count that should be 0: any key found turns it orange or red. */
const problemCount = (color) => steps(['green', null], [color, 1]);

function pie(title, description, expr, legend) {
  return {
    ...base('piechart', title, description, 6, 8, [target('A', expr, { legend, instant: true })]),
    fieldConfig: { defaults: { unit: 'short', color: { mode: 'palette-classic' } }, overrides: [] },
    options: {
      pieType: 'donut',
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      legend: { displayMode: 'table', placement: 'right', showLegend: true, values: ['value'] },
      tooltip: { mode: 'single', sort: 'none' },
      displayLabels: [],
    },
  };
}

function bars(title, description, expr, legend) {
  return {
    ...base('bargauge', title, description, 6, 8, [target('A', expr, { legend, instant: true })]),
    fieldConfig: {
      defaults: { unit: 'short', min: 0, color: { mode: 'continuous-BlPu' }, thresholds: steps(['green', null]) },
      overrides: [],
    },
    options: {
      orientation: 'horizontal',
      displayMode: 'gradient',
      showUnfilled: true,
      valueMode: 'color',
      namePlacement: 'auto',
      sizing: 'auto',
      minVizHeight: 10,
      minVizWidth: 0,
      maxVizHeight: 300,
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    },
  };
}

function timeseries(title, description, targets, { unit = 'short', w = 12, h = 8, stack = false } = {}) {
  return {
    ...base('timeseries', title, description, w, h, targets),
    fieldConfig: {
      defaults: {
        unit,
        color: { mode: 'palette-classic' },
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: stack ? 30 : 10,
          showPoints: 'never',
          spanNulls: false,
          stacking: { mode: stack ? 'normal' : 'none', group: 'A' },
          axisPlacement: 'auto',
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

const HIDDEN = { Time: true, __name__: true, job: true, instance: true };
const RENAME = {
  name: 'Name',
  api_key_id: 'Key id',
  workspace: 'Workspace',
  project_id: 'Project',
  owner_type: 'Owner type',
  owner_id: 'Owner',
  token_prefix: 'Prefix',
  status: 'Status',
  period: 'Period',
  legacy_token_family: 'Legacy family',
};
const ORDER = ['name', 'Value #A', 'Value', 'Value #B', 'status', 'project_id', 'owner_type', 'owner_id', 'token_prefix', 'period', 'legacy_token_family', 'workspace', 'api_key_id'];

/**
 * A table of per-key rows. Several queries are merged on their labels, so each must return
 * the same label set; `columns` names their value columns, `hide` drops extra labels.
 */
function table(title, description, targets, { columns, sortBy, overrides = [], hide = [], w = 12, h = 8 }) {
  const rename = { ...RENAME };
  for (const [field, label] of Object.entries(columns)) rename[field] = label;
  const exclude = { ...HIDDEN };
  for (const field of hide) exclude[field] = true;
  return {
    ...base('table', title, description, w, h, targets),
    fieldConfig: {
      defaults: { custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false, filterable: true }, thresholds: steps(['green', null]) },
      overrides,
    },
    options: {
      showHeader: true,
      cellHeight: 'sm',
      footer: { show: false, reducer: ['sum'], countRows: false, fields: '' },
      sortBy: sortBy ? [sortBy] : [],
    },
    transformations: [
      ...(targets.length > 1 ? [{ id: 'merge', options: {} }] : []),
      {
        id: 'organize',
        options: {
          excludeByName: exclude,
          indexByName: Object.fromEntries(ORDER.map((field, i) => [field, i])),
          renameByName: rename,
        },
      },
    ],
  };
}

const byName = (name, properties) => ({ matcher: { id: 'byName', options: name }, properties });
const days = (name, thresholds) =>
  byName(name, [
    { id: 'unit', value: 'none' },
    { id: 'decimals', value: 1 },
    ...(thresholds
      ? [
          { id: 'thresholds', value: thresholds },
          { id: 'color', value: { mode: 'thresholds' } },
          { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
        ]
      : []),
  ]);
const date = (name) => byName(name, [{ id: 'unit', value: 'dateTimeAsIso' }]);

function variable(name, label, query) {
  return {
    name,
    label,
    type: 'query',
    datasource: DS,
    definition: query,
    query: { query, refId: `PrometheusVariableQueryEditor-VariableQuery`, qryType: 1 },
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    regex: '',
    sort: 1,
    hide: 0,
    skipUrlSync: false,
  };
}

export function overviewDashboard() {
  nextId = 1;
  cursor = { x: 0, y: 0, rowHeight: 0 };

  const expiresIn = `(orq_api_key_expiry_timestamp_seconds{${WS}} - time())`;
  const panels = [
    row('Summary'),
    stat('Keys', 'API keys matching the workspace, project and status filters.', `sum(${COUNTS}) or vector(0)`),
    stat('Active keys', 'Keys whose status is active (ignores the status filter).', `sum(${COUNTS_ACTIVE}) or vector(0)`),
    stat(
      'Active, expiring < 3 days',
      'Active keys that expire within 3 days (the critical alert window), not yet expired.',
      `count(${activeKey(`${expiresIn} < 3 * ${DAY} > 0`, 'name')}) or vector(0)`,
      { thresholds: problemCount('red') },
    ),
    stat(
      'Active, expiring < 14 days',
      'Active keys that expire within 14 days (the warning alert window), not yet expired.',
      `count(${activeKey(`${expiresIn} < 14 * ${DAY} > 0`, 'name')}) or vector(0)`,
      { thresholds: problemCount('orange') },
    ),
    stat(
      'Expired but active',
      'Keys past their expiry whose status still says active: orq.ai refuses them at authentication.',
      `count(${activeKey(`orq_api_key_expiry_timestamp_seconds{${WS}} <= time()`, 'name')}) or vector(0)`,
      { thresholds: problemCount('red') },
    ),
    stat(
      'Active without expiry',
      'Active keys that never expire.',
      `count(${INFO_ACTIVE} unless ${ON_KEY} orq_api_key_expiry_timestamp_seconds) or vector(0)`,
      { thresholds: problemCount('orange') },
    ),
    stat(
      `Active, unused ${UNUSED_DAYS}+ days or never`,
      `Active keys last used more than ${UNUSED_DAYS} days ago, or never used.`,
      `count(\n  (${activeKey(`time() - orq_api_key_last_used_timestamp_seconds{${WS}} > ${UNUSED_DAYS} * ${DAY}`, 'name')})\n  or (${INFO_ACTIVE} unless ${ON_KEY} orq_api_key_last_used_timestamp_seconds)\n) or vector(0)`,
      { thresholds: problemCount('orange') },
    ),
    stat(
      'Active legacy JWT keys',
      'Active keys that are legacy JWTs (router, project or workspace) rather than new opaque keys.',
      `sum(orq_api_keys{${WS}, project_id=~"$project", status="active", legacy_token_family!="none"}) or vector(0)`,
      { thresholds: problemCount('orange') },
    ),
    stat(
      'Last refresh',
      'Whether the exporter\'s latest refresh from the orq.ai API succeeded (worst workspace).',
      `min(orq_exporter_last_refresh_success{${WS}})`,
      {
        thresholds: steps(['red', null], ['green', 1]),
        mappings: [{ type: 'value', options: { 0: { text: 'Failing', index: 0 }, 1: { text: 'OK', index: 1 } } }],
      },
    ),
    stat(
      'Last successful refresh',
      'When the exporter last fetched the full key list successfully (oldest workspace).',
      `min(orq_exporter_last_refresh_success_timestamp_seconds{${WS}}) * 1000`,
      { unit: 'dateTimeFromNow' },
    ),
    stat(
      'Age of data',
      'Seconds since the snapshot being served was fetched (oldest workspace).',
      `max(orq_exporter_snapshot_age_seconds{${WS}})`,
      { unit: 's', thresholds: steps(['green', null], ['orange', 900], ['red', 3600]) },
    ),
    stat(
      'Refresh errors in range',
      'Failed refreshes over the dashboard\'s time range, all reasons.',
      `sum(increase(orq_exporter_refresh_errors_total{${WS}}[$__range])) or vector(0)`,
      { thresholds: problemCount('orange') },
    ),

    row('Inventory'),
    pie('Keys by status', 'Current number of keys per status.', `sum by (status) (${COUNTS})`, '{{status}}'),
    pie('Keys by owner type', 'Current number of keys per owner type.', `sum by (owner_type) (${COUNTS})`, '{{owner_type}}'),
    pie(
      'Keys by legacy token family',
      'none = new opaque keys; the rest are legacy JWTs.',
      `sum by (legacy_token_family) (${COUNTS})`,
      '{{legacy_token_family}}',
    ),
    bars(
      'Keys by project',
      'Current number of keys per project; "all" = keys scoped to every project.',
      `sort_desc(sum by (project_id) (${COUNTS}))`,
      '{{project_id}}',
    ),
    timeseries('Keys by status over time', 'Number of keys per status.', [
      target('A', `sum by (status) (${COUNTS})`, { legend: '{{status}}' }),
    ], { stack: true }),
    timeseries('Active keys by project over time', 'Number of active keys per project.', [
      target('A', `sum by (project_id) (${COUNTS_ACTIVE})`, { legend: '{{project_id}}' }),
    ], { stack: true }),

    row('Expiry'),
    table(
      `Active keys expiring within ${EXPIRY_TABLE_DAYS} days`,
      'Soonest first. Red: under 3 days (critical alert), orange: under 14 days (warning alert), green: later.',
      [
        target('A', activeKey(`${expiresIn} / ${DAY} < ${EXPIRY_TABLE_DAYS} > 0`), { table: true }),
        target(
          'B',
          activeKey(`orq_api_key_expiry_timestamp_seconds{${WS}} * 1000 and (${expiresIn} / ${DAY} < ${EXPIRY_TABLE_DAYS} > 0)`),
          { table: true },
        ),
      ],
      {
        columns: { 'Value #A': 'Days left', 'Value #B': 'Expires at' },
        sortBy: { displayName: 'Days left', desc: false },
        overrides: [days('Days left', steps(['red', null], ['orange', 3], ['green', 14])), date('Expires at')],
        w: 24,
        h: 10,
      },
    ),
    table(
      'Expired keys still marked active',
      'orq.ai refuses these at authentication although their status says active. Anything using them is failing.',
      [
        target('A', activeKey(`(time() - orq_api_key_expiry_timestamp_seconds{${WS}}) / ${DAY} >= 0`), { table: true }),
        target(
          'B',
          activeKey(`orq_api_key_expiry_timestamp_seconds{${WS}} * 1000 and orq_api_key_expiry_timestamp_seconds{${WS}} <= time()`),
          { table: true },
        ),
      ],
      {
        columns: { 'Value #A': 'Days since expiry', 'Value #B': 'Expired at' },
        sortBy: { displayName: 'Days since expiry', desc: false },
        overrides: [days('Days since expiry', steps(['red', null])), date('Expired at')],
      },
    ),
    table(
      'Active keys without expiry',
      'Oldest first. Keys that never expire are only retired by hand.',
      [
        target(
          'A',
          `((time() - orq_api_key_created_timestamp_seconds{${WS}}) / ${DAY})\n* ${ON_KEY} group_left (${KEY_LABELS})\n(${INFO_ACTIVE} unless ${ON_KEY} orq_api_key_expiry_timestamp_seconds)`,
          { table: true },
        ),
      ],
      {
        columns: { Value: 'Age (days)' },
        sortBy: { displayName: 'Age (days)', desc: true },
        overrides: [days('Age (days)', steps(['green', null], ['orange', 180]))],
      },
    ),

    row('Usage'),
    table(
      'Unused active keys',
      `Active keys last used more than ${UNUSED_DAYS} days ago, and active keys never used (with their age).`,
      [
        target('A', activeKey(`(time() - orq_api_key_last_used_timestamp_seconds{${WS}}) / ${DAY} > ${UNUSED_DAYS}`), { table: true }),
        target(
          'B',
          `((time() - orq_api_key_created_timestamp_seconds{${WS}}) / ${DAY})\n* ${ON_KEY} group_left (${KEY_LABELS})\n(${INFO_ACTIVE} unless ${ON_KEY} orq_api_key_last_used_timestamp_seconds)`,
          { table: true },
        ),
      ],
      {
        columns: { 'Value #A': 'Days since last use', 'Value #B': 'Never used, age (days)' },
        sortBy: { displayName: 'Days since last use', desc: true },
        overrides: [days('Days since last use'), days('Never used, age (days)')],
      },
    ),
    table(
      'Active legacy JWT keys',
      'Legacy JWTs still active: replace them with new API keys and revoke them.',
      [target('A', `orq_api_key_info{${WS}, project_id=~"$project", status="active", legacy_token_family!="none"}`, { table: true })],
      {
        columns: {},
        sortBy: { displayName: 'Legacy family', desc: false },
        hide: ['Value', 'status', 'project_scope', 'permission_mode'],
      },
    ),

    row('Budgets and rate limits'),
    table(
      'Budgets per key',
      'Budget amount and token limit per budget period.',
      [
        target('A', anyKey(`orq_api_key_budget_amount{${WS}}`, 'name, status, project_id'), { table: true }),
        target('B', anyKey(`orq_api_key_budget_token_limit{${WS}}`, 'name, status, project_id'), { table: true }),
      ],
      {
        columns: { 'Value #A': 'Amount', 'Value #B': 'Token limit' },
        sortBy: { displayName: 'Amount', desc: true },
        overrides: [byName('Token limit', [{ id: 'unit', value: 'short' }])],
      },
    ),
    table(
      'Rate limits per key',
      'Requests per minute allowed per key.',
      [target('A', anyKey(`orq_api_key_rate_limit_requests_per_minute{${WS}}`, 'name, status, project_id'), { table: true })],
      {
        columns: { Value: 'Requests / min' },
        sortBy: { displayName: 'Requests / min', desc: true },
      },
    ),

    row('Exporter'),
    timeseries(
      'Age of data',
      'Age of the served snapshot against the refresh interval; a growing gap means refreshes fail.',
      [
        target('A', `max by (workspace) (orq_exporter_snapshot_age_seconds{${WS}})`, { legend: '{{workspace}} age' }),
        target('B', `max by (workspace) (orq_exporter_refresh_interval_seconds{${WS}})`, { legend: '{{workspace}} refresh interval' }),
      ],
      { unit: 's', w: 8 },
    ),
    timeseries(
      'Refresh errors by reason',
      'Failed refreshes per reason; auth means the management key was refused.',
      [target('A', `sum by (reason) (increase(orq_exporter_refresh_errors_total{${WS}}[$__rate_interval]))`, { legend: '{{reason}}' })],
      { w: 8 },
    ),
    timeseries(
      'orq.ai API requests by code',
      'Requests per minute to the orq.ai API by HTTP status ("error": no response, "timeout": too late).',
      [target('A', `60 * sum by (code) (rate(orq_exporter_api_requests_total{${WS}}[$__rate_interval]))`, { legend: '{{code}}' })],
      { w: 8 },
    ),
    timeseries(
      'Refresh duration',
      'Wall time of a refresh, all pages and retries.',
      [
        target(
          'A',
          `histogram_quantile(0.5, sum by (workspace, le) (rate(orq_exporter_refresh_duration_seconds_bucket{${WS}}[$__rate_interval])))`,
          { legend: '{{workspace}} p50' },
        ),
        target(
          'B',
          `histogram_quantile(0.95, sum by (workspace, le) (rate(orq_exporter_refresh_duration_seconds_bucket{${WS}}[$__rate_interval])))`,
          { legend: '{{workspace}} p95' },
        ),
        target(
          'C',
          `sum by (workspace) (rate(orq_exporter_refresh_duration_seconds_sum{${WS}}[$__rate_interval]))\n/ sum by (workspace) (rate(orq_exporter_refresh_duration_seconds_count{${WS}}[$__rate_interval]))`,
          { legend: '{{workspace}} mean' },
        ),
      ],
      { unit: 's', w: 8 },
    ),
    timeseries(
      'Skipped records by reason',
      'Records from the API that could not be turned into a key.',
      [target('A', `sum by (reason) (increase(orq_exporter_skipped_records_total{${WS}}[$__rate_interval]))`, { legend: '{{reason}}' })],
      { w: 8 },
    ),
    table(
      'Exporter instances',
      'Version of each exporter Prometheus scrapes.',
      [target('A', 'orq_exporter_build_info', { table: true })],
      { columns: { version: 'Version', revision: 'Revision', nodejs_version: 'Node.js' }, hide: ['Value'], w: 8 },
    ),
  ];

  return {
    __inputs: [
      {
        name: 'DS_PROMETHEUS',
        label: 'Prometheus',
        description: 'Prometheus that scrapes orq-api-keys-exporter',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __elements: {},
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.4.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'bargauge', name: 'Bar gauge', version: '' },
      { type: 'panel', id: 'piechart', name: 'Pie chart', version: '' },
      { type: 'panel', id: 'stat', name: 'Stat', version: '' },
      { type: 'panel', id: 'table', name: 'Table', version: '' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
    ],
    annotations: { list: [] },
    description: 'orq.ai API keys from orq-api-keys-exporter: expiry, status, usage, budgets, rate limits and exporter health.',
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [],
    panels,
    refresh: '5m',
    schemaVersion: 39,
    tags: ['orq', 'api-keys', 'prometheus'],
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          // Import from grafana.com replaces ${DS_PROMETHEUS}; a provisioned copy keeps the
          // literal, matches no datasource and Grafana falls back to the default Prometheus.
          current: { selected: false, text: '${DS_PROMETHEUS}', value: '${DS_PROMETHEUS}' },
          hide: 0,
          includeAll: false,
          multi: false,
          options: [],
          refresh: 1,
          regex: '',
          skipUrlSync: false,
        },
        variable('workspace', 'Workspace', 'label_values(orq_api_key_info, workspace)'),
        variable('project', 'Project', 'label_values(orq_api_key_info{workspace=~"$workspace"}, project_id)'),
        variable('status', 'Status', 'label_values(orq_api_key_info{workspace=~"$workspace"}, status)'),
      ],
    },
    time: { from: 'now-7d', to: 'now' },
    timepicker: {},
    timezone: '',
    title: 'orq.ai API keys',
    uid: 'orq-api-keys-overview',
    version: 1,
    weekStart: '',
  };
}

export const dashboards = { 'orq-api-keys-overview.json': overviewDashboard };

export function render(build) {
  return `${JSON.stringify(build(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dashboards');
  for (const [file, build] of Object.entries(dashboards)) {
    if (process.argv.includes('--stdout')) process.stdout.write(render(build));
    else writeFileSync(join(outDir, file), render(build));
  }
}
