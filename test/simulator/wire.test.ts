import { describe, expect, it } from 'vitest';
import { generateKeys, makeKey } from '../../src/simulator/generator.js';
import {
  WIRE_VARIANTS,
  ZERO_FAMILY_SPELLINGS,
  keySource,
  maskedToken,
  rcExpiryField,
  sdkExpiryField,
  zeroFamilySpelling,
} from '../../src/simulator/wire.js';

const keys = generateKeys({ count: 2_000, seed: 13, now: Date.UTC(2025, 5, 1) });

describe('per-key wire choices', () => {
  it('use every zero-family spelling across a workspace, each for a fair share of keys', () => {
    const counts = new Map<unknown, number>();
    for (const key of keys) counts.set(zeroFamilySpelling(key), (counts.get(zeroFamilySpelling(key)) ?? 0) + 1);
    expect(new Set(counts.keys())).toEqual(new Set(ZERO_FAMILY_SPELLINGS));
    for (const n of counts.values()) expect(n).toBeGreaterThan(keys.length / ZERO_FAMILY_SPELLINGS.length / 2);
  });

  it('list absent, empty, none, unspecified, 0 and both protobuf constants as the zero family', () => {
    expect(ZERO_FAMILY_SPELLINGS).toEqual([
      undefined,
      '',
      'none',
      'unspecified',
      '0',
      'LEGACY_TOKEN_FAMILY_UNSPECIFIED',
      'LEGACY_TOKEN_FAMILY_NONE',
    ]);
  });

  it('put the expiry in both places about half the time, differently per variant', () => {
    const sdk = keys.filter((k) => sdkExpiryField(k) === 'expiration').length / keys.length;
    const rc = keys.filter((k) => rcExpiryField(k) === 'constraints').length / keys.length;
    expect(sdk).toBeGreaterThan(0.4);
    expect(sdk).toBeLessThan(0.6);
    expect(rc).toBeGreaterThan(0.4);
    expect(rc).toBeLessThan(0.6);
    // Independent choices, so every combination occurs.
    const combos = new Set(keys.map((k) => `${sdkExpiryField(k)}/${rcExpiryField(k)}`));
    expect(combos.size).toBe(4);
  });

  it('depend on the key id only, so they never change between polls or for a renamed key', () => {
    const key = keys[0]!;
    const renamed = { ...key, name: 'other', status: 3 };
    expect(zeroFamilySpelling(renamed)).toBe(zeroFamilySpelling(key));
    expect(sdkExpiryField(renamed)).toBe(sdkExpiryField(key));
    expect(rcExpiryField(renamed)).toBe(rcExpiryField(key));
  });
});

describe('maskedToken', () => {
  it('is the public prefix and stars, never anything else of the key', () => {
    const key = makeKey({ token_prefix: 'orq_sk_ab12' });
    expect(maskedToken(key)).toBe('orq_sk_ab12****************');
    expect(maskedToken(key)).not.toContain(key.api_key_id);
  });
});

describe('keySource', () => {
  it.each([
    [0, 'workspace'],
    [1, 'router'],
    [2, 'workspace'],
    [3, 'workspace'],
  ])('family %i comes from the %s', (family, source) => {
    expect(keySource(makeKey({ legacy_token_family: family }))).toBe(source);
  });
});

describe('WIRE_VARIANTS', () => {
  it('names the three variants', () => {
    expect(WIRE_VARIANTS).toEqual(['reference', 'sdk', 'rc']);
  });
});
