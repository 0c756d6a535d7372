import { describe, expect, it } from 'vitest';
import type { KeyList } from '../../src/orq/client.js';
import { RefreshError } from '../../src/orq/errors.js';
import { refreshWorkspace } from '../../src/workspace/refresh.js';
import { apiKey } from '../support/keys.js';

const list: KeyList = { keys: [apiKey({ id: 'a' })], skipped: { missing_id: 0, duplicate_id: 0, not_an_object: 0 }, received: 1, pages: 1, requests: 1, ended: 'last_page' };
const now = (): number => 1_800_000_000_000;
const accept = (): undefined => undefined;

describe('refreshWorkspace', () => {
  it('fetches keys, then budgets, then projects, each on its own', async () => {
    const order: string[] = [];
    const outcome = await refreshWorkspace(
      'w',
      {
        keys: async () => (order.push('keys'), list),
        budgets: async () => {
          order.push('budgets');
          throw new RefreshError('auth', 'forbidden', 403);
        },
        projects: async () => (order.push('projects'), { projects: [], skipped: 0, pages: 1, requests: 1, ended: 'last_page' }),
      },
      new AbortController().signal,
      now,
      accept,
    );
    expect(order).toEqual(['keys', 'budgets', 'projects']);
    expect(outcome).toMatchObject({ workspace: 'w', ok: true, list, endedAt: 1_800_000_000 });
    expect(outcome.budgets).toMatchObject({ ok: false, error: { reason: 'auth', status: 403 } });
    expect(outcome.projects).toMatchObject({ ok: true });
  });

  it('ends a fetch that never settles as soon as the signal aborts, as a timeout', async () => {
    const abort = new AbortController();
    const pending = refreshWorkspace('w', { keys: () => new Promise<KeyList>(() => undefined) }, abort.signal, now, accept);
    abort.abort(new Error('refresh deadline'));
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, error: { reason: 'timeout' } });
  });

  it('fails a key list the judge refuses, as invalid_response', async () => {
    const outcome = await refreshWorkspace('w', { keys: async () => list }, new AbortController().signal, now, () => ({ reason: 'invalid_response', message: 'implausible' }));
    expect(outcome).toMatchObject({ ok: false, error: { reason: 'invalid_response', message: 'implausible' } });
    expect(outcome.list).toBeUndefined();
  });

  it('turns an unexpected throw into invalid_response, not a network error', async () => {
    const outcome = await refreshWorkspace('w', { keys: async () => { throw new RangeError('Map maximum size exceeded'); } }, new AbortController().signal, now, accept);
    expect(outcome.error).toMatchObject({ reason: 'invalid_response' });
    expect(outcome.error?.message).toContain('Map maximum size exceeded');
  });
});
