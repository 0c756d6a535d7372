/**
 * Project names of every workspace, in one lru-cache with a TTL: projects change rarely, so
 * they are fetched once per TTL (ORQ_PROJECTS_TTL), not with every key refresh. A stale entry
 * is what makes a workspace due for a fetch; it is still served, up to `retentionMs`, while
 * fetches fail, so a projects outage does not turn names back into ids at once.
 */
import { LRUCache } from 'lru-cache';
import type { Project } from '../orq/project.js';

interface Entry {
  readonly projects: readonly Project[];
  /** Wall-clock ms of the fetch. */
  readonly fetchedAt: number;
}

export interface ProjectsCacheOptions {
  readonly ttlMs: number;
  readonly retentionMs: number;
  /** Workspaces the cache may hold; one entry each. */
  readonly max: number;
  /** Wall clock in ms. */
  readonly now?: (() => number) | undefined;
}

export class ProjectsCache {
  readonly #cache: LRUCache<string, Entry>;
  readonly #retentionMs: number;
  readonly #now: () => number;

  constructor(options: ProjectsCacheOptions) {
    this.#now = options.now ?? Date.now;
    this.#retentionMs = options.retentionMs;
    this.#cache = new LRUCache<string, Entry>({
      max: Math.max(1, options.max),
      ttl: options.ttlMs,
      allowStale: true,
      noDeleteOnStaleGet: true,
      perf: { now: this.#now },
      // Ask the clock every time: the default caches it for a millisecond of real time, which
      // a test's clock can cross many times over, and once per TTL costs nothing.
      ttlResolution: 0,
    });
  }

  /** Whether the workspace's projects should be fetched: never fetched, or older than the TTL. */
  due(workspace: string): boolean {
    return this.#cache.getRemainingTTL(workspace) <= 0;
  }

  store(workspace: string, projects: readonly Project[]): void {
    this.#cache.set(workspace, { projects, fetchedAt: this.#now() });
  }

  /** The projects to serve now: the last fetched, stale or not, while within retention. */
  current(workspace: string): readonly Project[] | undefined {
    const entry = this.#cache.get(workspace);
    if (entry === undefined || this.#now() - entry.fetchedAt > this.#retentionMs) return undefined;
    return entry.projects;
  }

  forget(workspace: string): void {
    this.#cache.delete(workspace);
  }
}
