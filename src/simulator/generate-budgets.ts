/**
 * Budget details of a generated workspace: what `/v2/budgets` tells beyond a key's limits
 * (id, active flag, usage this period, alerts), and the budgets that belong to no single key.
 * Drawn from streams of their own, so the keys come out as they always did.
 */
import type { SimBudgetRecord, SimBudgetScope } from './budgets.js';
import type { SimAlert, SimBudget, SimKey, SimUsage } from './key.js';
import type { SimProject } from './projects.js';
import type { Rng } from './random.js';
import { DAY, MINUTE, isoSeconds, periodStart } from './time.js';

export interface UsageInput {
  period: number;
  amount: number | null;
  tokenLimit: number | null;
  rateLimit: number | null;
  createdMs: number;
  lastUsedMs: number | null;
  now: number;
}

/**
 * Spent in the current period: nothing unless the key was used since the period began; then
 * mostly well inside the limits, and for about one in twelve at or past them. Requests count
 * only for keys used in the last quarter hour (the API counts a rolling minute, and
 * last_used_at is debounced).
 */
export function drawUsage(rng: Rng, u: UsageInput): SimUsage {
  const share = rng.chance(0.08) ? rng.float(0.9, 1.25) : rng.float(0, 0.9);
  const tokenShare = rng.chance(0.08) ? rng.float(0.9, 1.1) : rng.float(0, 0.9);
  const recent = rng.next();
  if (u.lastUsedMs === null || u.lastUsedMs < periodStart(u.period, u.now, u.createdMs)) {
    return { amount: 0, tokens: 0, requests: 0 };
  }
  return {
    amount: Math.round(share * (u.amount ?? 100) * 100) / 100,
    tokens: Math.floor(tokenShare * (u.tokenLimit ?? 2_000_000)),
    requests: u.now - u.lastUsedMs < 15 * MINUTE ? 1 + Math.floor(recent * (u.rateLimit ?? 120)) : 0,
  };
}

const THRESHOLDS = [50, 75, 80, 90, 95, 100] as const;

/** The few notification channels of a workspace that alerts point at. */
export function drawNotifiers(rng: Rng, now: number): string[] {
  return Array.from({ length: rng.int(2, 5) }, () => `ntf_${rng.ulid(now - rng.int(30, 700) * DAY)}`);
}

/** None to three alerts at distinct thresholds, mostly on cost, each to one or two notifiers. */
export function drawAlerts(rng: Rng, createdMs: number, notifiers: readonly string[]): SimAlert[] {
  const thresholds = THRESHOLDS.filter(() => rng.chance(0.2)).slice(0, 3);
  return thresholds.map((threshold_percent) => {
    const first = rng.pick(notifiers);
    const second = rng.pick(notifiers);
    return {
      id: rng.ulid(createdMs),
      threshold_percent,
      notifier_ids: first === second || rng.chance(0.6) ? [first] : [first, second],
      dimension: rng.chance(0.75) ? 1 : 2,
    };
  });
}

export interface BudgetLimits {
  period: number;
  amount: number;
  token_limit: string;
}

export interface BudgetKey {
  rateLimit: number | null;
  /** when the key was created, as a number and as written */
  createdMs: number;
  createdAt: string;
  lastUsedMs: number | null;
}

export interface BudgetWorkspace {
  now: number;
  notifiers: readonly string[];
}

/**
 * A key's budget, limits and the /v2/budgets half alike; about one in eight is switched off.
 * Inputs are plain objects, never spread: object spread in this loop was V8's slow path and
 * cost a 100,000-key workspace a third of its generation time.
 */
export function drawKeyBudget(rng: Rng, limits: BudgetLimits, key: BudgetKey, ws: BudgetWorkspace): SimBudget {
  // Budgets arrived after many keys: created with the key or at some later migration.
  const now = ws.now;
  const withKey = rng.chance(0.5);
  const createdMs = withKey ? key.createdMs : key.createdMs + rng.next() * (now - key.createdMs);
  const updatedMs = createdMs + rng.next() * (now - createdMs);
  const expires = limits.period === 5 && rng.chance(0.5) ? now + rng.float(DAY, 120 * DAY) : null;
  return {
    period: limits.period,
    amount: limits.amount,
    token_limit: limits.token_limit,
    budget_id: rng.ulid(createdMs),
    is_active: rng.chance(0.88),
    usage: drawUsage(rng, {
      period: limits.period,
      amount: limits.amount,
      tokenLimit: Number(limits.token_limit),
      rateLimit: key.rateLimit,
      createdMs,
      lastUsedMs: key.lastUsedMs,
      now,
    }),
    alerts: drawAlerts(rng, createdMs, ws.notifiers),
    created_at: withKey ? key.createdAt : isoSeconds(createdMs),
    updated_at: isoSeconds(updatedMs),
    expires_at: expires === null ? null : isoSeconds(expires),
  };
}

