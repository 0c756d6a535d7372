import { describe, expect, it } from 'vitest';
import {
  BUDGET_PERIOD,
  BUDGET_PERIOD_NAMES,
  LEGACY_FAMILY,
  OWNER_TYPE,
  PERMISSION_MODE,
  SCOPE_KIND,
  STATUS,
  STATUS_NAMES,
  describeEnum,
  enumConstant,
  enumName,
  enumValue,
  parseEnumParam,
} from '../../src/simulator/enums.js';

describe('enum tables', () => {
  it('name budget periods in API order', () => {
    expect(BUDGET_PERIOD_NAMES.map((_, i) => enumName(BUDGET_PERIOD_NAMES, i))).toEqual([
      'unspecified',
      'daily',
      'weekly',
      'monthly',
      'yearly',
      'one_time',
    ]);
  });

  it('turn a spelling back into its value, and an unknown spelling into undefined', () => {
    expect(enumValue(STATUS_NAMES, 'disabled')).toBe(2);
    expect(enumValue(STATUS_NAMES, 'Disabled')).toBeUndefined();
    expect(enumName(STATUS_NAMES, -1)).toBe('unknown_-1');
  });
});

describe('enumConstant', () => {
  it.each([
    [STATUS, 1, 'API_KEY_STATUS_ACTIVE'],
    [STATUS, 0, 'API_KEY_STATUS_UNSPECIFIED'],
    [PERMISSION_MODE, 3, 'PERMISSION_MODE_READ_ONLY'],
    [LEGACY_FAMILY, 1, 'LEGACY_TOKEN_FAMILY_ROUTER_JWT'],
    [LEGACY_FAMILY, 0, 'LEGACY_TOKEN_FAMILY_NONE'],
    [BUDGET_PERIOD, 5, 'BUDGET_PERIOD_ONE_TIME'],
    [OWNER_TYPE, 2, 'OWNER_TYPE_SERVICE_ACCOUNT'],
    [SCOPE_KIND, 4, 'BUDGET_SCOPE_KIND_API_KEY'],
    [STATUS, 7, 'API_KEY_STATUS_UNKNOWN_7'],
  ] as const)('%o %i is %s', (table, value, constant) => {
    expect(enumConstant(table, value)).toBe(constant);
  });
});

describe('parseEnumParam', () => {
  it('reads every value of every table in all three spellings', () => {
    for (const t of [STATUS, PERMISSION_MODE, LEGACY_FAMILY, BUDGET_PERIOD, OWNER_TYPE, SCOPE_KIND]) {
      t.names.forEach((name, i) => {
        expect(parseEnumParam(t, String(i))).toBe(i);
        expect(parseEnumParam(t, name)).toBe(i);
        expect(parseEnumParam(t, enumConstant(t, i))).toBe(i);
        expect(parseEnumParam(t, enumConstant(t, i).toLowerCase())).toBe(i);
      });
    }
  });

  it.each(['', 'gone', '4', '-1', '1.0', 'API_KEY_STATUS_', 'PERMISSION_MODE_ACTIVE', ' active'])(
    'refuses status %j',
    (raw) => {
      expect(parseEnumParam(STATUS, raw)).toBeUndefined();
    },
  );

  it('lists what it accepts for error messages', () => {
    expect(describeEnum(OWNER_TYPE)).toBe(
      '0|unspecified|OWNER_TYPE_UNSPECIFIED, 1|user|OWNER_TYPE_USER, 2|service_account|OWNER_TYPE_SERVICE_ACCOUNT',
    );
  });
});
