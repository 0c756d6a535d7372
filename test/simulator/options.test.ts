import { describe, expect, it } from 'vitest';
import { initialVariant, validateLatency, validateRecordLimit, validateVariant } from '../../src/simulator/options.js';
import type { WireVariant } from '../../src/simulator/wire.js';

describe('initialVariant', () => {
  it('is sdk unless told, and maps the old shapes: a to reference, b to rc', () => {
    expect(initialVariant({ keys: [], token: 't' })).toBe('sdk');
    expect(initialVariant({ keys: [], token: 't', shape: 'a' })).toBe('reference');
    expect(initialVariant({ keys: [], token: 't', shape: 'b' })).toBe('rc');
  });

  it('lets variant win over shape', () => {
    expect(initialVariant({ keys: [], token: 't', shape: 'a', variant: 'rc' })).toBe('rc');
  });
});

describe('validation', () => {
  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses latency %s', (ms) => {
    expect(() => validateLatency(ms)).toThrow(RangeError);
  });

  it.each([0, 1.5, -3])('refuses recordLimit %s', (limit) => {
    expect(() => validateRecordLimit(limit)).toThrow('recordLimit must be a positive integer');
  });

  it.each(['a', 'SDK', ''])('refuses variant %j', (variant) => {
    expect(() => validateVariant(variant as WireVariant)).toThrow(`variant must be one of reference, sdk, rc, got ${variant}`);
  });

  it('passes good values through', () => {
    expect([validateLatency(0), validateRecordLimit(1), validateVariant('rc')]).toEqual([0, 1, 'rc']);
  });
});
