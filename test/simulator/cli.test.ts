import { describe, expect, it } from 'vitest';
import { parseCliArgs, type CliConfig, type CliResult } from '../../src/simulator/cli.js';

/** The config of a command line that must parse. */
function config(argv: readonly string[]): CliConfig {
  const result = parseCliArgs(argv);
  if (result.kind !== 'config') throw new Error(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
}

const errors = (...lines: string[]): CliResult => ({ kind: 'errors', errors: lines });

describe('parseCliArgs', () => {
  it('defaults to 500 keys of seed 1 in the sdk variant on a free port, token demo-token, no latency', () => {
    expect(config([])).toEqual({ keys: 500, seed: 1, port: 0, shape: 'sdk', token: 'demo-token', latencyMs: 0 });
  });

  it.each(['reference', 'sdk', 'rc'] as const)('takes --shape %s', (shape) => {
    expect(config(['--shape', shape]).shape).toBe(shape);
  });

  it('reads every flag, with its value after it or after =', () => {
    expect(
      config([
        '--keys', '10000', '--seed=7', '--port', '9999', '--shape', 'rc', '--token', 't0k',
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

  it('takes a negative seed', () => {
    expect(config(['--seed', '-10']).seed).toBe(-10);
  });

  it('gives a rate limit a one-minute window unless told otherwise', () => {
    expect(config(['--rate-limit', '100']).rateLimit).toEqual({ limit: 100, windowMs: 60_000 });
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
    expect(parseCliArgs(argv)).toEqual(errors(message));
  });

  it('tells every problem at once, one line each', () => {
    expect(parseCliArgs(['--keys', 'many', '--shape', 'a', '--port', '-1'])).toEqual(
      errors(
        '--keys must be an integer between 0 and 10000000, got "many"',
        '--port must be an integer between 0 and 65535, got "-1"',
        '--shape must be one of reference, sdk, rc, got "a"',
      ),
    );
  });

  it('answers help and version as their own kinds, before any problem', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h', '--keys', 'many'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('refuses unknown flags, missing values, repeats and positional arguments through the shared parser', () => {
    expect(parseCliArgs(['--nope'])).toEqual(errors('--nope: unknown flag (see --help)'));
    expect(parseCliArgs(['extra'])).toEqual(errors('argument 1: not a flag (see --help)'));
    expect(parseCliArgs(['--keys'])).toEqual(errors('--keys: needs a value'));
    expect(parseCliArgs(['--keys', '1', '--keys', '2'])).toEqual(errors('--keys: given more than once'));
  });
});
