/**
 * Per-key choices the SDK and release-candidate variants make that the reference page does
 * not: how the zero legacy family is spelled, where the expiry goes, the masked token and the
 * key's source. Taken from a hash of the key id, so they vary across a workspace, stay put
 * between polls and need no field on SimKey.
 */
import type { SimKey } from './generator.js';
import { unitHash } from './random.js';

/**
 * Every spelling of "a new opaque key, no legacy family" the SDK's free-string field may carry
 * (shared/orq-api.md). `undefined` is the field left out.
 */
export const ZERO_FAMILY_SPELLINGS = [
  undefined,
  '',
  'none',
  'unspecified',
  '0',
  'LEGACY_TOKEN_FAMILY_UNSPECIFIED',
  'LEGACY_TOKEN_FAMILY_NONE',
] as const;

export type ZeroFamilySpelling = (typeof ZERO_FAMILY_SPELLINGS)[number];

function choose<T>(id: string, salt: number, options: readonly T[]): T {
  return options[Math.floor(unitHash(id, salt) * options.length)] as T;
}

export function zeroFamilySpelling(key: SimKey): ZeroFamilySpelling {
  return choose(key.api_key_id, 0x7a3, ZERO_FAMILY_SPELLINGS);
}

/** SDK 4.15.11: a legacy top-level `expiration` on some keys, `expires_at` on the others. */
export function sdkExpiryField(key: SimKey): 'expiration' | 'expires_at' {
  return choose(key.api_key_id, 0x7a4, ['expiration', 'expires_at'] as const);
}

/** The release candidate: `constraints.expires_at` on some keys, `expiration` on the others. */
export function rcExpiryField(key: SimKey): 'constraints' | 'expiration' {
  return choose(key.api_key_id, 0x7a5, ['constraints', 'expiration'] as const);
}

/** A list shows the token masked: its public prefix and no secret at all. */
export function maskedToken(key: SimKey): string {
  return `${key.token_prefix}${'*'.repeat(16)}`;
}

/** Router JWTs came from the router; every other key from the workspace. */
export function keySource(key: SimKey): 'workspace' | 'router' {
  return key.legacy_token_family === 1 ? 'router' : 'workspace';
}

/** The three wire variants of `GET /v2/api-keys` (shared/orq-api.md). */
export const WIRE_VARIANTS = ['reference', 'sdk', 'rc'] as const;
export type WireVariant = (typeof WIRE_VARIANTS)[number];
