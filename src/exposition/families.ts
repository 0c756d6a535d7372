/**
 * The metrics contract: every metric name, type, label set and HELP text the exporter
 * publishes. Dashboards, alert rules and the README's metrics table depend on these names;
 * a rename here is a breaking change for every user.
 */
import { ENDPOINTS } from '../orq/transport.js';
import { exporterFamilies } from './exporter-families.js';
import type { Family } from './family.js';

export type { Computed, Family, MetricType } from './family.js';

const CACHED = 'Cached from the orq.ai API, refreshed on an interval.';
const KEY = ['workspace', 'api_key_id'] as const;

/** The sources a workspace is read from, each with its own health: the `source` label. */
export const SOURCES = ENDPOINTS;

export const INFO_LABELS = [
  'workspace',
  'api_key_id',
  'name',
  'status',
  'owner_type',
  'owner_id',
  'project_scope',
  'project_id',
  'permission_mode',
  'legacy_token_family',
  'token_prefix',
] as const;

export const COUNT_LABELS = [
  'workspace',
  'status',
  'project_id',
  'owner_type',
  'legacy_token_family',
] as const;

export const families = {
  keyInfo: {
    name: 'orq_api_key_info',
    type: 'gauge',
    help: `Always 1: one series per API key, with its descriptive labels. ${CACHED}`,
    labels: INFO_LABELS,
    computed: 'snapshot',
    presence: 'every key',
  },
  keyCreated: {
    name: 'orq_api_key_created_timestamp_seconds',
    type: 'gauge',
    help: `Unix time the API key was created. ${CACHED}`,
    labels: KEY,
    computed: 'snapshot',
    presence: 'keys with a creation time',
  },
  keyExpiry: {
    name: 'orq_api_key_expiry_timestamp_seconds',
    type: 'gauge',
    help: `Unix time the API key expires. ${CACHED}`,
    labels: KEY,
    computed: 'snapshot',
    presence: 'keys with an expiry',
  },
  keyBudgetAmount: {
    name: 'orq_api_key_budget_amount',
    type: 'gauge',
    help: `Budget amount of the API key per budget period. ${CACHED}`,
    labels: [...KEY, 'period'],
    computed: 'snapshot',
    presence: 'keys with a budget amount',
  },
  keyBudgetTokenLimit: {
    name: 'orq_api_key_budget_token_limit',
    type: 'gauge',
    help: `Token limit of the API key per budget period. ${CACHED}`,
    labels: [...KEY, 'period'],
    computed: 'snapshot',
    presence: 'keys with a budget token limit',
  },
  keyBudgetUsageAmount: {
    name: 'orq_api_key_budget_usage_amount',
    type: 'gauge',
    help: `Spent this budget period by the API key, in the budget's currency (USD), from orq.ai's budgets API. ${CACHED}`,
    labels: [...KEY, 'period'],
    computed: 'snapshot',
    presence: 'keys with a budget in /v2/budgets that reports spending',
  },
  keyBudgetUsageTokens: {
    name: 'orq_api_key_budget_usage_tokens',
    type: 'gauge',
    help: `Tokens used this budget period by the API key, from orq.ai's budgets API. ${CACHED}`,
    labels: [...KEY, 'period'],
    computed: 'snapshot',
    presence: 'keys with a budget in /v2/budgets that reports tokens',
  },
  keyBudgetUsageRequests: {
    name: 'orq_api_key_budget_usage_requests',
    type: 'gauge',
    help: `Requests by the API key in the last 60 seconds (the rate limit's window), from orq.ai's budgets API. ${CACHED}`,
    labels: KEY,
    computed: 'snapshot',
    presence: 'keys with a budget in /v2/budgets that reports requests',
  },
  keyBudgetAlertThreshold: {
    name: 'orq_api_key_budget_alert_threshold_ratio',
    type: 'gauge',
    help: `The lowest budget-alert threshold set in orq.ai for the key's budget, as a ratio of the limit (0.8 for 80%), per dimension (cost, tokens). ${CACHED}`,
    labels: [...KEY, 'period', 'dimension'],
    computed: 'snapshot',
    presence: 'keys whose budget has alerts configured in orq.ai',
  },
  keyRateLimit: {
    name: 'orq_api_key_rate_limit_requests_per_minute',
    type: 'gauge',
    help: `Rate limit of the API key in requests per minute. ${CACHED}`,
    labels: KEY,
    computed: 'snapshot',
    presence: 'keys with a rate limit',
  },
  keyLastUsed: {
    name: 'orq_api_key_last_used_timestamp_seconds',
    type: 'gauge',
    help: `Unix time the API key was last used (minutes-accurate upstream). ${CACHED}`,
    labels: KEY,
    computed: 'snapshot',
    presence: 'keys that were used',
  },
  projectInfo: {
    name: 'orq_project_info',
    type: 'gauge',
    help: `Always 1: one series per project of the workspace, with its name; join on project_id to name the projects of key series. ${CACHED}`,
    labels: ['workspace', 'project_id', 'project_name', 'archived'],
    computed: 'snapshot',
    presence: 'every project, with or without keys',
  },
  keys: {
    name: 'orq_api_keys',
    type: 'gauge',
    help: `Number of API keys by status, project, owner type and legacy token family. ${CACHED}`,
    labels: COUNT_LABELS,
    computed: 'snapshot',
    presence: 'each combination that exists',
  },
  keyDaysToExpiry: {
    name: 'orq_api_key_days_to_expiry',
    type: 'gauge',
    help: `Days until the API key expires, fractional, negative once past; computed at scrape from cached data refreshed on an interval.`,
    labels: KEY,
    computed: 'scrape',
    presence: 'keys with an expiry',
  },
  keyExpired: {
    name: 'orq_api_key_expired',
    type: 'gauge',
    help: `1 if the API key is past its expiry, else 0; computed at scrape from cached data refreshed on an interval.`,
    labels: KEY,
    computed: 'scrape',
    presence: 'keys with an expiry',
  },
  keySecondsSinceLastUse: {
    name: 'orq_api_key_seconds_since_last_use',
    type: 'gauge',
    help: `Seconds since the API key was last used; computed at scrape from cached data refreshed on an interval.`,
    labels: KEY,
    computed: 'scrape',
    presence: 'keys that were used',
  },
  snapshotAge: {
    name: 'orq_exporter_snapshot_age_seconds',
    type: 'gauge',
    help: 'Seconds since the served snapshot of API keys was fetched; computed at scrape.',
    labels: ['workspace'],
    computed: 'scrape',
    presence: 'after the first successful refresh',
  },
  ...exporterFamilies,
} as const satisfies Record<string, Family>;

export type FamilyId = keyof typeof families;
export const allFamilies: readonly Family[] = Object.values(families);
