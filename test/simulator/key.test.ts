/**
 * key.ts is the simulated key's model, with no code to run: checked by the type checker, and
 * at runtime by what makeKey builds having the model's fields and nothing else.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SimKey, SimOwner, SimProjectScope } from '../../src/simulator/key.js';
import { makeKey } from '../../src/simulator/generator.js';

describe('SimKey', () => {
  it('has owners and scopes in the two forms the wire variants render', () => {
    expectTypeOf<SimOwner['kind']>().toEqualTypeOf<'user' | 'service_account'>();
    expectTypeOf<SimProjectScope>().toEqualTypeOf<{ kind: 'all' } | { kind: 'single'; project_id: string }>();
  });

  it('is what makeKey builds, every field of the model present', () => {
    const key = makeKey({ name: 'k' });
    expectTypeOf(key).toEqualTypeOf<SimKey>();
    const fields: Record<keyof SimKey, true> = {
      api_key_id: true, name: true, owner: true, project_scope: true, status: true, permission_mode: true,
      token_prefix: true, expires_at: true, created_at: true, updated_at: true, last_used_at: true,
      budget: true, rate_limit_rpm: true, legacy_token_family: true, legacy_key_id: true, access: true, created_by_id: true, updated_by_id: true,
    };
    expect(Object.keys(key).sort()).toEqual(Object.keys(fields).sort());
  });
});
