/**
 * Checks of the Prometheus text format (version 0.0.4): a strict line grammar in a few
 * regular expressions, cheap enough for every generated case, and the real promtool for a
 * sample of them.
 */
import { spawn } from 'node:child_process';
import { findBinary } from '../../support/prometheus.js';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABEL = `${LABEL_NAME}=${LABEL_VALUE}`;
// Go's ParseFloat, which Prometheus uses, takes NaN and Inf in any case (prom-client writes "Nan").
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?[Ii][Nn][Ff](?:[Ii][Nn][Ii][Tt][Yy])?|[Nn][Aa][Nn])';
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const LABEL_PAIR = new RegExp(`(${LABEL_NAME})=${LABEL_VALUE}`, 'g');

/** The family a sample belongs to: histogram and summary series carry suffixes. */
function familyOf(sample: string, types: ReadonlyMap<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      const type = types.get(base);
      if (type === 'histogram' || type === 'summary') return base;
    }
  }
  return sample;
}

/** Every problem found, one string each; empty when the text is valid. */
export function formatProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.length > 0 && !text.endsWith('\n')) problems.push('does not end with a newline');
  const types = new Map<string, string>();
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  const enter = (family: string, line: number): void => {
    if (family === current) return;
    if (current !== undefined) finished.add(current);
    if (finished.has(family)) problems.push(`line ${line}: family ${family} is not contiguous`);
    current = family;
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const n = i + 1;
    // The format ignores empty lines; prom-client writes one after each of its families.
    if (line === '') return;
    if (line.startsWith('#')) {
      const help = HELP.exec(line);
      const type = TYPE.exec(line);
      if (help) enter(help[1]!, n);
      else if (type) {
        if (types.has(type[1]!)) problems.push(`line ${n}: second TYPE for ${type[1]}`);
        types.set(type[1]!, type[2]!);
        enter(type[1]!, n);
      } else problems.push(`line ${n}: malformed comment ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) {
      problems.push(`line ${n}: malformed sample ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
    enter(familyOf(sample[1]!, types), n);
    const labels = [...(sample[2] ?? '').matchAll(LABEL_PAIR)].map((m) => m[1]!);
    if (new Set(labels).size !== labels.length) problems.push(`line ${n}: repeated label name`);
    const id = `${sample[1]}${sample[2] ?? ''}`;
    if (series.has(id)) problems.push(`line ${n}: duplicate series ${JSON.stringify(id.slice(0, 200))}`);
    series.add(id);
  });
  return problems;
}

/** The only complaint promtool may make: the days gauge is named in days on purpose (the contract). */
const ACCEPTED_LINT = /^orq_api_key_days_to_expiry use base unit "seconds" instead of "days"$/;

export interface PromtoolResult {
  readonly code: number | null;
  readonly output: string;
  /** Exit 0, or exit 3 with nothing but the accepted lint line. */
  readonly ok: boolean;
}

export function promtoolPath(): string {
  const found = findBinary('promtool');
  if (found.path === undefined) throw new Error(found.missing);
  return found.path;
}

/** Runs `promtool check metrics` on the text through stdin. */
export function promtoolCheck(text: string | Buffer, path = promtoolPath()): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const complaints = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const ok = code === 0 || (code === 3 && complaints.length > 0 && complaints.every((l) => ACCEPTED_LINT.test(l)));
      resolve({ code, output, ok });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}
