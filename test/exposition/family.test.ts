/**
 * family.ts is the shape of one metric family, with no code to run: checked by the type
 * checker (`npm run typecheck` covers test/), and at runtime by both tables having it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { exporterFamilies } from '../../src/exposition/exporter-families.js';
import type { Computed, Family, MetricType } from '../../src/exposition/family.js';
import { families } from '../../src/exposition/families.js';

describe('Family', () => {
  it('names a type, HELP, labels, when it is computed and when it has series', () => {
    expectTypeOf<MetricType>().toEqualTypeOf<'gauge' | 'counter' | 'histogram'>();
    expectTypeOf<Computed>().toEqualTypeOf<'snapshot' | 'scrape' | 'exporter'>();
    expectTypeOf<Family>().toEqualTypeOf<{
      readonly name: string;
      readonly type: MetricType;
      readonly help: string;
      readonly labels: readonly string[];
      readonly computed: Computed;
      readonly presence: string;
    }>();
  });

  it('is the shape of every entry of both tables, nothing more', () => {
    for (const family of [...Object.values(families), ...Object.values(exporterFamilies)]) {
      expect(Object.keys(family).sort(), family.name).toEqual(['computed', 'help', 'labels', 'name', 'presence', 'type']);
    }
  });
});
