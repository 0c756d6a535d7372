import { describe, expect, it } from 'vitest';
import { ProjectsCache } from '../../src/workspace/projects-cache.js';

describe('ProjectsCache', () => {
  it('is due until stored, then again once the TTL passes, and serves stale names up to retention', () => {
    // Not 0: lru-cache reads a start time of 0 as "no TTL set".
    const t0 = 1_000_000;
    let now = t0;
    const cache = new ProjectsCache({ ttlMs: 1_000, retentionMs: 5_000, max: 2, now: () => now });
    expect(cache.due('w')).toBe(true);
    const projects = [{ id: 'p', name: 'P', archived: false }];
    cache.store('w', projects);
    expect(cache.due('w')).toBe(false);
    expect(cache.current('w')).toBe(projects);
    now = t0 + 999;
    expect(cache.due('w')).toBe(false);
    now = t0 + 1_000;
    expect(cache.due('w')).toBe(true);
    expect(cache.current('w')).toBe(projects);
    now = t0 + 5_001;
    expect(cache.current('w')).toBeUndefined();
    expect(cache.due('w')).toBe(true);
  });

  it('keeps workspaces apart, and forgets one on request', () => {
    const cache = new ProjectsCache({ ttlMs: 1_000, retentionMs: 5_000, max: 2, now: () => 1_000_000 });
    cache.store('a', []);
    expect(cache.due('a')).toBe(false);
    expect(cache.due('b')).toBe(true);
    cache.forget('a');
    expect(cache.due('a')).toBe(true);
  });
});
