/**
 * The budget alert dimensions: they become the `dimension` label unescaped (prepare.ts), and
 * the alert-threshold family's HELP names the ones a user sets in orq.ai.
 */
import { describe, expect, it } from 'vitest';
import { families } from '../../src/exposition/families.js';
import { escapeLabelValue } from '../../src/exposition/text.js';
import { BUDGET_ALERT_DIMENSIONS } from '../../src/orq/budget.js';

describe('BUDGET_ALERT_DIMENSIONS', () => {
  it('are distinct plain words, the zero value first, never "unknown"', () => {
    expect(BUDGET_ALERT_DIMENSIONS[0]).toBe('unspecified');
    expect(new Set(BUDGET_ALERT_DIMENSIONS).size).toBe(BUDGET_ALERT_DIMENSIONS.length);
    for (const d of BUDGET_ALERT_DIMENSIONS) {
      expect(d).toMatch(/^[a-z][a-z_]*$/);
      expect(escapeLabelValue(d)).toBe(d);
    }
    expect(BUDGET_ALERT_DIMENSIONS).not.toContain('unknown');
  });

  it('are the ones the alert threshold family names, besides the zero value', () => {
    expect(families.keyBudgetAlertThreshold.help).toContain(`per dimension (${BUDGET_ALERT_DIMENSIONS.slice(1).join(', ')})`);
  });
});
