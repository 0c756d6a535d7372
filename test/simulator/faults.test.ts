import { describe, expect, it } from 'vitest';
import { ENDPOINTS, FaultQueue, FaultScript, type Endpoint, type Fault } from '../../src/simulator/faults.js';

describe('FaultQueue', () => {
  it('answers first in, first out, repeating a fault `times` times', () => {
    const queue = new FaultQueue();
    queue.push({ kind: 'status', status: 500, times: 2 }, { kind: 'hang' });
    expect(queue.pending).toBe(3);
    expect([queue.take()?.kind, queue.take()?.kind, queue.take()?.kind, queue.take()]).toEqual(['status', 'status', 'hang', undefined]);
    expect(queue.pending).toBe(0);
  });

  it.each<[Fault, string]>([
    [{ kind: 'hang', times: 0 }, 'times must be a positive integer'],
    [{ kind: 'hang', times: 1.5 }, 'times must be a positive integer'],
    [{ kind: 'status', status: 42 }, 'final HTTP status 200-599'],
    [{ kind: 'status', status: 100 }, 'final HTTP status 200-599'],
    [{ kind: 'slow', ms: -5 }, 'ms must be >= 0'],
    [{ kind: 'slow', ms: Number.NaN }, 'ms must be >= 0'],
  ])('refuses %j, and queues none of a list holding it', (bad, message) => {
    const queue = new FaultQueue();
    expect(() => queue.push({ kind: 'hang' }, bad)).toThrow(message);
    expect(queue.pending).toBe(0);
  });

  it('clears', () => {
    const queue = new FaultQueue();
    queue.push({ kind: 'reset', times: 4 });
    queue.clear();
    expect(queue.take()).toBeUndefined();
  });
});

describe('FaultScript', () => {
  it('keeps one queue per endpoint', () => {
    const script = new FaultScript();
    script.push('budgets', { kind: 'status', status: 403 });
    script.push('projects', { kind: 'hang', times: 2 });
    expect(script.take('api-keys')).toBeUndefined();
    expect(script.pending()).toBe(3);
    expect(script.pending('projects')).toBe(2);
    expect(script.take('budgets')?.kind).toBe('status');
    expect(script.pending('budgets')).toBe(0);
  });

  it('clears one endpoint or all', () => {
    const script = new FaultScript();
    for (const e of ENDPOINTS) script.push(e, { kind: 'hang' });
    script.clear('api-keys');
    expect(script.pending()).toBe(2);
    script.clear();
    expect(script.pending()).toBe(0);
  });

  it('names the endpoints for a caller that passes another', () => {
    expect(() => new FaultScript().push('keys' as Endpoint, { kind: 'hang' })).toThrow('no endpoint "keys"; one of api-keys, budgets, projects');
  });
});
