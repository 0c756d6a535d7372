/**
 * The shape of the Grafana dashboards this repository ships, as far as the tests read it, and
 * the PromQL in them with Grafana's variables substituted so Prometheus can run it.
 */

export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly instant?: boolean;
  readonly format?: string;
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
  readonly fieldConfig?: {
    readonly overrides?: readonly {
      readonly matcher: { readonly id: string; readonly options: string };
      readonly properties: readonly { readonly id: string; readonly value: unknown }[];
    }[];
  };
  readonly options?: { readonly sortBy?: unknown };
}

export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly regex?: string;
  readonly query?: unknown;
  readonly definition?: string;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
}

export interface Dashboard {
  readonly uid: string;
  readonly id: number | null;
  readonly title: string;
  readonly schemaVersion: number;
  readonly __inputs?: readonly unknown[];
  readonly __requires?: readonly { readonly type: string; readonly id: string }[];
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
}

export interface DashboardQuery {
  readonly where: string;
  readonly expr: string;
  /** panel: PromQL; variable: Grafana's label_values(selector, label) or query_result(promql) */
  readonly kind: 'panel' | 'variable';
}

export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const fromPanels = (panels: readonly Panel[]): DashboardQuery[] =>
    panels.flatMap((panel) => [
      ...(panel.targets ?? []).map((t) => ({
        where: `panel ${panel.id} "${panel.title}" ${t.refId}`,
        expr: t.expr,
        kind: 'panel' as const,
      })),
      ...fromPanels(panel.panels ?? []),
    ]);
  const fromVariables = dashboard.templating.list
    .filter((v) => v.type === 'query' && v.definition !== undefined)
    .map((v) => ({ where: `variable ${v.name}`, expr: v.definition ?? '', kind: 'variable' as const }));
  return [...fromPanels(dashboard.panels), ...fromVariables];
}

/** What Grafana puts in for its built-in time variables when Prometheus runs the query. */
const TIME_VARIABLES: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
};

/**
 * Replaces $var and ${var}: Grafana's time variables by fixed durations, template variables by
 * `values` (one string for all of them, or per name with `.*`, Grafana's "All", for the rest).
 */
export function substituteVariables(expr: string, values: string | Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole: string, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    // `$1` in label_replace is PromQL's, not a variable: Grafana leaves names it does not know.
    if (/^\d/.test(name)) return whole;
    return TIME_VARIABLES[name] ?? (typeof values === 'string' ? values : (values[name] ?? '.*'));
  });
}

/** Splits Grafana's `label_values(selector, label)` into what /api/v1/label/<label>/values takes. */
export function parseLabelValues(definition: string): { selector: string; label: string } {
  const match = /^label_values\((.*),\s*(\w+)\s*\)$/s.exec(definition.trim());
  if (!match?.[1] || !match[2]) throw new Error(`not a label_values() query: ${definition}`);
  return { selector: match[1].trim(), label: match[2] };
}

/** A template variable's query: a label's values, or the series of a PromQL query (query_result). */
export type VariableQuery =
  | { readonly kind: 'label_values'; readonly selector: string; readonly label: string }
  | { readonly kind: 'query_result'; readonly promql: string };

export function parseVariableQuery(definition: string): VariableQuery {
  const result = /^query_result\((.*)\)$/s.exec(definition.trim());
  if (result?.[1]) return { kind: 'query_result', promql: result[1] };
  return { kind: 'label_values', ...parseLabelValues(definition) };
}

/** The PromQL a variable runs, for checks of the metric names it reads. */
export function variablePromql(definition: string): string {
  const query = parseVariableQuery(definition);
  return query.kind === 'query_result' ? query.promql : query.selector;
}

/**
 * What Grafana lists for a query_result() variable: each series printed as
 * `name{label="value",...} value timestamp` with labels sorted, then the option's text and
 * value taken by the regex's named groups (text, value), or its first group.
 */
export function queryResultOptions(
  series: readonly { readonly metric: Readonly<Record<string, string>>; readonly value: readonly [number, string] }[],
  regex: string,
): { text: string; value: string }[] {
  const source = /^\/(.*)\/([a-z]*)$/s.exec(regex);
  const pattern = source ? new RegExp(source[1] ?? '', source[2]) : undefined;
  return series.flatMap(({ metric, value }) => {
    const { __name__: name = '', ...labels } = metric;
    const text = `${name}{${Object.keys(labels)
      .sort()
      // Unescaped, as Grafana writes them (getOriginalMetricName), in Prometheus's label order.
      .map((k) => `${k}="${labels[k]}"`)
      .join(',')}} ${value[1]} ${value[0] * 1000}`;
    if (pattern === undefined) return [{ text, value: text }];
    const match = pattern.exec(text);
    if (!match) return [];
    const picked = match.groups?.['text'] ?? match.groups?.['value'] ?? match[1] ?? text;
    return [{ text: picked, value: match.groups?.['value'] ?? picked }];
  });
}
