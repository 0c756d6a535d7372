/**
 * The metrics contract as a table: what must hold of every row for Prometheus to accept the
 * family and for its users to read it the usual way. Which families a render writes, and how,
 * is exposition.test.ts's; that the README's table matches this one is readme.test.ts's; what is
 * particular to the exporter's own families is exporter-families.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { allFamilies, COUNT_LABELS, families, INFO_LABELS, type Family } from '../../src/exposition/families.js';

// The text format's grammar for names; label names may not contain a colon.
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels a histogram writes itself: a family label of that name would clash. */
const HISTOGRAM_LABELS = ['le'];
/** Series names a histogram writes besides its own. */
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

const named = (f: Family): [string, Family] => [f.name, f];

describe('every family', () => {
  it('is in allFamilies once, under a name of its own', () => {
    expect(allFamilies).toEqual(Object.values(families));
    const names = allFamilies.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(allFamilies.map(named))('%s has a valid name in the orq_ namespace, and a HELP text', (name, f) => {
    expect(name).toMatch(METRIC_NAME);
    // Lowercase words joined by single underscores, as Prometheus's naming guide has it.
    expect(name).toMatch(/^orq_[a-z0-9]+(_[a-z0-9]+)*$/);
    expect(f.help.trim().length).toBeGreaterThan(10);
    expect(f.help).toBe(f.help.trim());
    expect(f.presence.trim()).not.toBe('');
  });

  it.each(allFamilies.map(named))('%s has valid, distinct label names, none reserved', (_name, f) => {
    for (const label of f.labels) {
      expect(label).toMatch(LABEL_NAME);
      // `__` names are Prometheus's own (__name__, __address__ …).
      expect(label.startsWith('__')).toBe(false);
      if (f.type === 'histogram') expect(HISTOGRAM_LABELS).not.toContain(label);
    }
    expect(new Set(f.labels).size).toBe(f.labels.length);
  });

  it.each(allFamilies.map(named))('%s follows the suffix conventions of its type and unit', (name, f) => {
    // Counters, and only counters, end in _total.
    expect(name.endsWith('_total')).toBe(f.type === 'counter');
    // Times are Unix seconds, named so; an info family is a gauge of 1.
    if (name.includes('timestamp')) expect(name).toMatch(/_timestamp_seconds$/);
    if (name.endsWith('_info')) {
      expect(f.type).toBe('gauge');
      expect(f.help).toMatch(/^Always 1: /);
    }
    if (name.endsWith('_ratio')) expect(f.help).toMatch(/ratio/);
    // A histogram's own series must not collide with another family's name.
    if (f.type === 'histogram') {
      for (const suffix of HISTOGRAM_SUFFIXES) expect(allFamilies.map((g) => g.name)).not.toContain(`${name}${suffix}`);
    }
  });

  it('carries the workspace label, first, except the build info and the reload status, which are the process\'s', () => {
    const processWide: readonly Family[] = [families.buildInfo, families.configReloadSuccessful, families.configReloadSuccessTimestamp];
    for (const f of allFamilies) {
      if (processWide.includes(f)) expect(f.labels).not.toContain('workspace');
      else expect(f.labels[0], f.name).toBe('workspace');
    }
  });

  it('is per key exactly when its name is orq_api_key_*: those carry api_key_id right after workspace', () => {
    for (const f of allFamilies) {
      const perKey = f.name.startsWith('orq_api_key_');
      expect(f.labels[1] === 'api_key_id' || f === families.ownKey, f.name).toBe(perKey || f === families.ownKey);
    }
  });

  it('says in its HELP when it is computed at scrape, and only the gauges are', () => {
    for (const f of allFamilies.filter((g) => g.computed === 'scrape')) {
      expect(f.type).toBe('gauge');
      expect(f.help, f.name).toMatch(/computed at scrape/);
    }
    for (const f of allFamilies.filter((g) => g.computed === 'snapshot')) expect(f.help, f.name).toMatch(/refreshed on an interval/);
  });
});

describe('label sets', () => {
  it('put the descriptive labels of a key on its info family only: its other families join on workspace and api_key_id', () => {
    expect(INFO_LABELS.slice(0, 2)).toEqual(['workspace', 'api_key_id']);
    const descriptive = INFO_LABELS.slice(2);
    // orq_api_keys counts by some of them, which is its point; orq_project_info is joined on project_id.
    for (const f of allFamilies.filter((g) => g.labels[1] === 'api_key_id' && g !== families.keyInfo)) {
      for (const label of descriptive) expect(f.labels, f.name).not.toContain(label);
    }
  });

  it('count keys by labels the info family also has, so a count can be joined back', () => {
    expect(families.keys.labels).toEqual(COUNT_LABELS);
    for (const label of COUNT_LABELS) expect(INFO_LABELS).toContain(label);
  });
});
