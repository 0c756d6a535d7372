/**
 * Budgets on the wire. `/v2/budgets` writes camelCase (BudgetRestResponse of the SDK: the only
 * camelCase answer of the API); a key list asked with `include_budget=true` embeds the key's
 * budget in snake_case with its limits only, no usage. Unset fields are left out.
 */
import { ALERT_DIMENSION, BUDGET_PERIOD, enumConstant } from './enums.js';
import type { SimBudgetRecord, SimBudgetScope } from './budgets.js';

export type BudgetScopeItem =
  | { workspace: Record<string, never> }
  | { project: { projectId?: string } }
  | { identity: { identityExternalId?: string } }
  | { apiKey: { apiKeyId?: string } }
  | { provider: { provider?: string } }
  | { model: { modelId: string } };

export interface BudgetItem {
  budgetId: string;
  scope?: BudgetScopeItem;
  match?: { cel: string };
  limits: { period?: string; amount?: number; tokenLimit?: number };
  rateLimit?: { requestsPerMinute: number };
  isActive: boolean;
  expiresAt?: string;
  createdAt: string;
  updatedAt: string;
  usage: { amount: number; tokens: number; requests: number };
  alerts?: { id: string; thresholdPercent: number; notifierIds: string[]; dimension?: string }[];
}

export interface EmbeddedBudget {
  budget_id: string;
  limits: { period?: string; amount?: number; token_limit?: number };
  rate_limit?: { requests_per_minute: number };
  is_active: boolean;
}

function scopeItem(scope: SimBudgetScope): BudgetScopeItem {
  switch (scope.kind) {
    case 'workspace':
      return { workspace: {} };
    case 'project':
      return { project: scope.project_id === undefined ? {} : { projectId: scope.project_id } };
    case 'identity':
      return {
        identity: scope.identity_external_id === undefined ? {} : { identityExternalId: scope.identity_external_id },
      };
    case 'api_key':
      return { apiKey: scope.api_key_id === undefined ? {} : { apiKeyId: scope.api_key_id } };
    case 'provider':
      return { provider: scope.provider === undefined ? {} : { provider: scope.provider } };
    case 'model':
      return { model: { modelId: scope.model_id } };
  }
}

/** The period as a constant, left out when unspecified as protobuf JSON leaves out zeros. */
function period(value: number): { period?: string } {
  return value === 0 ? {} : { period: enumConstant(BUDGET_PERIOD, value) };
}

export function toBudget(r: SimBudgetRecord): BudgetItem {
  const limits: BudgetItem['limits'] = period(r.period);
  if (r.amount !== null) limits.amount = r.amount;
  if (r.token_limit !== null) limits.tokenLimit = r.token_limit;
  const item: BudgetItem = {
    budgetId: r.budget_id,
    limits,
    isActive: r.is_active,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    usage: { amount: r.usage.amount, tokens: r.usage.tokens, requests: r.usage.requests },
  };
  if (r.scope !== null) item.scope = scopeItem(r.scope);
  if (r.cel !== undefined) item.match = { cel: r.cel };
  if (r.rate_limit_rpm !== null) item.rateLimit = { requestsPerMinute: r.rate_limit_rpm };
  if (r.expires_at !== null) item.expiresAt = r.expires_at;
  if (r.alerts.length > 0) {
    item.alerts = r.alerts.map((a) => ({
      id: a.id,
      thresholdPercent: a.threshold_percent,
      notifierIds: [...a.notifier_ids],
      ...(a.dimension === 0 ? {} : { dimension: enumConstant(ALERT_DIMENSION, a.dimension) }),
    }));
  }
  return item;
}

export function toEmbeddedBudget(r: SimBudgetRecord): EmbeddedBudget {
  const limits: EmbeddedBudget['limits'] = period(r.period);
  if (r.amount !== null) limits.amount = r.amount;
  if (r.token_limit !== null) limits.token_limit = r.token_limit;
  const item: EmbeddedBudget = { budget_id: r.budget_id, limits, is_active: r.is_active };
  if (r.rate_limit_rpm !== null) item.rate_limit = { requests_per_minute: r.rate_limit_rpm };
  return item;
}
