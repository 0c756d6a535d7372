/**
 * The alerting thresholds, read from the recording rules that hold them
 * (alerts/orq-api-keys.rules.yml keeps each as `record: orq:…_days` or `orq:…_ratio` with
 * `expr: vector(N)`).
 * The dashboard colours, titles and queries use these numbers, so moving a window in the rule
 * file and regenerating moves the dashboard with the alerts.
 */
import { describe, isObject, YAML_WORDS } from '../../src/util/json.js';

export interface Thresholds {
  /** OrqApiKeyExpiringSoon warns when an active key expires within this many days */
  readonly expiryWarningDays: number;
  /** …and pages within this many */
  readonly expiryCriticalDays: number;
  /** OrqApiKeyUnused / OrqApiKeyNeverUsed: days without use */
  readonly unusedDays: number;
  /** OrqApiKeyWithoutExpiry: age in days of a key that never expires */
  readonly noExpiryMaxAgeDays: number;
  /** OrqApiKeyBudgetNearlySpent warns from this share of a budget spent */
  readonly budgetWarningRatio: number;
  /** …and pages from this one */
  readonly budgetCriticalRatio: number;
}

export const THRESHOLD_RECORDS = {
  expiryWarningDays: 'orq:api_key_expiry_warning_threshold_days',
  expiryCriticalDays: 'orq:api_key_expiry_critical_threshold_days',
  unusedDays: 'orq:api_key_unused_threshold_days',
  noExpiryMaxAgeDays: 'orq:api_key_no_expiry_max_age_days',
  budgetWarningRatio: 'orq:api_key_budget_warning_threshold_ratio',
  budgetCriticalRatio: 'orq:api_key_budget_critical_threshold_ratio',
} as const satisfies Record<keyof Thresholds, string>;

export type ThresholdsResult =
  | { readonly ok: true; readonly thresholds: Thresholds }
  | { readonly ok: false; readonly problems: readonly string[] };

/** A plain decimal number: what a person writes, and what PromQL and a title print alike. */
const VECTOR_OF_NUMBER = /^vector\(\s*(\d+(?:\.\d+)?)\s*\)$/;

/**
 * The thresholds from a parsed rule file. Every problem is one line naming the record (or the
 * part of the file) it is about.
 */
export function readThresholds(ruleFile: unknown): ThresholdsResult {
  const rules = recordingRules(ruleFile);
  if (typeof rules === 'string') return { ok: false, problems: [rules] };

  const problems: string[] = [];
  const found: Partial<Record<keyof Thresholds, number>> = {};
  for (const [key, record] of Object.entries(THRESHOLD_RECORDS) as [keyof Thresholds, string][]) {
    const exprs = rules.filter((r) => r.record === record).map((r) => r.expr);
    if (exprs.length !== 1) {
      problems.push(
        exprs.length === 0
          ? `${record}: no recording rule by this name; the dashboard reads a threshold from it`
          : `${record}: recorded ${exprs.length} times; keep one`,
      );
      continue;
    }
    const expr = exprs[0];
    const ratio = record.endsWith('_ratio');
    const value = typeof expr === 'string' ? VECTOR_OF_NUMBER.exec(expr.trim())?.[1] : undefined;
    if (value === undefined) {
      problems.push(
        `${record}: expr must be vector(<${ratio ? 'ratio' : 'days'}>) with a plain number, like ${ratio ? 'vector(0.8)' : 'vector(14)'} (got ${quote(expr)})`,
      );
    } else if (!(Number(value) > 0 && Number.isFinite(Number(value)))) {
      problems.push(`${record}: must be a positive number${ratio ? '' : ' of days'} (got ${value})`);
    } else if (ratio && Number(value) > 1) {
      problems.push(`${record}: must be a share of the budget, at most 1 (got ${value})`);
    } else {
      found[key] = Number(value);
    }
  }
  const { expiryWarningDays, expiryCriticalDays, unusedDays, noExpiryMaxAgeDays, budgetWarningRatio, budgetCriticalRatio } = found;
  if (budgetWarningRatio !== undefined && budgetCriticalRatio !== undefined && budgetCriticalRatio <= budgetWarningRatio) {
    problems.push(
      `${THRESHOLD_RECORDS.budgetCriticalRatio}: must be above ${THRESHOLD_RECORDS.budgetWarningRatio} ` +
        `(${budgetCriticalRatio} is not above ${budgetWarningRatio}): the critical window starts where the warning one ends`,
    );
  }
  if (expiryWarningDays !== undefined && expiryCriticalDays !== undefined && expiryCriticalDays >= expiryWarningDays) {
    problems.push(
      `${THRESHOLD_RECORDS.expiryCriticalDays}: must be below ${THRESHOLD_RECORDS.expiryWarningDays} ` +
        `(${expiryCriticalDays} is not below ${expiryWarningDays}): the critical window is the end of the warning one`,
    );
  }
  if (
    problems.length > 0 ||
    expiryWarningDays === undefined ||
    expiryCriticalDays === undefined ||
    unusedDays === undefined ||
    noExpiryMaxAgeDays === undefined ||
    budgetWarningRatio === undefined ||
    budgetCriticalRatio === undefined
  ) {
    return { ok: false, problems };
  }
  return { ok: true, thresholds: { expiryWarningDays, expiryCriticalDays, unusedDays, noExpiryMaxAgeDays, budgetWarningRatio, budgetCriticalRatio } };
}

interface RecordingRule {
  readonly record: string;
  readonly expr: unknown;
}

/** The `record:` rules of every group, or the one line saying why the file has none to read. */
function recordingRules(value: unknown): readonly RecordingRule[] | string {
  if (!isObject(value) || !Array.isArray(value['groups'])) return 'groups: the rule file must have a list of rule groups';
  const rules: RecordingRule[] = [];
  for (const [i, group] of value['groups'].entries()) {
    if (!isObject(group) || !Array.isArray(group['rules'])) return `groups[${i}]: must be a mapping with a list of rules`;
    for (const rule of group['rules']) {
      if (isObject(rule) && typeof rule['record'] === 'string') rules.push({ record: rule['record'], expr: rule['expr'] });
    }
  }
  return rules;
}

/** An expr for an error message: a PromQL expression, never a secret, cut to one short line. */
function quote(expr: unknown): string {
  if (typeof expr !== 'string') return describe(expr, YAML_WORDS);
  const line = expr.trim().replace(/\s+/g, ' ');
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line);
}
