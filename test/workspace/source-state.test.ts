import { describe, expect, it } from 'vitest';
import { RefreshError } from '../../src/orq/errors.js';
import { SourceState } from '../../src/workspace/source-state.js';

describe('SourceState', () => {
  it('is neither up nor down before its first fetch, and serves nothing', () => {
    const state = new SourceState<string>(60);
    expect([state.up, state.fetchedAt, state.current(0)]).toEqual([undefined, undefined, undefined]);
  });

  it('keeps the last good data through failures, within retention, and says it is down', () => {
    const state = new SourceState<string>(60);
    state.succeed('v1', 1_000);
    const error = new RefreshError('server_error', 'boom', 500);
    state.fail(error);
    expect(state.up).toBe(false);
    expect(state.lastError).toBe(error);
    expect(state.current(1_060)).toBe('v1');
    expect(state.current(1_061)).toBeUndefined();
    state.succeed('v2', 2_000);
    expect([state.up, state.lastError, state.current(2_000)]).toEqual([true, undefined, 'v2']);
  });

  it('serves for ever with an infinite retention', () => {
    const state = new SourceState<string>(Number.POSITIVE_INFINITY);
    state.succeed('keys', 0);
    expect(state.current(1e12)).toBe('keys');
  });
});
