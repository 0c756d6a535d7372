/** `--help`: every setting from the table, laid out so a reader can scan it. */
import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/config/help.js';
import { SETTINGS, type Setting } from '../../src/config/settings.js';
import { MAX_DURATION_TEXT } from '../../src/config/values.js';

describe('helpText', () => {
  it('lists every setting with all its flags and its default', () => {
    const text = helpText('exporter');
    for (const s of SETTINGS as readonly Setting[]) {
      const line = text.split('\n').find((l) => l.includes(`${s.env}: `));
      expect(line, s.env).toBeDefined();
      expect(line!.trimStart().startsWith(s.flags.join(', '))).toBe(true);
      if (s.default !== undefined) expect(line).toContain(`(default ${s.default})`);
    }
  });

  it('lists the exporter-toolkit spellings', () => {
    const text = helpText('exporter');
    for (const flag of ['--web.listen-address', '--web.telemetry-path', '--web.config.file', '--web.enable-lifecycle', '--log.level']) {
      expect(text).toContain(flag);
    }
  });

  it('adds the lines it is given after the settings', () => {
    expect(helpText('demo', { extra: ['DEMO_KEYS  keys'] })).toMatch(/--version +Print the version\.\n\nDEMO_KEYS {2}keys\n$/);
  });

  it('starts with the usage of the program it is given, and says how durations and booleans are written', () => {
    const lines = helpText('orq-api-keys-exporter').split('\n');
    expect(lines[0]).toBe('Usage: orq-api-keys-exporter [flags]');
    expect(lines.join('\n')).toContain(`at most ${MAX_DURATION_TEXT}`);
    expect(lines.join('\n')).toContain('booleans true or false (or 1 or 0)');
  });

  it('lines the meanings up in one column, after the longest flags, and ends with --help and --version', () => {
    const text = helpText('exporter');
    const entries = text.split('\n').filter((l) => l.startsWith('  '));
    expect(entries).toHaveLength(SETTINGS.length + 2);
    // Where each meaning starts (the variable, or what --help and --version do): one column.
    const starts = [...(SETTINGS as readonly Setting[]).map((s) => entries.find((l) => l.includes(`${s.env}: `))!.indexOf(`${s.env}: `)), entries.at(-2)!.indexOf('Show'), entries.at(-1)!.indexOf('Print')];
    expect(new Set(starts).size).toBe(1);
    // Two spaces at least after the longest flags.
    const longest = Math.max(...(SETTINGS as readonly Setting[]).map((s) => s.flags.join(', ').length));
    expect(starts[0]).toBeGreaterThanOrEqual(2 + longest + 2);
    expect(entries.at(-2)).toMatch(/^ {2}--help, -h +Show this help\.$/);
    expect(entries.at(-1)).toMatch(/^ {2}--version +Print the version\.$/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('gives a setting without flags (the token itself) its variable alone, and strips Markdown backticks', () => {
    const text = helpText('exporter');
    expect(text).toMatch(/^ {2} +ORQ_API_KEY: Workspace management key/m);
    expect(text).not.toContain('`');
  });
});
