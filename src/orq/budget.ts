/**
 * A budget scoped to one API key, from `GET /v2/budgets`: its limits, what has been spent
 * this period, and the alert thresholds the team set in orq.ai. Budgets scoped to anything
 * else (a workspace, a project, a provider, a CEL expression) never become one of these.
 */
import type { BudgetPeriod, Known } from './api-key.js';

export const BUDGET_ALERT_DIMENSIONS = ['unspecified', 'cost', 'tokens'] as const;
export type BudgetAlertDimension = Known<typeof BUDGET_ALERT_DIMENSIONS>;

export interface BudgetUsage {
  /** spent this period, in the budget's currency (USD) */
  readonly amount: number | null;
  readonly tokens: number | null;
  /** requests in the rolling 60 seconds of the rate limit */
  readonly requests: number | null;
}

export interface BudgetAlert {
  readonly dimension: BudgetAlertDimension;
  /** threshold_percent / 100 */
  readonly thresholdRatio: number;
}

export interface KeyBudget {
  readonly id: string;
  readonly apiKeyId: string;
  readonly period: BudgetPeriod;
  readonly amount: number | null;
  readonly tokenLimit: number | null;
  readonly requestsPerMinute: number | null;
  readonly usage: BudgetUsage | null;
  readonly alerts: readonly BudgetAlert[];
}
