import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createHealthMetrics } from '../../src/exposition/health.js';

function make() {
  const registry = new Registry();
  const health = createHealthMetrics({ registry, workspaces: ['kept', 'gone'], refreshIntervalSeconds: 60, build: { version: 't', revision: 't' }, processMetrics: false, now: () => 1_700_000_000_000 });
  return { registry, health };
}

describe('health metrics across reloads', () => {
  it('forgets every series of a removed workspace and nothing of the others', async () => {
    const { registry, health } = make();
    for (const workspace of ['kept', 'gone']) {
      health.recordRefresh({ workspace, ok: true, durationSeconds: 1, endedAt: 100 });
      health.recordSource(workspace, 'api_keys', true, 100);
      health.recordApiRequest(workspace, 'api_keys', '200');
      health.recordApiRequest(workspace, 'budgets', '403');
      health.recordOwnKey(workspace, `01H${workspace.toUpperCase()}`);
    }
    health.forget('gone');
    const text = await registry.metrics();
    expect(text).not.toContain('workspace="gone"');
    expect(text).toContain('orq_exporter_api_requests_total{workspace="kept",endpoint="budgets",code="403"} 1');
    expect(text).toContain('orq_exporter_api_key_info{workspace="kept",api_key_id="01HKEPT"} 1');
    expect(text).toContain('orq_exporter_last_refresh_success{workspace="kept"} 1');
  });

  it('gives an added workspace every series at once, as at start', async () => {
    const { registry, health } = make();
    health.addWorkspace('new');
    const text = await registry.metrics();
    expect(text).toContain('orq_exporter_last_refresh_success{workspace="new"} 0');
    expect(text).toContain('orq_exporter_refresh_errors_total{workspace="new",reason="auth"} 0');
    expect(text).toContain('orq_exporter_source_up{workspace="new",source="api_keys"} 0');
  });

  it('says whether the last reload succeeded, and when the configuration was last loaded', async () => {
    const { registry, health } = make();
    expect(await registry.metrics()).toContain('orq_exporter_config_last_reload_successful 1\n');
    expect(await registry.metrics()).toContain('orq_exporter_config_last_reload_success_timestamp_seconds 1700000000\n');
    health.recordReload(false, 1_700_000_100);
    expect(await registry.metrics()).toContain('orq_exporter_config_last_reload_successful 0\n');
    expect(await registry.metrics()).toContain('orq_exporter_config_last_reload_success_timestamp_seconds 1700000000\n');
    health.recordReload(true, 1_700_000_200);
    expect(await registry.metrics()).toContain('orq_exporter_config_last_reload_successful 1\n');
    expect(await registry.metrics()).toContain('orq_exporter_config_last_reload_success_timestamp_seconds 1700000200\n');
  });
});
