/**
 * PromQL pieces for the dashboards, built from the metrics contract: a metric name comes from
 * families.ts and a label matcher is checked against that family's labels when the generator
 * compiles, so a renamed metric or label breaks `npm run typecheck` instead of a panel.
 */
import { INFO_LABELS, type Family } from '../../src/exposition/families.js';

type MatchOp = '=' | '!=' | '=~' | '!~';
/** One label matcher as PromQL writes it, e.g. `status="active"`; `L` are the labels allowed. */
export type Matcher<L extends string> = `${L}${MatchOp}"${string}"`;
type LabelOf<F extends Family> = F['labels'][number];

/** A family's series, optionally filtered: `name{m1, m2}`. */
export function series<F extends Family>(family: F, ...matchers: readonly Matcher<LabelOf<F>>[]): string {
  return selector(family.name, matchers);
}

/** One of the series a histogram family is exposed as; `le` is a label of the buckets only. */
export function histogram<F extends Family & { readonly type: 'histogram' }, P extends 'bucket' | 'sum' | 'count'>(
  family: F,
  part: P,
  ...matchers: readonly Matcher<LabelOf<F> | (P extends 'bucket' ? 'le' : never)>[]
): string {
  return selector(`${family.name}_${part}`, matchers);
}

function selector(name: string, matchers: readonly string[]): string {
  return matchers.length === 0 ? name : `${name}{${matchers.join(', ')}}`;
}

/** A label of orq_api_key_info, the only family a per-key value borrows labels from. */
export type InfoLabel = (typeof INFO_LABELS)[number];

/**
 * Per-key series of one target join on the target labels too, so two exporters scraping the
 * same workspace at once (a rolling update) do not break the join with duplicate series.
 */
export const ON_KEY = 'on (job, instance, workspace, api_key_id)';

/** `(value) * on (key) group_left (labels) info`: a per-key value named by the key's labels. */
export function joinInfo(value: string, labels: readonly InfoLabel[], info: string): string {
  return `(${value})\n* ${ON_KEY} group_left (${labels.join(', ')})\n${info}`;
}

/**
 * `expr` with a `project_name` label: the name orq_project_info gives the series' project_id,
 * or the id itself where no name is known (projects switched off or failing, and `all` for
 * keys of every project), so a panel never loses a series for want of a name. `expr` must keep
 * the workspace and project_id labels; `names` is what projectNames() returns.
 */
export function withProjectName(expr: string, names: string): string {
  return (
    `(${expr})\n* on (workspace, project_id) group_left (project_name) ${names}\n` +
    `or label_replace(${expr} unless on (workspace, project_id) ${names}, "project_name", "$1", "project_id", "(.*)")`
  );
}
