/**
 * Where each setting's text comes from, through readSources itself. The values the loader
 * makes of them (flag over environment for every setting, the listen-address forms it
 * refuses) are config.test.ts's and listen.test.ts's; here is what the sources answer.
 */
import { describe, expect, it } from 'vitest';
import { SETTINGS, type Setting } from '../../src/config/settings.js';
import { readSources, settingFlagTable, splitHostPort, type SettingSources } from '../../src/config/sources.js';

function sources(env: Record<string, string>, argv: string[] = []): SettingSources {
  const result = readSources(env, argv);
  if (result.kind !== 'sources') throw new Error(`expected sources, got ${JSON.stringify(result)}`);
  return result.sources;
}

describe('readSources', () => {
  it('gives what the user set, trimmed; an empty or blank value counts as unset', () => {
    const s = sources({ ORQ_WORKSPACE: '  acme  ', ORQ_PROJECT_ID: '', LOG_LEVEL: '   ' });
    expect(s.given('ORQ_WORKSPACE')).toBe('acme');
    expect(s.isSet('ORQ_WORKSPACE')).toBe(true);
    for (const name of ['ORQ_PROJECT_ID', 'LOG_LEVEL'] as const) {
      expect(s.given(name)).toBeUndefined();
      expect(s.isSet(name)).toBe(false);
    }
  });

  it('falls back to the default for raw, and to nothing for a setting without one', () => {
    const s = sources({ LOG_LEVEL: '' });
    expect(s.raw('LOG_LEVEL')).toBe('info');
    expect(s.raw('ORQ_PROJECT_ID')).toBeUndefined();
  });

  it('labels a setting with the flag spelling the user used, else its variable', () => {
    const s = sources({ LOG_LEVEL: 'warn', PORT: '1' }, ['--log.level=debug']);
    expect(s.given('LOG_LEVEL')).toBe('debug');
    expect(s.label('LOG_LEVEL')).toBe('--log.level');
    expect(s.label('PORT')).toBe('PORT');
    expect(sources({}, ['--log-level', 'debug']).label('LOG_LEVEL')).toBe('--log-level');
  });

  it('lets a blank flag unset a setting the environment sets', () => {
    // The flag wins even when it says nothing: `--orq-project-id=` clears a project filter.
    const s = sources({ ORQ_PROJECT_ID: 'proj_1' }, ['--orq-project-id=']);
    expect(s.given('ORQ_PROJECT_ID')).toBeUndefined();
  });

  it('reads a boolean flag alone as true', () => {
    expect(sources({ WEB_ENABLE_LIFECYCLE: 'false' }, ['--web.enable-lifecycle']).given('WEB_ENABLE_LIFECYCLE')).toBe('true');
  });
});

describe('settingFlagTable', () => {
  it('has every flag of every setting, without its dashes, typed boolean for boolean settings only', () => {
    const table = settingFlagTable();
    const expected = (SETTINGS as readonly Setting[]).flatMap((s) => s.flags.map((f) => [f.slice(2), s.type === 'boolean' ? 'boolean' : 'string'] as const));
    expect(Object.entries(table).map(([flag, spec]) => [flag, spec.type])).toEqual(expect.arrayContaining(expected.map(([f, t]) => [f, t])));
    expect(Object.keys(table).sort()).toEqual([...new Set(expected.map(([f]) => f))].sort());
  });
});

describe('splitHostPort', () => {
  it.each([
    ['127.0.0.1:9877', { host: '127.0.0.1', port: '9877' }],
    [':9877', { host: '', port: '9877' }],
    ['[::1]:9877', { host: '[::1]', port: '9877' }],
    ['[fe80::1%eth0]:1', { host: '[fe80::1%eth0]', port: '1' }],
    ['  exporter.local:x  ', { host: 'exporter.local', port: 'x' }],
  ])('%j is %j: an IPv6 host keeps its brackets, for the address check to see them', (text, parts) => {
    expect(splitHostPort(text)).toEqual(parts);
  });
});
