/**
 * The running workspaces, by name, and how a reload changes them (config/reload-diff.ts):
 * kept ones go on untouched (a new token is handed over), removed ones stop and every series
 * of theirs goes, added ones start, changed ones are stopped and started anew.
 */
import type { WorkspaceConfig } from '../config.js';
import type { WorkspacesDiff } from '../config/reload-diff.js';
import type { HealthMetrics } from '../exposition/health.js';
import type { WorkspaceStatus } from './status.js';
import type { Snapshot } from '../snapshot.js';
import type { ProjectsCache } from './projects-cache.js';
import type { RefreshOutcome } from './refresh.js';
import type { Workspace } from './workspace.js';

interface Running {
  config: WorkspaceConfig;
  readonly workspace: Workspace;
}

export interface WorkspaceSetDeps {
  /** Builds a workspace; it is not started yet. */
  readonly create: (config: WorkspaceConfig) => Workspace;
  readonly health: HealthMetrics;
  readonly projects: ProjectsCache | undefined;
}

export class WorkspaceSet {
  readonly #deps: WorkspaceSetDeps;
  /** In the order of the configuration, which is the order of the exposition. */
  #running: Running[] = [];

  constructor(configs: readonly WorkspaceConfig[], deps: WorkspaceSetDeps) {
    this.#deps = deps;
    this.#running = configs.map((config) => ({ config, workspace: deps.create(config) }));
  }

  get configs(): readonly WorkspaceConfig[] {
    return this.#running.map((r) => r.config);
  }

  /** The workspaces, for tests that check a kept one is the same object. */
  get workspaces(): readonly Workspace[] {
    return this.#running.map((r) => r.workspace);
  }

  snapshots(): ReadonlyArray<Snapshot | undefined> {
    return this.#running.map((r) => r.workspace.snapshot);
  }

  statuses(): WorkspaceStatus[] {
    return this.#running.map((r) => r.workspace.status());
  }

  start(): void {
    for (const r of this.#running) r.workspace.start();
  }

  refreshAll(): Promise<RefreshOutcome[]> {
    return Promise.all(this.#running.map((r) => r.workspace.refresh()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.#running.map((r) => r.workspace.stop()));
  }

  /** Applies a diff made against `configs`; `order` is the new configuration's list. */
  async apply(diff: WorkspacesDiff, order: readonly WorkspaceConfig[]): Promise<void> {
    const { health, projects } = this.#deps;
    const byName = new Map(this.#running.map((r) => [r.config.name, r]));
    for (const config of diff.kept) {
      const running = byName.get(config.name)!;
      running.workspace.adoptToken(config.token);
      running.config = config;
    }
    const leaving = [...diff.removed, ...diff.replaced.map((c) => c.name)];
    await Promise.all(leaving.map((name) => byName.get(name)!.workspace.stop()));
    for (const name of leaving) {
      // Forgotten before a replacement starts, so the new one's series begin afresh.
      health.forget(name);
      projects?.forget(name);
      byName.delete(name);
    }
    const starting: Running[] = [];
    for (const config of [...diff.replaced, ...diff.added]) {
      health.addWorkspace(config.name);
      const running = { config, workspace: this.#deps.create(config) };
      byName.set(config.name, running);
      starting.push(running);
    }
    this.#running = order.map((c) => byName.get(c.name)!);
    for (const r of starting) r.workspace.start();
  }
}
