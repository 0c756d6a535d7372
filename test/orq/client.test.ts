import { afterEach, describe, expect, it } from 'vitest';
import { OrqClient } from '../../src/orq/client.js';
import { RefreshError } from '../../src/orq/errors.js';
import { generateKeys, startSimulator, type Simulator } from '../../src/simulator/index.js';

const TOKEN = 'client-test-token';
let simulator: Simulator | undefined;
let client: OrqClient | undefined;
afterEach(async () => {
  await client?.close();
  await simulator?.close();
  client = simulator = undefined;
});

async function setUp(count: number, maxPages?: number): Promise<{ simulator: Simulator; client: OrqClient }> {
  simulator = await startSimulator({ keys: generateKeys({ count, seed: 9, now: Date.now() }), token: TOKEN, variant: 'reference' });
  client = new OrqClient({ baseUrl: simulator.url, token: TOKEN, requestTimeoutMs: 2_000, maxRetries: 0, userAgent: 'test', maxPages });
  return { simulator, client };
}

describe('OrqClient.listApiKeys', () => {
  it('makes exactly ceil(keys / 200) requests, with no page asked for twice or past the last', async () => {
    const { simulator, client } = await setUp(1_001);
    const list = await client.listApiKeys(new AbortController().signal);
    expect(list.keys).toHaveLength(1_001);
    expect([list.pages, list.requests]).toEqual([6, 6]);
    const cursors = simulator.requests.map((r) => r.query['starting_after'] ?? '');
    expect(new Set(cursors).size).toBe(6);
  });

  it('gives up past the page bound instead of following has_more for ever', async () => {
    const { simulator, client } = await setUp(1_000, 3);
    const failure = await client.listApiKeys(new AbortController().signal).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RefreshError);
    expect(failure).toMatchObject({ reason: 'pagination', message: 'more than 3 keys pages: giving up rather than looping' });
    expect(simulator.requests).toHaveLength(3);
  });
});
