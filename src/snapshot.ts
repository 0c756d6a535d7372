import type { ApiKey } from './orq/api-key.js';

/**
 * What one complete refresh of a workspace saw: plain, immutable data. Nothing here knows
 * Prometheus or HTTP; the exposition renders it and the poller replaces it whole.
 */
export interface Snapshot {
  readonly workspace: string;
  /** Grows by one with every published snapshot of the workspace, so renders can be cached by it. */
  readonly version: number;
  /** Unix seconds when the refresh that fetched it finished. */
  readonly fetchedAt: number;
  readonly keys: readonly ApiKey[];
}
