/**
 * A dashboard from its sections: rows of panels laid out by layout.ts, numbered in reading
 * order, with what Grafana needs to import it anywhere: `__inputs` asks the importer for a
 * Prometheus datasource, `__requires` lists the panel plugins actually used, and every query
 * goes through the `datasource` variable (no datasource uid in the file).
 */
import { layout, type Placeable } from './layout.js';
import {
  DATASOURCE,
  type Dashboard,
  type DatasourceVariable,
  type Panel,
  type PanelType,
  type QueryVariable,
  type Requirement,
  type RowPanel,
} from './model.js';
import type { PanelSpec } from './panels.js';

/** A row header and the panels under it. */
export interface Section {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** Rows and panels in reading order, each with its place on the grid and an id from 1 up. */
export function assemble(sections: readonly Section[]): (Panel | RowPanel)[] {
  const items = sections.flatMap((section) => [
    { row: section.title } as const,
    ...section.panels.map((spec) => ({ spec })),
  ]);
  const positions = layout(
    items.map((item): Placeable =>
      'row' in item ? { kind: 'row', title: item.row } : { kind: 'panel', title: item.spec.body.title, w: item.spec.w, h: item.spec.h },
    ),
  );
  return items.map((item, i): Panel | RowPanel => {
    const id = i + 1;
    const gridPos = positions[i];
    if (gridPos === undefined) throw new Error(`layout placed ${positions.length} of ${items.length} items`);
    if ('row' in item) return { type: 'row', title: item.row, collapsed: false, id, gridPos, panels: [] };
    // id and gridPos go right after the description, where Grafana's own export puts them.
    const { type, title, description, ...rest } = item.spec.body;
    return { type, title, description, id, gridPos, ...rest };
  });
}

/** A multi-value variable listing one label's values, "All" by default. */
export function labelVariable(name: string, label: string, query: string): QueryVariable {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition: query,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    regex: '',
    sort: 1,
    hide: 0,
    skipUrlSync: false,
  };
}

/**
 * A multi-value variable from the series a PromQL query returns: Grafana's query_result()
 * prints each series with its labels sorted, and `regex` takes the option's text and value
 * from them with named groups (`(?<text>…)`, `(?<value>…)`), "All" by default.
 */
export function queryResultVariable(name: string, label: string, promql: string, regex: string): QueryVariable {
  const query = `query_result(${promql})`;
  return {
    ...labelVariable(name, label, query),
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 3 },
    regex,
  };
}

/** The oldest Grafana the JSON is written for: schemaVersion 39 and the panel options used. */
const GRAFANA_VERSION = '10.4.0';
const SCHEMA_VERSION = 39;
const PANEL_NAMES: Readonly<Record<PanelType, string>> = {
  bargauge: 'Bar gauge',
  piechart: 'Pie chart',
  stat: 'Stat',
  table: 'Table',
  timeseries: 'Time series',
};

export interface DashboardDefinition {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  /** after the datasource variable, which every dashboard has */
  readonly variables: readonly QueryVariable[];
  readonly sections: readonly Section[];
}

export function dashboard(definition: DashboardDefinition): Dashboard {
  const panels = assemble(definition.sections);
  const panelTypes = [...new Set(panels.flatMap((p) => (p.type === 'row' ? [] : [p.type])))].sort();
  const datasource: DatasourceVariable = {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    // Import from grafana.com replaces ${DS_PROMETHEUS}; a provisioned copy keeps the
    // literal, matches no datasource and Grafana falls back to the default Prometheus.
    current: { selected: false, text: '${DS_PROMETHEUS}', value: '${DS_PROMETHEUS}' },
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    refresh: 1,
    regex: '',
    skipUrlSync: false,
  };
  return {
    __inputs: [
      {
        name: 'DS_PROMETHEUS',
        label: 'Prometheus',
        description: 'Prometheus that scrapes orq-api-keys-exporter',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __elements: {},
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: GRAFANA_VERSION },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      ...panelTypes.map((id): Requirement => ({ type: 'panel', id, name: PANEL_NAMES[id], version: '' })),
    ],
    annotations: { list: [] },
    description: definition.description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [],
    panels,
    refresh: definition.refresh,
    schemaVersion: SCHEMA_VERSION,
    tags: definition.tags,
    templating: { list: [datasource, ...definition.variables] },
    time: definition.time,
    timepicker: {},
    timezone: '',
    title: definition.title,
    uid: definition.uid,
    version: 1,
    weekStart: '',
  };
}

/** The file Grafana imports: two-space JSON and a final newline, as the committed files are. */
export function renderDashboard(board: Dashboard): string {
  return `${JSON.stringify(board, null, 2)}\n`;
}
