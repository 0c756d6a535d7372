/**
 * One item of `GET /v2/budgets` into a KeyBudget, when it is an active budget scoped to
 * exactly one API key. camelCase is the wire's case there; snake_case is read too. Pure;
 * never throws.
 */
import { BUDGET_PERIODS } from '../api-key.js';
import { BUDGET_ALERT_DIMENSIONS, type BudgetAlert, type BudgetUsage, type KeyBudget } from '../budget.js';
import { isObject } from '../../util/json.js';
import { parseEnum } from './enums.js';
import { field, objectAt, parseNumber, text } from './values.js';

/** Why a budget was not attributed to a key: only `invalid` says something is wrong upstream. */
export type BudgetSkip = 'invalid' | 'not_key_scoped' | 'inactive';

export type BudgetResult = { readonly ok: true; readonly budget: KeyBudget } | { readonly ok: false; readonly reason: BudgetSkip };

export function budgetId(item: unknown): string {
  return isObject(item) ? text(field(item, 'budgetId', 'budget_id')) : '';
}

export function parseKeyBudget(item: unknown): BudgetResult {
  if (!isObject(item)) return { ok: false, reason: 'invalid' };
  const id = budgetId(item);
  if (id === '') return { ok: false, reason: 'invalid' };
  const apiKeyId = keyScope(item['scope']);
  if (apiKeyId === undefined) return { ok: false, reason: 'not_key_scoped' };
  if (field(item, 'isActive', 'is_active') !== true) return { ok: false, reason: 'inactive' };

  const limits = objectAt(item, 'limits') ?? {};
  const rateLimit = field(item, 'rateLimit', 'rate_limit');
  return {
    ok: true,
    budget: {
      id,
      apiKeyId,
      period: parseEnum(limits['period'], BUDGET_PERIODS),
      amount: parseNumber(limits['amount']),
      tokenLimit: parseNumber(field(limits, 'tokenLimit', 'token_limit')),
      requestsPerMinute: isObject(rateLimit) ? parseNumber(field(rateLimit, 'requestsPerMinute', 'requests_per_minute')) : null,
      usage: parseUsage(item['usage']),
      alerts: parseAlerts(item['alerts']),
    },
  };
}

/**
 * The key id when the scope names exactly one API key and nothing else. A scope with two
 * variants set, or an apiKey scope without an id, is not a key's budget: attributing it would
 * put someone else's spending on a key.
 */
function keyScope(scope: unknown): string | undefined {
  if (!isObject(scope)) return undefined;
  const set = Object.entries(scope).filter(([, v]) => v !== undefined && v !== null);
  if (set.length !== 1) return undefined;
  const [name, value] = set[0]!;
  if ((name !== 'apiKey' && name !== 'api_key') || !isObject(value)) return undefined;
  const id = text(field(value, 'apiKeyId', 'api_key_id'));
  return id === '' ? undefined : id;
}

function parseUsage(value: unknown): BudgetUsage | null {
  if (!isObject(value)) return null;
  return { amount: parseNumber(value['amount']), tokens: parseNumber(value['tokens']), requests: parseNumber(value['requests']) };
}

function parseAlerts(value: unknown): BudgetAlert[] {
  if (!Array.isArray(value)) return [];
  const alerts: BudgetAlert[] = [];
  for (const alert of value) {
    if (!isObject(alert)) continue;
    const percent = parseNumber(field(alert, 'thresholdPercent', 'threshold_percent'));
    // 1–100 by the API's rules; anything else is no threshold anyone chose.
    if (percent === null || percent <= 0 || percent > 100) continue;
    alerts.push({ dimension: parseEnum(alert['dimension'], BUDGET_ALERT_DIMENSIONS), thresholdRatio: percent / 100 });
  }
  return alerts;
}
