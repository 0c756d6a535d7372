/**
 * The exporter's own families, part of the metrics contract (families.ts): how refreshes and
 * sources fare, the requests it makes, its configuration reloads, the key it polls with and
 * its build. Kept in a file of their own to keep each under the size a reader takes in.
 */
import { SKIP_REASONS } from '../orq/api-key.js';
import { REFRESH_ERROR_REASONS } from '../orq/errors.js';
import { ENDPOINTS } from '../orq/transport.js';
import type { Family } from './family.js';

/** The sources a workspace is read from (families.ts's SOURCES, which cannot be imported back here). */
const SOURCES = ENDPOINTS;

export const exporterFamilies = {
  lastRefreshSuccess: {
    name: 'orq_exporter_last_refresh_success',
    type: 'gauge',
    help: '1 if the last refresh of API keys from the orq.ai API succeeded, else 0.',
    labels: ['workspace'],
    computed: 'exporter',
    presence: 'always (0 until the first refresh ends)',
  },
  lastRefreshSuccessTimestamp: {
    name: 'orq_exporter_last_refresh_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last successful refresh of API keys (0 before the first).',
    labels: ['workspace'],
    computed: 'exporter',
    presence: 'always',
  },
  lastRefreshTimestamp: {
    name: 'orq_exporter_last_refresh_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time the last refresh of API keys ended, successful or not (0 before the first).',
    labels: ['workspace'],
    computed: 'exporter',
    presence: 'always',
  },
  refreshInterval: {
    name: 'orq_exporter_refresh_interval_seconds',
    type: 'gauge',
    help: 'Configured interval between refreshes of API keys from the orq.ai API.',
    labels: ['workspace'],
    computed: 'exporter',
    presence: 'always',
  },
  refreshDuration: {
    name: 'orq_exporter_refresh_duration_seconds',
    type: 'histogram',
    help: 'Wall time of refreshes of API keys from the orq.ai API, all pages, successful or not.',
    labels: ['workspace'],
    computed: 'exporter',
    presence: 'always',
  },
  refreshErrors: {
    name: 'orq_exporter_refresh_errors_total',
    type: 'counter',
    help: `Failed refreshes of API keys by reason (${REFRESH_ERROR_REASONS.join(', ')}).`,
    labels: ['workspace', 'reason'],
    computed: 'exporter',
    presence: 'always, every reason',
  },
  sourceUp: {
    name: 'orq_exporter_source_up',
    type: 'gauge',
    help: `1 if the last fetch of this source (${SOURCES.join(', ')}) from the orq.ai API succeeded, else 0.`,
    labels: ['workspace', 'source'],
    computed: 'exporter',
    presence: 'each source switched on (0 until its first fetch ends)',
  },
  sourceLastSuccess: {
    name: 'orq_exporter_source_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last successful fetch of this source (0 before the first).',
    labels: ['workspace', 'source'],
    computed: 'exporter',
    presence: 'each source switched on',
  },
  apiRequests: {
    name: 'orq_exporter_api_requests_total',
    type: 'counter',
    help: `Requests made to the orq.ai API by endpoint (${ENDPOINTS.join(', ')}) and HTTP status code ("error" when no response came, "timeout" when it came too late).`,
    labels: ['workspace', 'endpoint', 'code'],
    computed: 'exporter',
    presence: 'each code seen',
  },
  skippedRecords: {
    name: 'orq_exporter_skipped_records_total',
    type: 'counter',
    help: `Records from the orq.ai API that were not exported, by reason (${SKIP_REASONS.join(', ')}).`,
    labels: ['workspace', 'reason'],
    computed: 'exporter',
    presence: 'always, every reason',
  },
  ownKey: {
    name: 'orq_exporter_api_key_info',
    type: 'gauge',
    help: 'Always 1: the API key the exporter polls this workspace with (from its token, sk-orq-<key_id>-<secret>; never any part of the secret), to join with that key\'s own series.',
    labels: ['workspace', 'api_key_id'],
    computed: 'exporter',
    presence: 'workspaces whose token has the form sk-orq-<key_id>-<secret>',
  },
  buildInfo: {
    name: 'orq_exporter_build_info',
    type: 'gauge',
    help: 'Always 1: version of the exporter and of the Node.js runtime it runs on.',
    labels: ['version', 'revision', 'nodejs_version'],
    computed: 'exporter',
    presence: 'always',
  },
  configReloadSuccessful: {
    name: 'orq_exporter_config_last_reload_successful',
    type: 'gauge',
    help: 'Whether the last reload of the configuration (SIGHUP or POST /-/reload) succeeded: 1, or 0 when it was refused and the running configuration kept.',
    labels: [],
    computed: 'exporter',
    presence: 'always (1 at start)',
  },
  configReloadSuccessTimestamp: {
    name: 'orq_exporter_config_last_reload_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last successful configuration load: the start, or the last reload that succeeded.',
    labels: [],
    computed: 'exporter',
    presence: 'always',
  },
} as const satisfies Record<string, Family>;
