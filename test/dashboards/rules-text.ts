/** Variants of the committed rule file, for tests of what reads its thresholds. */
import { THRESHOLD_RECORDS, type Thresholds } from '../../scripts/dashboards/thresholds.js';

/** A rule file's text with one threshold record's expr replaced, or (expr undefined) the record removed. */
export function withThreshold(text: string, record: string, expr: string | undefined): string {
  const line = new RegExp(`^( *)- record: ${record}\\n\\s*expr: .*\\n`, 'm');
  if (!line.test(text)) throw new Error(`${record} not in the rule file`);
  return text.replace(line, (_, indent: string) => (expr === undefined ? '' : `${indent}- record: ${record}\n${indent}  expr: ${expr}\n`));
}

export function withThresholds(text: string, values: Thresholds): string {
  return Object.entries(THRESHOLD_RECORDS).reduce(
    (acc, [key, record]) => withThreshold(acc, record, `vector(${values[key as keyof Thresholds]})`),
    text,
  );
}
