/**
 * dashboards/orq-api-keys-overview.json: every key of every workspace at a glance.
 *
 * The queries use only raw exporter metrics (no recording rules), so the dashboard works on a
 * Prometheus that does not load alerts/orq-api-keys.rules.yml; the alerting thresholds are
 * read from that file when the dashboard is generated and written into the queries.
 *
 * To add a panel, add one builder call to a section's list; it is placed after the one before.
 */
import { families as f } from '../../src/exposition/families.js';
import { dashboard, labelVariable, queryResultVariable, type Section } from './dashboard.js';
import type { Dashboard } from './model.js';
import {
  bars,
  column,
  dateColumn,
  daysColumn,
  pie,
  problemCount,
  stat,
  steps,
  table,
  target,
  timeseries,
} from './panels.js';
import { histogram, joinInfo, ON_KEY, series, withProjectName, type InfoLabel } from './promql.js';
import type { Thresholds } from './thresholds.js';

const DAY = 86400;
/** The expiry table shows this far ahead, or the whole warning window if that is longer. */
const EXPIRY_TABLE_MIN_DAYS = 30;
/** Age of data: a few missed refreshes is orange, an hour without one is red. */
const DATA_AGE_ORANGE_SECONDS = 900;
const DATA_AGE_RED_SECONDS = 3600;

// The dashboard's filters, as label matchers.
const WS = 'workspace=~"$workspace"';
const PROJECT = 'project_id=~"$project"';
const STATUS = 'status=~"$status"';
const ACTIVE = 'status="active"';
const LEGACY = 'legacy_token_family!="none"';

/** Project names of the selected workspaces, one series per project. */
const NAMES = `max by (workspace, project_id, project_name) (${series(f.projectInfo, WS)})`;
/** `expr` with the project's name in `project_name` (its id where no name is known). */
const named = (expr: string): string => withProjectName(expr, NAMES);

const INFO_ALL = series(f.keyInfo, WS, PROJECT, STATUS);
const INFO_ACTIVE = series(f.keyInfo, WS, PROJECT, ACTIVE);
const COUNTS = series(f.keys, WS, PROJECT, STATUS);
const COUNTS_ACTIVE = series(f.keys, WS, PROJECT, ACTIVE);
/** The labels a table row shows to say which key it is. */
const KEY_LABELS: readonly InfoLabel[] = ['name', 'project_id', 'owner_type', 'owner_id', 'token_prefix'];
const BUDGET_LABELS: readonly InfoLabel[] = ['name', 'status', 'project_id'];

/** A per-key value, for active keys that pass the filters, with the labels that name the key. */
const activeKey = (value: string, labels: readonly InfoLabel[] = KEY_LABELS): string => joinInfo(value, labels, INFO_ACTIVE);
/** The same, with the key's project named, for tables a person reads. */
const activeKeyNamed = (value: string, labels: readonly InfoLabel[] = KEY_LABELS): string => named(activeKey(value, labels));
/** A per-key value, for keys of any status that pass the filters. */
const anyKey = (value: string, labels: readonly InfoLabel[]): string => joinInfo(value, labels, INFO_ALL);
/** Active keys that pass the filters and have no series of `family`. */
const activeWithout = (family: string): string => `${INFO_ACTIVE} unless ${ON_KEY} ${family}`;

const expiry = series(f.keyExpiry, WS);
const lastUsed = series(f.keyLastUsed, WS);
const created = series(f.keyCreated, WS);
const expiresIn = `(${expiry} - time())`;
const ageInDays = `(time() - ${created}) / ${DAY}`;

