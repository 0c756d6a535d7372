/**
 * One builder per kind of panel the dashboards use. A builder fixes how its kind looks (legend,
 * colours, reducers), so every stat, table or graph looks alike; a call names only what differs:
 * title, description, queries, unit, thresholds and size. Builders return a panel without a
 * place or id: layout.ts places it and dashboard.ts numbers it.
 */
import {
  DATASOURCE,
  type Override,
  type OverrideProperty,
  type PanelBody,
  type Target,
  type ThresholdsConfig,
  type ThresholdStep,
  type Transformation,
} from './model.js';

/** A panel and the grid cells it takes (24 columns make a line). */
export interface PanelSpec {
  readonly w: number;
  readonly h: number;
  readonly body: PanelBody;
}

/** Stats, pies and bars show the latest value of each series. */
const LAST_VALUE = { calcs: ['lastNotNull'], fields: '', values: false } as const;

export interface TargetOptions {
  /** Grafana's legend template, e.g. `{{status}}` */
  readonly legend?: string;
  /** the value now rather than a range over the dashboard's time */
  readonly instant?: boolean;
  /** one row per series, labels as columns (instant) */
  readonly table?: boolean;
}

/** One query; refIds A, B, … name a table's value columns `Value #A`, `Value #B`. */
export function target(refId: string, expr: string, { legend = '', instant = false, table = false }: TargetOptions = {}): Target {
  return {
    datasource: DATASOURCE,
    refId,
    expr,
    legendFormat: legend,
    instant: instant || table,
    range: !(instant || table),
    format: table ? 'table' : 'time_series',
    editorMode: 'code',
  };
}

/** Colour steps, lowest first: `steps(['green', null], ['red', 1])` is green below 1, red from 1. */
export function steps(...pairs: readonly (readonly [color: string, from: number | null])[]): ThresholdsConfig {
  return { mode: 'absolute', steps: pairs.map(([color, value]): ThresholdStep => ({ color, value })) };
}

/** A count that should be 0: any key found turns it `color`. */
export const problemCount = (color: 'orange' | 'red'): ThresholdsConfig => steps(['green', null], [color, 1]);

export interface ValueMapping {
  readonly type: 'value';
  readonly options: Readonly<Record<number, { readonly text: string; readonly index: number }>>;
}

export interface StatOptions {
  readonly unit?: string;
  readonly thresholds?: ThresholdsConfig;
  readonly mappings?: readonly ValueMapping[];
  readonly w?: number;
}

/** One number, its background coloured by thresholds. */
export function stat(
  title: string,
  description: string,
  expr: string,
  { unit = 'short', thresholds = steps(['green', null]), mappings = [], w = 4 }: StatOptions = {},
): PanelSpec {
  return {
    w,
    h: 4,
    body: {
      ...head('stat', title, description, [target('A', expr, { instant: true })]),
      fieldConfig: {
        defaults: { unit, thresholds, mappings, color: { mode: 'thresholds' } },
        overrides: [],
      },
      options: {
        reduceOptions: LAST_VALUE,
        colorMode: 'background',
        graphMode: 'none',
        justifyMode: 'auto',
        orientation: 'auto',
        textMode: 'value',
        wideLayout: true,
        showPercentChange: false,
      },
    },
  };
}

/** Shares of a whole, one slice per series named by `legend`. */
export function pie(title: string, description: string, expr: string, legend: string): PanelSpec {
  return {
    w: 6,
    h: 8,
    body: {
      ...head('piechart', title, description, [target('A', expr, { legend, instant: true })]),
      fieldConfig: { defaults: { unit: 'short', color: { mode: 'palette-classic' } }, overrides: [] },
      options: {
        pieType: 'donut',
        reduceOptions: LAST_VALUE,
        legend: { displayMode: 'table', placement: 'right', showLegend: true, values: ['value'] },
        tooltip: { mode: 'single', sort: 'none' },
        displayLabels: [],
      },
    },
  };
}

/** Horizontal bars, one per series named by `legend`, in the query's order. */
export function bars(title: string, description: string, expr: string, legend: string): PanelSpec {
  return {
    w: 6,
    h: 8,
    body: {
      ...head('bargauge', title, description, [target('A', expr, { legend, instant: true })]),
      fieldConfig: {
        defaults: { unit: 'short', min: 0, color: { mode: 'continuous-BlPu' }, thresholds: steps(['green', null]) },
        overrides: [],
      },
      options: {
        orientation: 'horizontal',
        displayMode: 'gradient',
        showUnfilled: true,
        valueMode: 'color',
        namePlacement: 'auto',
        sizing: 'auto',
        minVizHeight: 10,
        minVizWidth: 0,
        maxVizHeight: 300,
        reduceOptions: LAST_VALUE,
      },
    },
  };
}

