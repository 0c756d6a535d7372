import { describe, expect, it } from 'vitest';
import { histogram, joinInfo, series } from '../../scripts/dashboards/promql.js';
import { allFamilies, families } from '../../src/exposition/families.js';

describe('series', () => {
  it('is the bare family name without matchers, for every family', () => {
    for (const family of allFamilies) expect(series(family)).toBe(family.name);
  });

  it('joins matchers of every operator in the order given', () => {
    expect(series(families.keyInfo, 'workspace=~"$workspace"', 'status="active"', 'legacy_token_family!="none"', 'name!~"test.*"')).toBe(
      'orq_api_key_info{workspace=~"$workspace", status="active", legacy_token_family!="none", name!~"test.*"}',
    );
  });

  it('accepts only labels the family has, when the generator compiles', () => {
    // Each line below must fail `npm run typecheck`; if one compiled, its directive would be unused and fail it.
    // @ts-expect-error orq_api_key_expiry_timestamp_seconds has no status label
    series(families.keyExpiry, 'status="active"');
    // @ts-expect-error an operator PromQL does not have
    series(families.keyInfo, 'status=="active"');
    // @ts-expect-error a value must be quoted
    series(families.keyInfo, 'status=active');
    // @ts-expect-error le belongs to the buckets, not the sum
    histogram(families.refreshDuration, 'sum', 'le="1"');
    // @ts-expect-error a gauge has no buckets
    histogram(families.keyInfo, 'bucket');
    expect(histogram(families.refreshDuration, 'bucket', 'le="+Inf"', 'workspace=~"$workspace"')).toBe(
      'orq_exporter_refresh_duration_seconds_bucket{le="+Inf", workspace=~"$workspace"}',
    );
  });
});

describe('joinInfo', () => {
  it('matches on the target and key labels and borrows the labels asked for', () => {
    expect(joinInfo('x > 1', ['name', 'project_id'], 'orq_api_key_info')).toBe(
      '(x > 1)\n* on (job, instance, workspace, api_key_id) group_left (name, project_id)\norq_api_key_info',
    );
  });
});
