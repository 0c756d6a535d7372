/**
 * The text format's small print, on its own: label values escaped so that a Prometheus parser
 * reads back exactly what upstream sent, numbers spelled as String() does except where the
 * format wants its own words (NaN, +Inf, -Inf), and family headers with HELP escaped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/exposition/families.js';
import { escapeLabelValue, familyHeader, formatValue, labelSet } from '../../src/exposition/text.js';

const SEED = 20_260_603;

/** A label value as Prometheus's text parser reads it: `\\`, `\"` and `\n` are the only escapes. */
function unescapeLabelValue(escaped: string): string {
  return escaped.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c));
}

// Any UTF-16 code unit, lone surrogates included: what JSON.parse can hand back from "\ud800".
const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const special = fc.constantFrom('\\', '"', '\n', '\\n', '\\"', 'a', '\r', '}');
const labelValue = fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit: special, maxLength: 20 }));

describe('escapeLabelValue', () => {
  it('is read back by the text format exactly as given, and stays one quoted value', () => {
    fc.assert(
      fc.property(labelValue, (value) => {
        const escaped = escapeLabelValue(value);
        expect(unescapeLabelValue(escaped)).toBe(value);
        expect(escaped).not.toContain('\n');
        // Every quote is escaped: the value cannot end early and start a label of its own.
        expect(escaped.replace(/\\./gs, '')).not.toMatch(/["\\]/);
      }),
      { seed: SEED, numRuns: 5_000 },
    );
  });

  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    // Already-escaped-looking text is escaped again, not trusted.
    ['\\n', '\\\\n'],
    ['\\"', '\\\\\\"'],
    // A carriage return and tab are legal in a label value as they are.
    ['a\rb\tc', 'a\rb\tc'],
    ['', ''],
  ])('%j is %j', (value, escaped) => {
    expect(escapeLabelValue(value)).toBe(escaped);
  });
});

describe('formatValue', () => {
  it('spells every finite double as String(x)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => formatValue(x) === String(x)),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [-0, '0'],
    [Number.MIN_VALUE, '5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [1e21, '1e+21'],
  ])('%s is %s: the non-finite ones as Prometheus spells them, not as String() does', (x, text) => {
    expect(formatValue(x)).toBe(text);
  });
});

const family = (help: string): Family => ({ name: 'orq_x_total', type: 'counter', help, labels: [], computed: 'exporter', presence: 'always' });

describe('familyHeader', () => {
  it('is a HELP line and a TYPE line for the family', () => {
    expect(familyHeader(family('Things that happened.'))).toBe('# HELP orq_x_total Things that happened.\n# TYPE orq_x_total counter\n');
  });

  it('escapes backslashes and newlines in HELP, and only those (quotes stay as they are)', () => {
    expect(familyHeader(family('a\\b\nc "d"'))).toBe('# HELP orq_x_total a\\\\b\\nc "d"\n# TYPE orq_x_total counter\n');
  });
});

describe('labelSet', () => {
  it('pairs names and values in order, values escaped', () => {
    expect(labelSet(['a', 'b', 'c'], ['x', 'say "hi"\n', 'back\\slash'])).toBe('{a="x",b="say \\"hi\\"\\n",c="back\\\\slash"}');
  });

  it('gives an empty value to a name without one, and {} for no names', () => {
    expect(labelSet(['a', 'b'], ['x'])).toBe('{a="x",b=""}');
    expect(labelSet([], [])).toBe('{}');
  });
});
