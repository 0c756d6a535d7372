/**
 * The legacy-JWT alert against what the exporter really publishes for every spelling of "no
 * legacy family" the three wire variants use: upstream records are parsed and rendered by the
 * exporter's own code, the info series become promtool's input, and the alert must fire for
 * the real legacy keys only. When "unspecified" was read as an unknown family, this alert
 * paged for every new key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Exposition } from '../../src/exposition/exposition.js';
import type { ApiKey } from '../../src/orq/api-key.js';
import { parseApiKey } from '../../src/orq/wire/api-key.js';
import { findBinary, run } from '../support/prometheus.js';

const rulesFile = resolve(dirname(fileURLToPath(import.meta.url)), '../../alerts/orq-api-keys.rules.yml');
const dir = mkdtempSync(join(tmpdir(), 'orq-legacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Upstream records: every zero spelling of the family, and two real legacy keys. */
const zeroSpellings: Array<[string, Record<string, unknown>]> = [
  ['absent', {}],
  ['empty', { legacy_token_family: '' }],
  ['zero', { legacy_token_family: 0 }],
  ['none', { legacy_token_family: 'none' }],
  ['unspecified', { legacy_token_family: 'unspecified' }],
  ['proto-unspecified', { legacy_token_family: 'LEGACY_TOKEN_FAMILY_UNSPECIFIED' }],
  ['proto-none', { legacy_token_family: 'LEGACY_TOKEN_FAMILY_NONE' }],
  ['not-legacy', { is_legacy: false }],
];
const common = { status: 'API_KEY_STATUS_ACTIVE', owner: { user: { user_id: 'u_1' } }, project_scope: { single: { project_id: 'p_web' } } };
const records = [
  ...zeroSpellings.map(([id, fields]) => ({ id, name: id, ...common, ...fields })),
  { id: 'legacy-router', name: 'legacy-router', ...common, is_legacy: true, legacy_token_family: 'LEGACY_TOKEN_FAMILY_ROUTER_JWT' },
  { id: 'legacy-unnamed', name: 'legacy-unnamed', ...common, status: 'active', is_legacy: true, legacy_token_family: 'unspecified' },
];

async function infoSeries(): Promise<string[]> {
  const keys = records.map((r) => {
    const parsed = parseApiKey(r);
    if (!parsed.ok) throw new Error(`record ${r.id} was not parsed`);
    return parsed.key;
  }) satisfies ApiKey[];
  const snapshot = { workspace: 'acme', version: 1, fetchedAt: 0, keys };
  const text = await new Exposition({ snapshots: () => [snapshot], registry: new Registry(), now: () => 0 }).text();
  return text.split('\n').filter((l) => l.startsWith('orq_api_key_info{'));
}

const promtool = findBinary('promtool');
describe.skipIf(promtool.path === undefined)('the legacy-JWT alert and every zero spelling of the family', () => {
  it('fires for the two legacy keys and for none of the new ones', async () => {
    const series = await infoSeries();
    expect(series).toHaveLength(records.length);
    const testFile = join(dir, 'legacy.test.yml');
    writeFileSync(
      testFile,
      stringify({
        rule_files: [rulesFile],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: series.map((line) => ({
              series: line.replace(/ 1$/, '').replace('{', '{job="orq-api-keys-exporter",instance="e:9877",'),
              values: '1x120',
            })),
            alert_rule_test: [
              {
                eval_time: '90m',
                alertname: 'OrqApiKeyLegacyTokenActive',
                exp_alerts: [
                  legacyAlert('legacy-router', 'router_jwt'),
                  legacyAlert('legacy-unnamed', 'unknown'),
                ],
              },
            ],
          },
        ],
      }),
    );
    const result = await run(promtool.path!, ['test', 'rules', testFile], { cwd: dir });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});

function legacyAlert(id: string, family: string): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } {
  return {
    exp_labels: {
      severity: 'warning',
      job: 'orq-api-keys-exporter',
      instance: 'e:9877',
      workspace: 'acme',
      api_key_id: id,
      name: id,
      project_id: 'p_web',
      owner_type: 'user',
      owner_id: 'u_1',
      legacy_token_family: family,
    },
    exp_annotations: {
      summary: `orq.ai API key "${id}" is a legacy ${family} token and still active`,
      description: `Active API key "${id}" (${id}) in workspace acme, project p_web, owned by user u_1, is a legacy token (${family}). Replace it with a new API key and revoke it.`,
    },
  };
}
