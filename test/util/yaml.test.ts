import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/util/yaml.js';

/** Nine times as many references at each level: about 9^6 nodes once expanded. */
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  '',
].join('\n');

describe('parseYaml', () => {
  it('reads plain mappings, lists, strings and numbers, and a few aliases', () => {
    expect(parseYaml('a: 1\nb: [x, "y"]\nc: &c {d: true}\ne: *c\n')).toEqual({
      ok: true,
      value: { a: 1, b: ['x', 'y'], c: { d: true }, e: { d: true } },
    });
  });

  it('refuses an alias bomb in one line instead of expanding it', () => {
    const result = parseYaml(ALIAS_BOMB);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatch(/^not valid YAML: Excessive alias count/);
    }
  });

  it.each([
    ['a: !foo 1\n', '!foo'],
    ['a: !!binary aGVsbG8=\n', '!!binary'],
    ['a: !!set {x, y}\n', '!!set'],
    ['a: !!timestamp 2001-12-14\n', '!!timestamp'],
    ['a: !<tag:example.com,2024:x> 1\n', 'tag:example.com,2024:x'],
  ])('refuses the tag in %j in one line', (text, tag) => {
    expect(parseYaml(text)).toEqual({
      ok: false,
      problems: [`the YAML tag ${JSON.stringify(tag)} is not supported: plain strings, numbers, lists and mappings only`],
    });
  });

  it('accepts the core tags', () => {
    expect(parseYaml('a: !!str 5\nb: !!int "7"\nc: !!map {d: !!null ""}\n')).toEqual({ ok: true, value: { a: '5', b: 7, c: { d: null } } });
  });

  it('refuses duplicate keys and broken syntax, each problem one line', () => {
    const dup = parseYaml('a: 1\na: 2\n');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.problems).toEqual(['not valid YAML: Map keys must be unique']);
    const broken = parseYaml('a: [1,\n');
    expect(broken.ok).toBe(false);
    if (!broken.ok) for (const p of broken.problems) expect(p).not.toContain('\n');
  });
});
