/**
 * The README's tables are the documentation of the public contract: they must match the code.
 * `UPDATE_README=1 npx vitest run test/readme.test.ts` rewrites them from the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricsTable, settingsTable } from './support/readme-tables.js';

const README = 'README.md';

function section(text: string, name: string): { start: number; end: number } {
  const open = `<!-- ${name}:start -->\n`;
  const close = `\n<!-- ${name}:end -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start === -1 || end === -1) throw new Error(`README.md lacks the ${name} markers`);
  return { start: start + open.length, end };
}

const tables = { settings: settingsTable(), metrics: metricsTable() };

describe('README', () => {
  if (process.env['UPDATE_README'] === '1') {
    let text = readFileSync(README, 'utf8');
    for (const [name, table] of Object.entries(tables)) {
      const { start, end } = section(text, name);
      text = text.slice(0, start) + table + text.slice(end);
    }
    writeFileSync(README, text);
  }

  it.each(Object.entries(tables))('has the %s table the code defines', (name, table) => {
    const text = readFileSync(README, 'utf8');
    const { start, end } = section(text, name);
    expect(text.slice(start, end)).toBe(table);
  });

  it('has the performance section the last benchmark run wrote', () => {
    const text = readFileSync(README, 'utf8');
    const { start, end } = section(text, 'performance');
    expect(text.slice(start, end)).toBe(readFileSync('bench/README-section.md', 'utf8').trim());
  });

  it('gives the two set-up commands', () => {
    const text = readFileSync(README, 'utf8');
    expect(text).toContain('npm ci && npm run demo');
    expect(text).toContain('npm ci && npm test');
  });

  it('runs in CI the test commands it gives, all of them and in order', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toMatch(/^npm test$/m);
    const given = /^npm ci && (npm test.*)$/m.exec(readFileSync(README, 'utf8'))?.[1]?.split(' && ');
    expect(given).toEqual(ci.split('\n').filter((line) => /^npm (test|run test:)/.test(line)));
  });
});
