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
  /** panel: PromQL; variable: Grafana's label_values(selector, label) */
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
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return TIME_VARIABLES[name] ?? (typeof values === 'string' ? values : (values[name] ?? '.*'));
  });
}

/** Splits Grafana's `label_values(selector, label)` into what /api/v1/label/<label>/values takes. */
export function parseLabelValues(definition: string): { selector: string; label: string } {
  const match = /^label_values\((.*),\s*(\w+)\s*\)$/s.exec(definition.trim());
  if (!match?.[1] || !match[2]) throw new Error(`not a label_values() query: ${definition}`);
  return { selector: match[1].trim(), label: match[2] };
}