interface Limits {
  period: number;
  amount: number | null;
  token_limit: number | null;
  rate_limit_rpm: number | null;
}

interface Activity {
  /** when what the budget watches was last used */
  lastUsedMs: number | null;
  /** the budget cannot be older than what it watches */
  notBefore?: number;
}

function record(rng: Rng, ws: BudgetWorkspace, scope: SimBudgetScope | null, limits: Limits, activity: Activity): SimBudgetRecord {
  const { now, notifiers } = ws;
  const { lastUsedMs, notBefore = Number.NEGATIVE_INFINITY } = activity;
  const createdMs = Math.max(notBefore, now - rng.int(1, 400) * DAY);
  return {
    budget_id: rng.ulid(createdMs),
    scope,
    period: limits.period,
    amount: limits.amount,
    token_limit: limits.token_limit,
    rate_limit_rpm: limits.rate_limit_rpm,
    is_active: rng.chance(0.85),
    expires_at: null,
    created_at: isoSeconds(createdMs),
    updated_at: isoSeconds(createdMs + rng.next() * (now - createdMs)),
    usage: drawUsage(rng, {
      period: limits.period,
      amount: limits.amount,
      tokenLimit: limits.token_limit,
      rateLimit: limits.rate_limit_rpm,
      createdMs,
      lastUsedMs,
      now,
    }),
    alerts: drawAlerts(rng, createdMs, notifiers),
  };
}

export interface ExtraBudgetInput {
  keys: readonly SimKey[];
  projects: readonly SimProject[];
  now: number;
}

/**
 * The budgets not carried on a key: a second budget (daily beside a monthly one, or the
 * reverse) for about one budgeted key in eight, and budgets a client must never give to a
 * key: the workspace's, a few projects', custom CEL ones (one naming a key id in its
 * expression), API-key scopes with no id or an empty one, a deleted key's, an identity's, a
 * provider's and a model's.
 */
export function drawExtraBudgets(rng: Rng, { keys, projects, now }: ExtraBudgetInput): SimBudgetRecord[] {
  const ws: BudgetWorkspace = { now, notifiers: drawNotifiers(rng, now) };
  const out: SimBudgetRecord[] = [];
  for (const key of keys) {
    if (key.budget === null || !rng.chance(0.125)) continue;
    const daily = key.budget.period !== 1;
    const activity = {
      lastUsedMs: key.last_used_at === null ? null : Date.parse(key.last_used_at),
      notBefore: Date.parse(key.created_at),
    };
    const second = record(
      rng,
      ws,
      { kind: 'api_key', api_key_id: key.api_key_id },
      {
        period: daily ? 1 : 3,
        amount: Math.max(1, Math.round((key.budget.amount * (daily ? 1 / 20 : 20)) * 100) / 100),
        token_limit: rng.chance(0.5) ? null : Math.round(Number(key.budget.token_limit) * (daily ? 0.05 : 20)),
        rate_limit_rpm: null,
      },
      activity,
    );
    out.push(second);
  }

  const recently = { lastUsedMs: now - 5 * MINUTE };
  const some = { period: 3, amount: 500, token_limit: null, rate_limit_rpm: null };
  out.push(record(rng, ws, { kind: 'workspace' }, { period: 3, amount: 25_000, token_limit: 2_000_000_000, rate_limit_rpm: 6000 }, recently));
  for (const project of projects.filter((p) => !p.is_archived).slice(0, 4)) {
    out.push(record(rng, ws, { kind: 'project', project_id: project.project_id }, { ...some, amount: rng.int(5, 50) * 100 }, recently));
  }
  const custom = (amount: number, period: number, cel: string): SimBudgetRecord => ({
    ...record(rng, ws, null, { ...some, period, amount }, recently),
    cel,
  });
  out.push(custom(200, 1, 'request.model.startsWith("openai/gpt-4")'));
  // A key id in an expression is still no scope: the budget is not that key's.
  const named = keys[0];
  if (named !== undefined) out.push(custom(50, 3, `api_key.id == "${named.api_key_id}" && request.provider == "anthropic"`));
  out.push(record(rng, ws, { kind: 'api_key' }, { ...some, amount: 75 }, recently));
  out.push(record(rng, ws, { kind: 'api_key', api_key_id: '' }, { ...some, amount: 80 }, recently));
  out.push(record(rng, ws, { kind: 'api_key', api_key_id: rng.ulid(now - 90 * DAY) }, { ...some, amount: 90 }, { lastUsedMs: null }));
  out.push(record(rng, ws, { kind: 'identity', identity_external_id: 'customer-4711' }, { ...some, period: 2, amount: 40 }, recently));
  out.push(record(rng, ws, { kind: 'provider', provider: 'openai' }, { ...some, amount: 12_000 }, recently));
  out.push(record(rng, ws, { kind: 'model', model_id: 'anthropic/claude-sonnet-4' }, { ...some, token_limit: 500_000_000 }, recently));
  return out;
}
