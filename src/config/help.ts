/** `--help`: every setting from the table, its flags, variable, meaning and default. */
import { SETTINGS, type Setting } from './settings.js';
import { MAX_DURATION_TEXT } from './values.js';

export interface HelpOptions {
  /** More lines after the settings (the demo's own). */
  readonly extra?: readonly string[];
}

export function helpText(program: string, options: HelpOptions = {}): string {
  const settings: readonly Setting[] = SETTINGS;
  const flags = (s: Setting): string => s.flags.join(', ');
  const width = Math.max(...settings.map((s) => flags(s).length), '--version'.length) + 2;
  const lines = [
    `Usage: ${program} [flags]`,
    '',
    'Prometheus exporter for orq.ai API keys. Every flag has an environment variable; a flag wins.',
    `Durations are written 30s, 2m, 1h30m (at most ${MAX_DURATION_TEXT}); booleans true or false (or 1 or 0).`,
    '',
  ];
  for (const s of settings) {
    const def = s.default !== undefined ? ` (default ${s.default})` : '';
    lines.push(`  ${flags(s).padEnd(width)}${s.env}: ${s.description.replace(/`/g, '')}${def}`);
  }
  lines.push(`  ${'--help, -h'.padEnd(width)}Show this help.`, `  ${'--version'.padEnd(width)}Print the version.`);
  if (options.extra !== undefined) lines.push('', ...options.extra);
  return `${lines.join('\n')}\n`;
}
