import { describe, expect, it } from 'vitest';
import { loadConfig, type Config, type WorkspaceConfig } from '../../src/config.js';
import { diffWorkspaces, restartOnlyChanges } from '../../src/config/reload-diff.js';

const T1 = 'sk-orq-01HAAAAAAAAAAAAAAAAAAAAAAA-one';
const T2 = 'sk-orq-01HBBBBBBBBBBBBBBBBBBBBBBB-two';
const ws = (name: string, extra: Partial<WorkspaceConfig> = {}): WorkspaceConfig => ({ name, token: T1, tokenFile: `/secrets/${name}`, baseUrl: 'https://api.orq.ai', projectId: undefined, ...extra });

describe('diffWorkspaces', () => {
  it('keeps the unchanged, starts the new, stops the gone, in the new order', () => {
    const diff = diffWorkspaces([ws('a'), ws('b'), ws('c')], [ws('c'), ws('d'), ws('a')]);
    expect(diff).toEqual({ kept: [ws('c'), ws('a')], added: [ws('d')], removed: ['b'], replaced: [] });
  });

  it('keeps a workspace whose token file now holds another token: token files are read dynamically', () => {
    const diff = diffWorkspaces([ws('a')], [ws('a', { token: T2 })]);
    expect(diff.kept).toEqual([ws('a', { token: T2 })]);
    expect(diff.replaced).toEqual([]);
  });

  it.each([
    ['its base URL', { baseUrl: 'https://orq.internal.example' }],
    ['its project filter', { projectId: 'proj_1' }],
    ['the file its token comes from', { tokenFile: '/secrets/other' }],
    ['a token given as a value', { tokenFile: undefined, token: T2 }],
  ])('replaces a workspace when %s changed', (_what, change) => {
    const before = _what === 'a token given as a value' ? ws('a', { tokenFile: undefined }) : ws('a');
    const diff = diffWorkspaces([before], [ws('a', change)]);
    expect(diff.replaced).toEqual([ws('a', change)]);
    expect(diff.kept).toEqual([]);
  });
});

describe('restartOnlyChanges', () => {
  const config = (env: Record<string, string>): Config => {
    const result = loadConfig({ env: { ORQ_API_KEY: T1, ...env }, argv: [] });
    if (result.ok !== true) throw new Error(JSON.stringify(result));
    return result.config;
  };

  it('names nothing when only workspaces changed', () => {
    expect(restartOnlyChanges(config({}), config({ ORQ_WORKSPACE: 'other' }))).toEqual([]);
  });

  it('names the settings that only change at a restart', () => {
    expect(restartOnlyChanges(config({}), config({ PORT: '9100', REFRESH_INTERVAL: '5m', WEB_TELEMETRY_PATH: '/m' }))).toEqual(['PORT', 'WEB_TELEMETRY_PATH', 'REFRESH_INTERVAL']);
  });
});