export function overviewDashboard(thresholds: Thresholds): Dashboard {
  const {
    expiryWarningDays: warning,
    expiryCriticalDays: critical,
    unusedDays: unused,
    noExpiryMaxAgeDays: maxAge,
    budgetWarningRatio: budgetWarning,
    budgetCriticalRatio: budgetCritical,
  } = thresholds;
  const tableDays = Math.max(EXPIRY_TABLE_MIN_DAYS, warning);
  const expiringWithin = `${expiresIn} / ${DAY} < ${tableDays} > 0`;

  const summary: Section = {
    title: 'Summary',
    panels: [
      stat('Keys', 'API keys matching the workspace, project and status filters.', `sum(${COUNTS}) or vector(0)`),
      stat('Active keys', 'Keys whose status is active (ignores the status filter).', `sum(${COUNTS_ACTIVE}) or vector(0)`),
      stat(
        `Active, expiring < ${critical} days`,
        `Active keys that expire within ${critical} days (the critical alert window), not yet expired.`,
        `count(${activeKey(`${expiresIn} < ${critical} * ${DAY} > 0`, ['name'])}) or vector(0)`,
        { thresholds: problemCount('red') },
      ),
      stat(
        `Active, expiring < ${warning} days`,
        `Active keys that expire within ${warning} days (the warning alert window), not yet expired.`,
        `count(${activeKey(`${expiresIn} < ${warning} * ${DAY} > 0`, ['name'])}) or vector(0)`,
        { thresholds: problemCount('orange') },
      ),
      stat(
        'Expired but active',
        'Keys past their expiry whose status still says active: orq.ai refuses them at authentication.',
        `count(${activeKey(`${expiry} <= time()`, ['name'])}) or vector(0)`,
        { thresholds: problemCount('red') },
      ),
      stat(
        'Active without expiry',
        'Active keys that never expire.',
        `count(${activeWithout(series(f.keyExpiry))}) or vector(0)`,
        { thresholds: problemCount('orange') },
      ),
      stat(
        `Active, unused ${unused}+ days or never`,
        `Active keys last used more than ${unused} days ago, or never used.`,
        `count(\n  (${activeKey(`time() - ${lastUsed} > ${unused} * ${DAY}`, ['name'])})\n  or (${activeWithout(series(f.keyLastUsed))})\n) or vector(0)`,
        { thresholds: problemCount('orange') },
      ),
      stat(
        'Active legacy JWT keys',
        'Active keys that are legacy JWTs (router, project or workspace) rather than new opaque keys.',
        `sum(${series(f.keys, WS, PROJECT, ACTIVE, LEGACY)}) or vector(0)`,
        { thresholds: problemCount('orange') },
      ),
      stat(
        'Last refresh',
        "Whether the exporter's latest refresh from the orq.ai API succeeded (worst workspace).",
        `min(${series(f.lastRefreshSuccess, WS)})`,
        {
          thresholds: steps(['red', null], ['green', 1]),
          mappings: [{ type: 'value', options: { 0: { text: 'Failing', index: 0 }, 1: { text: 'OK', index: 1 } } }],
        },
      ),
      stat(
        'Last successful refresh',
        'When the exporter last fetched the full key list successfully (oldest workspace).',
        `min(${series(f.lastRefreshSuccessTimestamp, WS)}) * 1000`,
        { unit: 'dateTimeFromNow' },
      ),
      stat(
        'Age of data',
        'Seconds since the snapshot being served was fetched (oldest workspace).',
        `max(${series(f.snapshotAge, WS)})`,
        { unit: 's', thresholds: steps(['green', null], ['orange', DATA_AGE_ORANGE_SECONDS], ['red', DATA_AGE_RED_SECONDS]) },
      ),
      stat(
        'Refresh errors in range',
        "Failed refreshes over the dashboard's time range, all reasons.",
        `sum(increase(${series(f.refreshErrors, WS)}[$__range])) or vector(0)`,
        { thresholds: problemCount('orange') },
      ),
    ],
  };

  const inventory: Section = {
    title: 'Inventory',
    panels: [
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
        'Current number of keys per project, by name; "all" = keys scoped to every project.',
        `sort_desc(\n${named(`sum by (workspace, project_id) (${COUNTS})`)}\n)`,
        '{{project_name}}',
      ),
      timeseries(
        'Keys by status over time',
        'Number of keys per status.',
        [target('A', `sum by (status) (${COUNTS})`, { legend: '{{status}}' })],
        { stack: true },
      ),
      timeseries(
        'Active keys by project over time',
        'Number of active keys per project.',
        [target('A', named(`sum by (workspace, project_id) (${COUNTS_ACTIVE})`), { legend: '{{project_name}}' })],
        { stack: true },
      ),
    ],
  };

  const expirySection: Section = {
    title: 'Expiry',
    panels: [
      table(
        `Active keys expiring within ${tableDays} days`,
        `Soonest first. Red: under ${critical} days (critical alert), orange: under ${warning} days (warning alert), green: later.`,
        [
          target('A', activeKeyNamed(expiringWithin), { table: true }),
          target('B', activeKeyNamed(`${expiry} * 1000 and (${expiringWithin})`), { table: true }),
        ],
        {
          columns: { 'Value #A': 'Days left', 'Value #B': 'Expires at' },
          sortBy: { displayName: 'Days left', desc: false },
          overrides: [daysColumn('Days left', steps(['red', null], ['orange', critical], ['green', warning])), dateColumn('Expires at')],
          w: 24,
          h: 10,
        },
      ),
      table(
        'Expired keys still marked active',
        'orq.ai refuses these at authentication although their status says active. Anything using them is failing.',
        [
          target('A', activeKeyNamed(`(time() - ${expiry}) / ${DAY} >= 0`), { table: true }),
          target('B', activeKeyNamed(`${expiry} * 1000 and ${expiry} <= time()`), { table: true }),
        ],
        {
          columns: { 'Value #A': 'Days since expiry', 'Value #B': 'Expired at' },
          sortBy: { displayName: 'Days since expiry', desc: false },
          overrides: [daysColumn('Days since expiry', steps(['red', null])), dateColumn('Expired at')],
        },
      ),
      table(
        'Active keys without expiry',
        'Oldest first. Keys that never expire are only retired by hand.',
        [target('A', named(joinInfo(ageInDays, KEY_LABELS, `(${activeWithout(series(f.keyExpiry))})`)), { table: true })],
        {
          columns: { Value: 'Age (days)' },
          sortBy: { displayName: 'Age (days)', desc: true },
          overrides: [daysColumn('Age (days)', steps(['green', null], ['orange', maxAge]))],
        },
      ),
    ],
  };

  const usage: Section = {
    title: 'Usage',
    panels: [
      table(
        'Unused active keys',
        `Active keys last used more than ${unused} days ago, and active keys never used (with their age).`,
        [
          target('A', activeKeyNamed(`(time() - ${lastUsed}) / ${DAY} > ${unused}`), { table: true }),
          target('B', named(joinInfo(ageInDays, KEY_LABELS, `(${activeWithout(series(f.keyLastUsed))})`)), { table: true }),
        ],
        {
          columns: { 'Value #A': 'Days since last use', 'Value #B': 'Never used, age (days)' },
          sortBy: { displayName: 'Days since last use', desc: true },
          overrides: [daysColumn('Days since last use'), daysColumn('Never used, age (days)')],
        },
      ),
      table(
        'Active legacy JWT keys',
        'Legacy JWTs still active: replace them with new API keys and revoke them.',
        [target('A', named(series(f.keyInfo, WS, PROJECT, ACTIVE, LEGACY)), { table: true })],
        {
          columns: {},
          sortBy: { displayName: 'Legacy family', desc: false },
          hide: ['Value', 'status', 'project_scope', 'permission_mode'],
        },
      ),
    ],
  };

  const spent = (usage: string, limit: string): string => `${usage} / on (job, instance, workspace, api_key_id, period) (${limit} > 0)`;
  const budgets: Section = {
    title: 'Budgets and rate limits',
    panels: [
      table(
        'Budget spent per active key',
        `Spent this period against the limit, per budget period, from orq.ai's budgets API; highest share first. Orange from ${budgetWarning * 100}%, red from ${budgetCritical * 100}% (the budget alerts).`,
        [
          target('A', named(activeKey(spent(series(f.keyBudgetUsageAmount, WS), series(f.keyBudgetAmount, WS)), BUDGET_LABELS)), { table: true }),
          target('B', named(activeKey(series(f.keyBudgetUsageAmount, WS), BUDGET_LABELS)), { table: true }),
          target('C', named(activeKey(series(f.keyBudgetAmount, WS), BUDGET_LABELS)), { table: true }),
        ],
        {
          columns: { 'Value #A': 'Spent', 'Value #B': 'Spent (USD)', 'Value #C': 'Budget (USD)' },
          sortBy: { displayName: 'Spent', desc: true },
          overrides: [
            column('Spent', [
              { id: 'unit', value: 'percentunit' },
              { id: 'thresholds', value: steps(['green', null], ['orange', budgetWarning], ['red', budgetCritical]) },
              { id: 'color', value: { mode: 'thresholds' } },
              { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
            ]),
            column('Spent (USD)', [{ id: 'unit', value: 'currencyUSD' }]),
            column('Budget (USD)', [{ id: 'unit', value: 'currencyUSD' }]),
          ],
          w: 24,
        },
      ),
      table(
        'Token budget used per active key',
        'Tokens used this period against the token limit, per budget period; highest share first.',
        [
          target('A', named(activeKey(spent(series(f.keyBudgetUsageTokens, WS), series(f.keyBudgetTokenLimit, WS)), BUDGET_LABELS)), { table: true }),
          target('B', named(activeKey(series(f.keyBudgetUsageTokens, WS), BUDGET_LABELS)), { table: true }),
          target('C', named(activeKey(series(f.keyBudgetTokenLimit, WS), BUDGET_LABELS)), { table: true }),
        ],
        {
          columns: { 'Value #A': 'Used', 'Value #B': 'Tokens used', 'Value #C': 'Token limit' },
          sortBy: { displayName: 'Used', desc: true },
          overrides: [
            column('Used', [{ id: 'unit', value: 'percentunit' }]),
            column('Tokens used', [{ id: 'unit', value: 'short' }]),
            column('Token limit', [{ id: 'unit', value: 'short' }]),
          ],
        },
      ),
      table(
        'Requests in the last minute against the rate limit',
        "Requests each key made in the rate limit's 60 s window, against its limit; busiest first.",
        [
          target('A', named(activeKey(`${series(f.keyBudgetUsageRequests, WS)} / on (job, instance, workspace, api_key_id) (${series(f.keyRateLimit, WS)} > 0)`, BUDGET_LABELS)), { table: true }),
          target('B', named(activeKey(series(f.keyBudgetUsageRequests, WS), BUDGET_LABELS)), { table: true }),
        ],
        {
          columns: { 'Value #A': 'Of the limit', 'Value #B': 'Requests / min' },
          sortBy: { displayName: 'Of the limit', desc: true },
          overrides: [column('Of the limit', [{ id: 'unit', value: 'percentunit' }])],
        },
      ),
      table(
        'Budgets per key',
        'Budget amount and token limit per budget period.',
        [
          target('A', anyKey(series(f.keyBudgetAmount, WS), BUDGET_LABELS), { table: true }),
          target('B', anyKey(series(f.keyBudgetTokenLimit, WS), BUDGET_LABELS), { table: true }),
        ],
        {
          columns: { 'Value #A': 'Amount', 'Value #B': 'Token limit' },
          sortBy: { displayName: 'Amount', desc: true },
          overrides: [column('Token limit', [{ id: 'unit', value: 'short' }])],
        },
      ),
      table(
        'Rate limits per key',
        'Requests per minute allowed per key.',
        [target('A', anyKey(series(f.keyRateLimit, WS), BUDGET_LABELS), { table: true })],
        {
          columns: { Value: 'Requests / min' },
          sortBy: { displayName: 'Requests / min', desc: true },
        },
      ),
    ],
  };

  const durationRate = (part: 'sum' | 'count'): string =>
    `sum by (workspace) (rate(${histogram(f.refreshDuration, part, WS)}[$__rate_interval]))`;
  const durationQuantile = (q: number): string =>
    `histogram_quantile(${q}, sum by (workspace, le) (rate(${histogram(f.refreshDuration, 'bucket', WS)}[$__rate_interval])))`;

  const exporter: Section = {
    title: 'Exporter',
    panels: [
      timeseries(
        'Age of data',
        'Age of the served snapshot against the refresh interval; a growing gap means refreshes fail.',
        [
          target('A', `max by (workspace) (${series(f.snapshotAge, WS)})`, { legend: '{{workspace}} age' }),
          target('B', `max by (workspace) (${series(f.refreshInterval, WS)})`, { legend: '{{workspace}} refresh interval' }),
        ],
        { unit: 's', w: 8 },
      ),
      timeseries(
        'Refresh errors by reason',
        'Failed refreshes per reason; auth means the management key was refused.',
        [target('A', `sum by (reason) (increase(${series(f.refreshErrors, WS)}[$__rate_interval]))`, { legend: '{{reason}}' })],
        { w: 8 },
      ),
      timeseries(
        'orq.ai API requests by endpoint and code',
        'Requests per minute to the orq.ai API by endpoint (api_keys, budgets, projects) and HTTP status ("error": no response, "timeout": too late).',
        [target('A', `60 * sum by (endpoint, code) (rate(${series(f.apiRequests, WS)}[$__rate_interval]))`, { legend: '{{endpoint}} {{code}}' })],
        { w: 8 },
      ),
      timeseries(
        'Refresh duration',
        'Wall time of a refresh, all pages and retries.',
        [
          target('A', durationQuantile(0.5), { legend: '{{workspace}} p50' }),
          target('B', durationQuantile(0.95), { legend: '{{workspace}} p95' }),
          target('C', `${durationRate('sum')}\n/ ${durationRate('count')}`, { legend: '{{workspace}} mean' }),
        ],
        { unit: 's', w: 8 },
      ),
      timeseries(
        'Skipped records by reason',
        'Records from the API that could not be turned into a key.',
        [target('A', `sum by (reason) (increase(${series(f.skippedRecords, WS)}[$__rate_interval]))`, { legend: '{{reason}}' })],
        { w: 8 },
      ),
      table(
        'Sources',
        'Whether the last fetch of each source succeeded: the key list, budgets (needs the Budgets permission) and project names.',
        [
          target('A', series(f.sourceUp, WS), { table: true }),
          target('B', `${series(f.sourceLastSuccess, WS)} * 1000`, { table: true }),
        ],
        {
          columns: { 'Value #A': 'Up', 'Value #B': 'Last success', source: 'Source' },
          sortBy: { displayName: 'Up', desc: false },
          overrides: [
            column('Up', [
              { id: 'mappings', value: [{ type: 'value', options: { 0: { text: 'failing', color: 'red', index: 0 }, 1: { text: 'up', color: 'green', index: 1 } } }] },
              { id: 'custom.cellOptions', value: { type: 'color-text' } },
            ]),
            dateColumn('Last success'),
          ],
          w: 8,
        },
      ),
      table(
        "The exporter's own key",
        'The API key each workspace is polled with (from its token) and when it expires: when it does, the exporter goes blind.',
        [
          target('A', joinInfo(`${series(f.ownKey, WS)} * on (job, instance, workspace, api_key_id) group_left () (${expiresIn} / ${DAY})`, ['name', 'status'], series(f.keyInfo, WS)), { table: true }),
        ],
        {
          columns: { Value: 'Days left' },
          sortBy: { displayName: 'Days left', desc: false },
          overrides: [daysColumn('Days left', steps(['red', null], ['orange', critical], ['green', warning]))],
          hide: ['project_id', 'owner_type', 'owner_id', 'token_prefix'],
          w: 16,
        },
      ),
      table(
        'Exporter instances',
        'Version of each exporter Prometheus scrapes.',
        [target('A', series(f.buildInfo), { table: true })],
        { columns: { version: 'Version', revision: 'Revision', nodejs_version: 'Node.js' }, hide: ['Value'], w: 8 },
      ),
    ],
  };

  const info = f.keyInfo.name;
  return dashboard({
    uid: 'orq-api-keys-overview',
    title: 'orq.ai API keys',
    description: 'orq.ai API keys from orq-api-keys-exporter: expiry, status, usage, budgets, rate limits and exporter health.',
    tags: ['orq', 'api-keys', 'prometheus'],
    refresh: '5m',
    time: { from: 'now-7d', to: 'now' },
    variables: [
      labelVariable('workspace', 'Workspace', `label_values(${info}, workspace)`),
      // Names listed, ids selected: Grafana's named capture groups (text, value) on the labels
      // of each series, which query_result prints sorted and unescaped (so the name is taken
      // greedily up to the next label). Projects without a known name show by id, so no key is
      // unreachable when the projects source is off or failing.
      queryResultVariable(
        'project',
        'Project',
        named(`max by (workspace, project_id) (${series(f.keyInfo, WS)})`),
        '/project_id="(?<value>[^"]*)",project_name="(?<text>.*)",workspace="/',
      ),
      labelVariable('status', 'Status', `label_values(${series(f.keyInfo, WS)}, status)`),
    ],
    sections: [summary, inventory, expirySection, usage, budgets, exporter],
  });
}
