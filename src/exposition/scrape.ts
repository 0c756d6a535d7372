/**
 * The families whose values move with the clock, rendered at scrape time from prepared
 * snapshots: days to expiry, expired, seconds since last use, and the age of each snapshot.
 */
import { families } from './families.js';
import type { PreparedSnapshot } from './prepare.js';
import { familyHeader, formatValue, labelSet } from './text.js';

const SECONDS_PER_DAY = 86_400;

export function renderScrapeFamilies(prepared: readonly PreparedSnapshot[], nowSeconds: number): string {
  let out = familyHeader(families.keyDaysToExpiry);
  for (const p of prepared) {
    const { labels, at } = p.expiring;
    for (let i = 0; i < labels.length; i++) {
      out += `${families.keyDaysToExpiry.name}${labels[i]} ${formatValue((at[i]! - nowSeconds) / SECONDS_PER_DAY)}\n`;
    }
  }
  out += familyHeader(families.keyExpired);
  for (const p of prepared) {
    const { labels, at } = p.expiring;
    for (let i = 0; i < labels.length; i++) {
      out += `${families.keyExpired.name}${labels[i]} ${nowSeconds >= at[i]! ? 1 : 0}\n`;
    }
  }
  out += familyHeader(families.keySecondsSinceLastUse);
  for (const p of prepared) {
    const { labels, at } = p.used;
    for (let i = 0; i < labels.length; i++) {
      // A last use "in the future" is clock skew between us and upstream, not negative idleness.
      out += `${families.keySecondsSinceLastUse.name}${labels[i]} ${formatValue(Math.max(0, nowSeconds - at[i]!))}\n`;
    }
  }
  out += familyHeader(families.snapshotAge);
  for (const p of prepared) {
    const age = Math.max(0, nowSeconds - p.snapshot.fetchedAt);
    out += `${families.snapshotAge.name}${labelSet(['workspace'], [p.snapshot.workspace])} ${formatValue(age)}\n`;
  }
  return out;
}
