/**
 * The enum tables of a key record. Their values go into label values unescaped (prepare.ts
 * writes them as they are) and are documented in the README: both hold only while every value
 * is a plain lowercase word the README names. Which wire spelling maps to which value is
 * wire/enums.test.ts's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeLabelValue } from '../../src/exposition/text.js';
import {
  ALL_PROJECTS,
  BUDGET_PERIODS,
  KEY_STATUSES,
  LEGACY_TOKEN_FAMILIES,
  OWNER_TYPES,
  PERMISSION_MODES,
  PROJECT_SCOPES,
  SKIP_REASONS,
} from '../../src/orq/api-key.js';

const TABLES = { KEY_STATUSES, PERMISSION_MODES, BUDGET_PERIODS, LEGACY_TOKEN_FAMILIES, OWNER_TYPES, PROJECT_SCOPES } as const;
const README = readFileSync('README.md', 'utf8');
/** The README paragraph that names the enum label values. */
const ENUM_PARAGRAPH = /Enum\s+labels use the lowercase names[\s\S]*?\n\n/.exec(README)?.[0] ?? '';
const words = (text: string): string[] => [...text.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);

describe('the enum tables', () => {
  it.each(Object.entries(TABLES))('%s holds distinct plain words, which need no escaping in a label, and never "unknown"', (_name, table) => {
    for (const value of table) {
      expect(value).toMatch(/^[a-z][a-z_]*$/);
      expect(escapeLabelValue(value)).toBe(value);
    }
    expect(new Set(table).size).toBe(table.length);
    // `unknown` is what any other value becomes: a table holding it would make the two alike.
    expect(table).not.toContain('unknown');
  });

  it.each(Object.entries(TABLES))('%s starts with its zero value, the one an absent field takes', (name, table) => {
    expect(table[0]).toBe(name === 'LEGACY_TOKEN_FAMILIES' ? 'none' : 'unspecified');
  });
});

describe('the README', () => {
  it('names every status, owner type and legacy token family the exporter exports', () => {
    expect(ENUM_PARAGRAPH).not.toBe('');
    const named = words(ENUM_PARAGRAPH);
    for (const value of [...KEY_STATUSES, ...OWNER_TYPES.filter((v) => v !== 'unspecified'), ...LEGACY_TOKEN_FAMILIES, 'unknown']) {
      expect(named, value).toContain(value);
    }
  });

  it('gives the first and last budget period of the table', () => {
    expect(ENUM_PARAGRAPH).toContain(`\`${BUDGET_PERIODS[1]}\` … \`${BUDGET_PERIODS.at(-1)}\``);
  });

  it('says project_id="all" marks keys scoped to every project', () => {
    expect(ENUM_PARAGRAPH).toContain(`\`project_id="${ALL_PROJECTS}"\``);
  });

  it('lists exactly the skip reasons, in order', () => {
    const paragraph = /`orq_exporter_skipped_records_total\{reason\}` counts records[^.]*\./.exec(README)?.[0] ?? '';
    expect(words(paragraph)).toEqual([...SKIP_REASONS]);
  });
});
