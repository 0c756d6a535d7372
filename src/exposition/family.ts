/**
 * What one metric family is, as the contract states it: the shape shared by the key families
 * (families.ts) and the exporter's own (exporter-families.ts), kept apart so neither table
 * imports the other for it.
 */
export type MetricType = 'gauge' | 'counter' | 'histogram';

/** When a family's values are computed. */
export type Computed =
  /** once per snapshot: the value only changes when upstream data changes */
  | 'snapshot'
  /** at every scrape, from the snapshot and the clock */
  | 'scrape'
  /** by the exporter's own instrumentation (prom-client) */
  | 'exporter';

export interface Family {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
  readonly computed: Computed;
  /** when the family has a series at all, for the README */
  readonly presence: string;
}
