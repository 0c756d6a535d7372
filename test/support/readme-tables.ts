/** The README's configuration and metrics tables, rendered from the code that defines them. */
import { SETTINGS, type Setting } from '../../src/config.js';
import { allFamilies } from '../../src/exposition/families.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function settingsTable(): string {
  const rows = (SETTINGS as readonly Setting[]).map(
    (s) => `| \`${s.env}\` | ${s.flags.length > 0 ? s.flags.map((f) => `\`${f}\``).join(', ') : '–'} | ${s.default !== undefined ? `\`${s.default}\`` : '–'} | ${cell(s.description)} |`,
  );
  return ['| Environment | Flag | Default | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function metricsTable(): string {
  const when = { snapshot: 'per refresh', scrape: 'at scrape', exporter: 'exporter' } as const;
  const rows = allFamilies.map(
    (f) =>
      `| \`${f.name}\` | ${f.type} | ${f.labels.length > 0 ? f.labels.map((l) => `\`${l}\``).join(', ') : '–'} | ${cell(f.presence)} | ${when[f.computed]} | ${cell(f.help)} |`,
  );
  return ['| Metric | Type | Labels | Series exist for | Computed | Help |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
