/**
 * What a simulator can be told at its start, and the checks that refuse nonsense before a
 * socket is opened. Kept apart from the HTTP server so the options read as one list.
 */
import type { SimBudgetRecord } from './budgets.js';
import type { SimKey } from './generator.js';
import type { SimProject } from './projects.js';
import type { RateLimit } from './rate-limit.js';
import type { IncludeBudgetMode } from './replies.js';
import { WIRE_VARIANTS, type WireVariant } from './wire.js';

/** The names before the three variants were told apart: 'a' is the reference, 'b' the release candidate. */
export type LegacyShape = 'a' | 'b';

export interface SimulatorOptions {
  keys: readonly SimKey[];
  /** default: one project per project id the keys use */
  projects?: readonly SimProject[];
  /** budgets besides the keys' own (which are derived from the keys); default none */
  extraBudgets?: readonly SimBudgetRecord[];
  /** the management key the exporter must present as `Authorization: Bearer <token>` */
  token: string;
  /** the wire variant of `GET /v2/api-keys`; default 'sdk' */
  variant?: WireVariant;
  /** @deprecated use `variant`: 'a' is 'reference', 'b' is 'rc' */
  shape?: LegacyShape;
  /** what the key list does with include_budget=true; default 'embed' on sdk, 'ignore' elsewhere */
  includeBudget?: IncludeBudgetMode;
  /** false: the token lacks the Budgets permission and /v2/budgets answers 403; default true */
  budgetsPermission?: boolean;
  /** 0 (default) picks a free port */
  port?: number;
  /** the whole time an answer takes, its building included */
  latencyMs?: number;
  workspaceId?: string;
  rateLimit?: RateLimit;
  /** the clock rate-limit windows are measured on; default Date.now */
  now?: () => number;
  /**
   * most requests kept in `requests`; past it the oldest tenth is dropped, so a long demo or
   * load run does not grow without bound. Default 100,000.
   */
  recordLimit?: number;
}

export const DEFAULT_WORKSPACE_ID = 'ws_01HQSIMULATED0000000000000';

export function validateLatency(ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`latency must be a finite number >= 0, got ${ms}`);
  return ms;
}

export function validateVariant(variant: WireVariant): WireVariant {
  if (!WIRE_VARIANTS.includes(variant)) throw new RangeError(`variant must be one of ${WIRE_VARIANTS.join(', ')}, got ${String(variant)}`);
  return variant;
}

export function initialVariant(options: SimulatorOptions): WireVariant {
  if (options.variant !== undefined) return validateVariant(options.variant);
  if (options.shape === 'a') return 'reference';
  if (options.shape === 'b') return 'rc';
  return 'sdk';
}

export function validateRecordLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`recordLimit must be a positive integer, got ${limit}`);
  return limit;
}
