/**
 * Real Prometheus and promtool for tests: find the binaries, run a throwaway Prometheus on
 * loopback with fast intervals, query it, and pull metric names out of PromQL so rule and
 * dashboard files can be checked against the metrics contract.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';

export type BinaryName = 'prometheus' | 'promtool';

export type BinaryLookup =
  | { readonly path: string; readonly missing?: undefined }
  | { readonly path?: undefined; readonly missing: string };

/**
 * Looks for a binary in $PROMETHEUS_BIN / $PROMTOOL_BIN, then on PATH. A missing binary is a
 * skip reason locally but an exception under CI: a CI run that silently skipped the only tests
 * touching a real Prometheus would prove nothing.
 */
export function findBinary(name: BinaryName): BinaryLookup {
  const override = process.env[`${name.toUpperCase()}_BIN`];
  const candidates = override
    ? [override]
    : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return { path: candidate };
    } catch {
      // not here; try the next directory
    }
  }
  const missing = override
    ? `${name} not executable at ${name.toUpperCase()}_BIN=${override}`
    : `${name} not found on PATH (install Prometheus or set ${name.toUpperCase()}_BIN)`;
  if (process.env.CI) throw new Error(`${missing}; CI must run the Prometheus tests, not skip them`);
  return { missing };
}

/** Runs a binary to completion and returns its exit code and output. */
export function run(
  path: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Asks the kernel for a free loopback port. Another process could take it before we bind it,
 * which is unlikely enough on a test machine to accept. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port from the kernel'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export interface ScrapeJob {
  readonly job: string;
  /** host:port pairs */
  readonly targets: readonly string[];
  readonly metricsPath?: string;
}

export interface StartPrometheusOptions {
  readonly scrapeTargets: readonly ScrapeJob[];
  /** Absolute paths of rule files to load. */
  readonly rulesFiles?: readonly string[];
  /** Prometheus duration, e.g. "1s". */
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  readonly readyTimeoutMs?: number;
}

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt: string;
  readonly value: string;
}

export interface RunningPrometheus {
  readonly url: string;
  /** Instant query at now; throws with Prometheus's message when the expression is invalid. */
  query(expr: string): Promise<Sample[]>;
  alerts(): Promise<ActiveAlert[]>;
  /** Polls fn until it returns something other than undefined/false, or throws on timeout. */
  waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what?: string): Promise<T>;
  /** Its stderr so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

interface ApiEnvelope {
  status: 'success' | 'error';
  data?: unknown;
  errorType?: string;
  error?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function api(url: string): Promise<unknown> {
  const response = await fetch(url);
  const body = (await response.json()) as ApiEnvelope;
  if (body.status !== 'success') {
    throw new Error(`Prometheus ${response.status} ${body.errorType ?? ''}: ${body.error ?? 'no error message'}`);
  }
  return body.data;
}

function toSamples(data: unknown): Sample[] {
  if (!isRecord(data)) throw new Error(`unexpected query data: ${JSON.stringify(data)}`);
  const { resultType, result } = data;
  if (resultType === 'scalar' && Array.isArray(result)) {
    return [{ metric: {}, value: Number(result[1]) }];
  }
  if (resultType !== 'vector' || !Array.isArray(result)) {
    throw new Error(`expected an instant vector, got ${String(resultType)}`);
  }
  return result.map((entry: unknown) => {
    if (!isRecord(entry) || !isRecord(entry.metric) || !Array.isArray(entry.value)) {
      throw new Error(`unexpected sample: ${JSON.stringify(entry)}`);
    }
    return { metric: entry.metric as Record<string, string>, value: Number(entry.value[1]) };
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const binary = findBinary('prometheus');
  if (binary.path === undefined) throw new Error(binary.missing);

  const dir = await mkdtemp(join(tmpdir(), 'orq-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = {
    global: {
      scrape_interval: options.scrapeInterval ?? '1s',
      scrape_timeout: options.scrapeInterval ?? '1s',
      evaluation_interval: options.evaluationInterval ?? '1s',
    },
    rule_files: [...(options.rulesFiles ?? [])],
    scrape_configs: options.scrapeTargets.map((job) => ({
      job_name: job.job,
      metrics_path: job.metricsPath ?? '/metrics',
      static_configs: [{ targets: [...job.targets] }],
    })),
  };
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, stringify(config));

  const child = spawn(
    binary.path,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    // The tail is what explains a failure; keep memory bounded on long runs.
    stderr = (stderr + chunk).slice(-20_000);
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  const waitFor = async <T>(
    fn: () => Promise<T | undefined | false>,
    timeoutMs: number,
    what = 'condition',
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const value = await fn();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        lastError = error;
      }
      if (child.exitCode !== null) throw new Error(`Prometheus exited (${child.exitCode}) while waiting for ${what}:\n${stderr}`);
      if (Date.now() > deadline) {
        const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  try {
    await waitFor(
      async () => (await fetch(`${url}/-/ready`)).ok,
      options.readyTimeoutMs ?? 30_000,
      'Prometheus /-/ready',
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    query: async (expr) => toSamples(await api(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)),
    alerts: async () => {
      const data = await api(`${url}/api/v1/alerts`);
      if (!isRecord(data) || !Array.isArray(data.alerts)) throw new Error('unexpected /api/v1/alerts data');
      return data.alerts as ActiveAlert[];
    },
    waitFor,
    log: () => stderr,
    stop,
  };
}

const PROMQL_KEYWORDS = new Set([
  'and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring',
  'group_left', 'group_right', 'inf', 'nan', 'atan2',
]);

/**
 * Metric names a PromQL expression selects. A small lexer rather than a parser: it drops
 * strings, label matchers, ranges, grouping label lists and Grafana variables, then keeps the
 * identifiers that are not keywords, numbers or function calls. Good enough to check names
 * against the contract; a real parse is left to Prometheus itself.
 */
export function metricNamesIn(expr: string): Set<string> {
  const stripped = expr
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  const token = /\d[\w.]*(?:[eE][+-]?\d+)?|[a-zA-Z_:][\w:]*/g;
  for (const match of stripped.matchAll(token)) {
    const word = match[0];
    if (/^\d/.test(word) || PROMQL_KEYWORDS.has(word.toLowerCase())) continue;
    const rest = stripped.slice((match.index ?? 0) + word.length);
    if (/^\s*\(/.test(rest)) continue;
    names.add(word);
  }
  return names;
}
