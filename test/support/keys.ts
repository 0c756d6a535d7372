import type { ApiKey } from '../../src/orq/api-key.js';

/** An ApiKey with every optional part absent, for tests to fill in. */
export function apiKey(overrides: Partial<ApiKey> & { id: string }): ApiKey {
  return {
    name: overrides.id,
    status: 'active',
    ownerType: 'user',
    ownerId: 'user_1',
    projectScope: 'single',
    projectId: 'proj_a',
    permissionMode: 'all',
    legacyTokenFamily: 'none',
    tokenPrefix: 'orq_sk_',
    createdAt: null,
    expiresAt: null,
    lastUsedAt: null,
    budget: null,
    rateLimitPerMinute: null,
    ...overrides,
  };
}
