/**
 * The part of Grafana's dashboard JSON (schemaVersion 39, Grafana 10.4+) the generator writes,
 * typed as narrowly as we write it. What a panel author passes (targets, overrides, thresholds,
 * transformations, sizes) is checked when the generator compiles; each panel kind's fixed
 * display options are written once, in panels.ts, and typed there only as objects.
 */

/** Every panel, target and variable uses the dashboard's own datasource variable, never a uid:
 * the same file then works imported from grafana.com (__inputs) and provisioned from disk. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
export type DatasourceRef = typeof DATASOURCE;

export interface Target {
  readonly datasource: DatasourceRef;
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
  readonly instant: boolean;
  readonly range: boolean;
  readonly format: 'time_series' | 'table';
  readonly editorMode: 'code';
}

export interface ThresholdStep {
  readonly color: string;
  /** null: the base step, from minus infinity */
  readonly value: number | null;
}
export interface ThresholdsConfig {
  readonly mode: 'absolute';
  readonly steps: readonly ThresholdStep[];
}

export type OverrideProperty =
  | { readonly id: 'unit'; readonly value: string }
  | { readonly id: 'decimals'; readonly value: number }
  | { readonly id: 'thresholds'; readonly value: ThresholdsConfig }
  | { readonly id: 'color'; readonly value: { readonly mode: 'thresholds' } }
  | { readonly id: 'custom.cellOptions'; readonly value: { readonly type: 'color-background'; readonly mode: 'basic' } | { readonly type: 'color-text' } }
  | { readonly id: 'mappings'; readonly value: readonly ValueMap[] };

/** Grafana's value mapping: a value shown as a word, in a colour. */
export interface ValueMap {
  readonly type: 'value';
  readonly options: Readonly<Record<string, { readonly text: string; readonly color?: string; readonly index: number }>>;
}

export interface Override {
  readonly matcher: { readonly id: 'byName'; readonly options: string };
  readonly properties: readonly OverrideProperty[];
}

export type Transformation =
  | { readonly id: 'merge'; readonly options: Record<string, never> }
  | {
      readonly id: 'organize';
      readonly options: {
        readonly excludeByName: Readonly<Record<string, true>>;
        readonly indexByName: Readonly<Record<string, number>>;
        readonly renameByName: Readonly<Record<string, string>>;
      };
    };

export type PanelType = 'stat' | 'piechart' | 'bargauge' | 'timeseries' | 'table';

/** A panel as its kind builds it: everything but where it sits and its id. */
export interface PanelBody {
  readonly type: PanelType;
  readonly title: string;
  readonly description: string;
  readonly datasource: DatasourceRef;
  readonly targets: readonly Target[];
  readonly fieldConfig: { readonly defaults: object; readonly overrides: readonly Override[] };
  readonly options: object;
  readonly transformations?: readonly Transformation[];
}

export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

export interface Panel extends PanelBody {
  readonly id: number;
  readonly gridPos: GridPos;
}

export interface RowPanel {
  readonly type: 'row';
  readonly title: string;
  readonly collapsed: false;
  readonly id: number;
  readonly gridPos: GridPos;
  readonly panels: readonly [];
}

export interface QueryVariable {
  readonly name: string;
  readonly label: string;
  readonly type: 'query';
  readonly datasource: DatasourceRef;
  readonly definition: string;
  /** qryType 1: label_values(); 3: query_result() */
  readonly query: { readonly query: string; readonly refId: string; readonly qryType: 1 | 3 };
  readonly refresh: 2;
  readonly multi: true;
  readonly includeAll: true;
  readonly allValue: '.*';
  readonly current: { readonly selected: true; readonly text: readonly ['All']; readonly value: readonly ['$__all'] };
  readonly options: readonly [];
  /** Applied to each option; with query_result(), named groups text and value pick them out. */
  readonly regex: string;
  readonly sort: 1;
  readonly hide: 0;
  readonly skipUrlSync: false;
}

export interface DatasourceVariable {
  readonly name: 'datasource';
  readonly label: string;
  readonly type: 'datasource';
  readonly query: 'prometheus';
  readonly current: { readonly selected: false; readonly text: string; readonly value: string };
  readonly hide: 0;
  readonly includeAll: false;
  readonly multi: false;
  readonly options: readonly [];
  readonly refresh: 1;
  readonly regex: '';
  readonly skipUrlSync: false;
}

export interface Requirement {
  readonly type: 'grafana' | 'datasource' | 'panel';
  readonly id: string;
  readonly name: string;
  readonly version: string;
}

export interface Dashboard {
  readonly __inputs: readonly {
    readonly name: string;
    readonly label: string;
    readonly description: string;
    readonly type: 'datasource';
    readonly pluginId: 'prometheus';
    readonly pluginName: 'Prometheus';
  }[];
  readonly __elements: Record<string, never>;
  readonly __requires: readonly Requirement[];
  readonly annotations: { readonly list: readonly [] };
  readonly description: string;
  readonly editable: boolean;
  readonly fiscalYearStartMonth: number;
  /** 0 off, 1 shared crosshair, 2 shared tooltip */
  readonly graphTooltip: 0 | 1 | 2;
  /** null: Grafana gives the imported copy its own */
  readonly id: null;
  readonly links: readonly [];
  readonly panels: readonly (Panel | RowPanel)[];
  readonly refresh: string;
  readonly schemaVersion: number;
  readonly tags: readonly string[];
  readonly templating: { readonly list: readonly (DatasourceVariable | QueryVariable)[] };
  readonly time: { readonly from: string; readonly to: string };
  readonly timepicker: Record<string, never>;
  readonly timezone: string;
  readonly title: string;
  readonly uid: string;
  readonly version: number;
  readonly weekStart: string;
}
