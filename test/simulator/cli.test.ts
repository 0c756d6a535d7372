import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/simulator/cli.js';

describe('parseCliArgs', () => {
  it('defaults to 500 keys of seed 1 in the sdk variant on a free port, token demo-token, no latency', () => {
    expect(parseCliArgs([])).toEqual({ keys: 500, seed: 1, port: 0, shape: 'sdk', token: 'demo-token', latencyMs: 0 });
  });

  it.each(['reference', 'sdk', 'rc'] as const)('takes --shape %s', (shape) => {
    expect(parseCliArgs(['--shape', shape]).shape).toBe(shape);
  });

  it('reads every flag', () => {
    expect(
      parseCliArgs([
        '--keys', '10000', '--seed', '7', '--port', '9999', '--shape', 'rc', '--token', 't0k',
        '--latency', '25', '--workspace-id', 'ws_x', '--rate-limit', '60', '--rate-window-ms', '1000',
        '--include-budget', 'reject_403', '--deny-budgets',
      ]),
    ).toEqual({
      keys: 10_000,
      seed: 7,
      port: 9999,
      shape: 'rc',
      token: 't0k',
      latencyMs: 25,
      workspaceId: 'ws_x',
      rateLimit: { limit: 60, windowMs: 1000 },
      includeBudget: 'reject_403',
      denyBudgets: true,
    });
  });

  it('gives a rate limit a one-minute window unless told otherwise', () => {
    expect(parseCliArgs(['--rate-limit', '100']).rateLimit).toEqual({ limit: 100, windowMs: 60_000 });
  });

  it.each([
    [['--keys', 'many'], '--keys must be an integer between 0 and 10000000, got "many"'],
    [['--port', '70000'], '--port must be an integer between 0 and 65535, got "70000"'],
    [['--latency=-1'], '--latency must be an integer between 0 and 3600000, got "-1"'],
    [['--shape', 'a'], '--shape must be one of reference, sdk, rc, got "a"'],
    [['--include-budget', 'sometimes'], '--include-budget must be one of embed, ignore, reject_400, reject_403, got "sometimes"'],
    [['--token', ''], '--token must not be empty'],
    [['--rate-window-ms', '5'], '--rate-window-ms needs --rate-limit'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('refuses unknown flags and positional arguments', () => {
    expect(() => parseCliArgs(['--nope'])).toThrow();
    expect(() => parseCliArgs(['extra'])).toThrow();
  });
});