export interface TimeseriesOptions {
  readonly unit?: string;
  readonly w?: number;
  readonly h?: number;
  /** stack the series: parts of a total, such as keys per status */
  readonly stack?: boolean;
}

/** Lines over the dashboard's time range. */
export function timeseries(
  title: string,
  description: string,
  targets: readonly Target[],
  { unit = 'short', w = 12, h = 8, stack = false }: TimeseriesOptions = {},
): PanelSpec {
  return {
    w,
    h,
    body: {
      ...head('timeseries', title, description, targets),
      fieldConfig: {
        defaults: {
          unit,
          color: { mode: 'palette-classic' },
          custom: {
            drawStyle: 'line',
            lineWidth: 1,
            fillOpacity: stack ? 30 : 10,
            showPoints: 'never',
            spanNulls: false,
            stacking: { mode: stack ? 'normal' : 'none', group: 'A' },
            axisPlacement: 'auto',
          },
        },
        overrides: [],
      },
      options: {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    },
  };
}

/** Target labels and the series name say nothing to a reader of a key table. */
const HIDDEN_COLUMNS: Readonly<Record<string, true>> = { Time: true, __name__: true, job: true, instance: true };
const COLUMN_TITLES: Readonly<Record<string, string>> = {
  name: 'Name',
  api_key_id: 'Key id',
  workspace: 'Workspace',
  project_id: 'Project',
  owner_type: 'Owner type',
  owner_id: 'Owner',
  token_prefix: 'Prefix',
  status: 'Status',
  period: 'Period',
  legacy_token_family: 'Legacy family',
};
/** The key's name, then its values, then the labels that tell keys apart; the id last. */
const COLUMN_ORDER = [
  'name',
  'Value #A',
  'Value',
  'Value #B',
  'status',
  'project_id',
  'owner_type',
  'owner_id',
  'token_prefix',
  'period',
  'legacy_token_family',
  'workspace',
  'api_key_id',
];

export interface TableOptions {
  /** titles of value columns (`Value`, `Value #A`, …) and of labels without a common title */
  readonly columns: Readonly<Record<string, string>>;
  readonly sortBy?: { readonly displayName: string; readonly desc: boolean };
  readonly overrides?: readonly Override[];
  /** labels not worth a column here */
  readonly hide?: readonly string[];
  readonly w?: number;
  readonly h?: number;
}

/**
 * A table of per-key rows. Several queries are merged on their labels, so each must return
 * the same label set; `columns` names their value columns, `hide` drops extra labels.
 */
export function table(
  title: string,
  description: string,
  targets: readonly Target[],
  { columns, sortBy, overrides = [], hide = [], w = 12, h = 8 }: TableOptions,
): PanelSpec {
  const organize: Transformation = {
    id: 'organize',
    options: {
      excludeByName: { ...HIDDEN_COLUMNS, ...Object.fromEntries(hide.map((label) => [label, true] as const)) },
      indexByName: Object.fromEntries(COLUMN_ORDER.map((field, i) => [field, i])),
      renameByName: { ...COLUMN_TITLES, ...columns },
    },
  };
  return {
    w,
    h,
    body: {
      ...head('table', title, description, targets),
      fieldConfig: {
        defaults: {
          custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false, filterable: true },
          thresholds: steps(['green', null]),
        },
        overrides,
      },
      options: {
        showHeader: true,
        cellHeight: 'sm',
        footer: { show: false, reducer: ['sum'], countRows: false, fields: '' },
        sortBy: sortBy ? [sortBy] : [],
      },
      transformations: targets.length > 1 ? [{ id: 'merge', options: {} }, organize] : [organize],
    },
  };
}

/** Settings for one table column, by its title. */
export const column = (name: string, properties: readonly OverrideProperty[]): Override => ({
  matcher: { id: 'byName', options: name },
  properties,
});

/** A column of days, one decimal; with thresholds, its cells coloured by them. */
export function daysColumn(name: string, thresholds?: ThresholdsConfig): Override {
  return column(name, [
    { id: 'unit', value: 'none' },
    { id: 'decimals', value: 1 },
    ...(thresholds
      ? ([
          { id: 'thresholds', value: thresholds },
          { id: 'color', value: { mode: 'thresholds' } },
          { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
        ] as const)
      : []),
  ]);
}

/** A column of Unix times in milliseconds, shown as dates. */
export const dateColumn = (name: string): Override => column(name, [{ id: 'unit', value: 'dateTimeAsIso' }]);

function head(type: PanelBody['type'], title: string, description: string, targets: readonly Target[]) {
  return { type, title, description, datasource: DATASOURCE, targets };
}
