/**
 * The simulated workspace's key, as the simulator holds it before rendering it in a wire
 * variant: its owner, scope, budget with usage and alerts. A module of its own so the
 * generators and the budget and project models share it without importing each other.
 */
export type SimOwner =
  | { kind: 'user'; user_id: string }
  | { kind: 'service_account'; service_account_id?: string };

export type SimProjectScope = { kind: 'all' } | { kind: 'single'; project_id: string };

/** What a budget has spent in its current period. */
export interface SimUsage {
  /** USD */
  amount: number;
  tokens: number;
  /** requests in the rolling last 60 s */
  requests: number;
}

export interface SimAlert {
  id: string;
  /** 1 to 100 */
  threshold_percent: number;
  notifier_ids: string[];
  /** 0 unspecified, 1 cost, 2 tokens */
  dimension: number;
}

/**
 * A key's own budget: the legacy `constraints.budget` (period, amount, token_limit) and what
 * `/v2/budgets` adds. The added fields are optional so a test can write just the limits; the
 * simulator then derives them from the key (budgets.ts).
 */
export interface SimBudget {
  /** 0 unspecified, 1 daily, 2 weekly, 3 monthly, 4 yearly, 5 one_time */
  period: number;
  amount: number;
  /** an int64 in the reference API, hence a string */
  token_limit: string;
  budget_id?: string;
  is_active?: boolean;
  /** the budget's own rate limit; unset means the key's rate_limit_rpm, the constraint it replaced */
  rate_limit_rpm?: number | null;
  usage?: SimUsage;
  alerts?: SimAlert[];
  created_at?: string;
  updated_at?: string;
  expires_at?: string | null;
}

/** One simulated key, the reference fields with the constraints flattened; render-*.ts write it out. */
export interface SimKey {
  api_key_id: string;
  name: string;
  owner: SimOwner;
  project_scope: SimProjectScope;
  /** 0 unspecified, 1 all, 2 restricted, 3 read_only */
  permission_mode: number;
  access: Record<string, string>;
  token_prefix: string;
  /** 0 unspecified, 1 active, 2 disabled, 3 revoked */
  status: number;
  expires_at: string | null;
  budget: SimBudget | null;
  rate_limit_rpm: number | null;
  created_by_id: string;
  updated_by_id: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  /** 0 none, 1 router_jwt, 2 project_jwt, 3 workspace_jwt */
  legacy_token_family: number;
  legacy_key_id: string | null;
}
