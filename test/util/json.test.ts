/** The questions asked of untrusted parsed JSON and YAML, and the words error messages use. */
import { describe, expect, it } from 'vitest';
import { describe as describeValue, isObject, JSON_WORDS, YAML_WORDS } from '../../src/util/json.js';

describe('isObject', () => {
  it.each<[unknown, boolean]>([
    [{}, true],
    [{ a: 1 }, true],
    [Object.create(null), true],
    [[], false],
    [null, false],
    [undefined, false],
    ['{}', false],
    [1, false],
    [true, false],
  ])('%j is %s', (value, expected) => {
    expect(isObject(value)).toBe(expected);
  });
});

describe('describe', () => {
  it.each<[unknown, string, string]>([
    [undefined, 'nothing', 'nothing'],
    [null, 'null', 'null'],
    [[1], 'an array', 'a list'],
    [{ a: 1 }, 'an object', 'a mapping'],
    ['text', 'a string', 'a string'],
    [42, 'a number', 'a number'],
    [true, 'a boolean', 'a boolean'],
  ])('%o is %j in JSON\'s words, %j in YAML\'s', (value, json, yaml) => {
    expect(describeValue(value)).toBe(json);
    expect(describeValue(value, JSON_WORDS)).toBe(json);
    expect(describeValue(value, YAML_WORDS)).toBe(yaml);
  });

  it('never repeats the value, which may be a secret', () => {
    const secret = 'sk-orq-0123456789abcdef-secret';
    for (const value of [secret, { [secret]: secret }, [secret]]) expect(describeValue(value)).not.toContain(secret.slice(0, 8));
  });
});
