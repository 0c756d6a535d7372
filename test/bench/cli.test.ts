import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZES, parseBenchArgs } from '../../bench/cli.js';

describe('parseBenchArgs', () => {
  it('runs every size in full and writes by default', () => {
    expect(parseBenchArgs([])).toEqual({ kind: 'options', options: { sizes: DEFAULT_SIZES, quick: false, write: true, latencyMs: 20 } });
  });

  it('writes nothing in a quick run unless told to', () => {
    expect(parseBenchArgs(['--sizes', '1000', '--quick'])).toEqual({ kind: 'options', options: { sizes: [1000], quick: true, write: false, latencyMs: 20 } });
    expect(parseBenchArgs(['--quick', '--write'])).toMatchObject({ kind: 'options', options: { write: true } });
    expect(parseBenchArgs(['--no-write'])).toMatchObject({ kind: 'options', options: { write: false } });
  });

  it('reads sizes separated by commas, with underscores, and a latency', () => {
    expect(parseBenchArgs(['--sizes=1_000,100_000', '--latency', '5'])).toMatchObject({ kind: 'options', options: { sizes: [1000, 100_000], latencyMs: 5 } });
  });

  it('answers help and version as their own kinds', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseBenchArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('tells every problem, one line each', () => {
    expect(parseBenchArgs(['--sizes', '0,x', '--latency', '-3', '--write', '--no-write', '--fast'])).toEqual({
      kind: 'errors',
      errors: ['--fast: unknown flag (see --help)'],
    });
    expect(parseBenchArgs(['--sizes', '0,x', '--latency', '-3', '--write', '--no-write'])).toEqual({
      kind: 'errors',
      errors: ['--sizes must be positive whole numbers separated by commas, got "0,x"', '--latency must be milliseconds above 0, got "-3"', '--write and --no-write: give one of them'],
    });
  });
});
