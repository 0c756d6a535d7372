/**
 * The table every setting is declared in, once: what must hold of its rows for the loader,
 * --help and the README to be made from it. That each default is a value the loader accepts
 * is config.test.ts's; how --help lays the rows out is help.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { LISTEN_FLAG, REFUSED_FLAGS, SETTINGS, setting, type Setting, type SettingName } from '../../src/config/settings.js';
import { LOG_LEVELS } from '../../src/log.js';
import { MAX_WORKSPACES } from '../../src/config/workspaces-file.js';

const rows = SETTINGS as readonly Setting[];

describe('SETTINGS', () => {
  it('names each setting once, as an environment variable is written', () => {
    const names = rows.map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it('gives each flag to one setting, but the listen flag, which sets the address and the port in one', () => {
    const owners = new Map<string, string[]>();
    for (const s of rows) for (const flag of s.flags) owners.set(flag, [...(owners.get(flag) ?? []), s.env]);
    for (const [flag, envs] of owners) {
      expect(flag).toMatch(/^--[a-z][a-z0-9.-]*$/);
      expect(envs, flag).toEqual(flag === LISTEN_FLAG ? ['LISTEN_ADDRESS', 'PORT'] : [envs[0]]);
    }
  });

  it('has no flag for the token itself, and refuses the one a user would guess, with why', () => {
    expect(setting('ORQ_API_KEY').flags).toEqual([]);
    const flags = new Set(rows.flatMap((s) => s.flags));
    for (const [flag, why] of Object.entries(REFUSED_FLAGS)) {
      expect(flags.has(flag), flag).toBe(false);
      expect(why).toMatch(/process listings/);
    }
    expect(Object.keys(REFUSED_FLAGS)).toContain('--orq-api-key');
  });

  it('gives a boolean setting a default of true or false', () => {
    const booleans = rows.filter((s) => s.type === 'boolean');
    expect(booleans.map((s) => s.env)).toEqual(['ORQ_FETCH_BUDGETS', 'ORQ_FETCH_PROJECTS', 'WEB_ENABLE_LIFECYCLE']);
    for (const s of booleans) expect(['true', 'false']).toContain(s.default);
  });

  it('defaults the log level to one of the levels it lists, and lists them in its description', () => {
    expect(LOG_LEVELS).toContain(setting('LOG_LEVEL').default);
    expect(setting('LOG_LEVEL').description).toContain(LOG_LEVELS.join(', '));
  });

  it('says in a sentence what each setting means, and the workspaces file its cap', () => {
    for (const s of rows) expect(s.description, s.env).toMatch(/^[A-Z`].*\.$/);
    expect(setting('ORQ_WORKSPACES_FILE').description).toContain(`at most ${MAX_WORKSPACES} workspaces`);
  });

  it('finds a row by its name', () => {
    for (const s of rows) expect(setting(s.env as SettingName)).toBe(s);
  });
});
