/**
 * Every file generated from code and the rule file, as text, computed without touching the
 * disk: the command writes or checks them, the tests compare them with what is committed.
 */
import { parseYaml } from '../src/util/yaml.js';
import { renderDashboard } from './dashboards/dashboard.js';
import { overviewDashboard } from './dashboards/overview.js';
import { readThresholds } from './dashboards/thresholds.js';
import { renderPrometheusRule } from './prometheusrule.js';

/** The rules Prometheus loads; the dashboards take their thresholds from it, Kubernetes a copy. */
export const RULES_FILE = 'alerts/orq-api-keys.rules.yml';

export interface GeneratedFile {
  /** relative to the repository root */
  readonly path: string;
  readonly text: string;
}

export type Generated =
  | { readonly ok: true; readonly files: readonly GeneratedFile[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/** What every generated file should hold, given the rule file's text; one line per problem. */
export function generate(rulesText: string): Generated {
  const failed = (problems: readonly string[]): Generated => ({ ok: false, problems: problems.map((p) => `${RULES_FILE}: ${p}`) });
  const parsed = parseYaml(rulesText);
  if (!parsed.ok) return failed(parsed.problems);
  const thresholds = readThresholds(parsed.value);
  if (!thresholds.ok) return failed(thresholds.problems);
  return {
    ok: true,
    files: [
      { path: 'dashboards/orq-api-keys-overview.json', text: renderDashboard(overviewDashboard(thresholds.thresholds)) },
      { path: 'deploy/kubernetes/prometheusrule.yaml', text: renderPrometheusRule(parsed.value, RULES_FILE) },
    ],
  };
}
