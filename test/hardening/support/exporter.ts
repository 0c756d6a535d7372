/**
 * For the hardening tests: the exporter against any base URL (a relay, a closed port, a name
 * that does not resolve), from the shared stack so settings and logger are the same, and
 * readers of its JSON log lines.
 */
export { startExporterOn, type ExporterRun } from '../../support/stack.js';

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export function parseLogs(logs: readonly string[]): LogLine[] {
  return logs.map((l) => JSON.parse(l) as LogLine);
}

export function warnings(logs: readonly string[]): LogLine[] {
  return parseLogs(logs).filter((l) => l.level === 'warn');
}
