import { describe, expect, it } from 'vitest';
import { KEY_STATUSES, LEGACY_TOKEN_FAMILIES } from '../../../src/orq/api-key.js';
import { parseEnum } from '../../../src/orq/wire/enums.js';

describe('parseEnum', () => {
  it.each([
    [1, 'active'],
    [3, 'revoked'],
    [4, 'unknown'],
    [1.5, 'unknown'],
    ['ACTIVE', 'active'],
    ['API_KEY_STATUS_REVOKED', 'revoked'],
    ['2', 'disabled'],
    ['', 'unspecified'],
    [undefined, 'unspecified'],
    [true, 'unknown'],
    ['paused', 'unknown'],
  ])('status %j is %s', (value, name) => {
    expect(parseEnum(value, KEY_STATUSES)).toBe(name);
  });
  it('prefers the longest matching suffix', () => {
    expect(parseEnum('LEGACY_TOKEN_FAMILY_WORKSPACE_JWT', LEGACY_TOKEN_FAMILIES)).toBe('workspace_jwt');
  });
});

describe('every spelling of the zero legacy token family is none', () => {
  it.each([[undefined], [null], [''], [0], ['0'], ['none'], ['NONE'], ['unspecified'], ['LEGACY_TOKEN_FAMILY_UNSPECIFIED'], ['LEGACY_TOKEN_FAMILY_NONE'], [' none ']])(
    '%j',
    (value) => {
      expect(parseEnum(value, LEGACY_TOKEN_FAMILIES)).toBe('none');
    },
  );

  it.each([
    ['router_jwt', 'router_jwt'],
    ['LEGACY_TOKEN_FAMILY_ROUTER_JWT', 'router_jwt'],
    [1, 'router_jwt'],
    ['LEGACY_TOKEN_FAMILY_PROJECT_JWT', 'project_jwt'],
    ['workspace_jwt', 'workspace_jwt'],
    ['LEGACY_TOKEN_FAMILY_SESSION_JWT', 'unknown'],
    [9, 'unknown'],
  ])('%j is %s', (value, name) => {
    expect(parseEnum(value, LEGACY_TOKEN_FAMILIES)).toBe(name);
  });
});

describe('the three variants spell one status alike', () => {
  it.each([
    [[1, 'active', 'API_KEY_STATUS_ACTIVE'], 'active'],
    [[2, 'disabled', 'API_KEY_STATUS_DISABLED'], 'disabled'],
    [[3, 'revoked', 'API_KEY_STATUS_REVOKED'], 'revoked'],
    [[0, 'unspecified', 'API_KEY_STATUS_UNSPECIFIED'], 'unspecified'],
  ])('%j', (spellings, name) => {
    for (const spelling of spellings) expect(parseEnum(spelling, KEY_STATUSES)).toBe(name);
  });
});
