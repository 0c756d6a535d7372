/**
 * Reloading the configuration on SIGHUP or POST /-/reload, as Prometheus does: the settings
 * and the files they name are read again (the workspaces file or the token file, the web
 * config). A configuration with any problem is refused whole, one line per problem, and the
 * running one stays; either way orq_exporter_config_last_reload_successful says how it went.
 * Reloads never overlap: one asked for while another runs waits for it.
 */
import type { Config, ConfigResult } from './config.js';
import type { Logger } from './log.js';

/** What a reload changed, by workspace name. */
export interface ReloadSummary {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly replaced: readonly string[];
  readonly kept: readonly string[];
  /** Settings that differ but only change at a restart; their running values stay. */
  readonly needRestart: readonly string[];
}

export type ReloadResult = { readonly ok: true; readonly summary: ReloadSummary } | { readonly ok: false; readonly errors: readonly string[] };

export interface ReloaderOptions {
  /** Reads the settings and files again. */
  readonly load: () => ConfigResult;
  /** Makes the running exporter follow a configuration that was accepted. */
  readonly apply: (config: Config) => Promise<ReloadSummary>;
  /** Told whether the reload succeeded, for the reload metrics. */
  readonly record: (ok: boolean) => void;
  readonly logger: Logger;
  /** Every token the exporter has known, old ones included, kept out of the problem lines. */
  readonly redact: (text: string) => string;
}

/** A function that reloads; `trigger` (SIGHUP, POST /-/reload) is for the log. */
export function createReloader(options: ReloaderOptions): (trigger: string) => Promise<ReloadResult> {
  let queue: Promise<unknown> = Promise.resolve();
  return (trigger) => {
    const next = queue.then(() => reloadOnce(options, trigger));
    queue = next.catch(() => undefined);
    return next;
  };
}

async function reloadOnce(options: ReloaderOptions, trigger: string): Promise<ReloadResult> {
  const { logger } = options;
  let loaded: ConfigResult;
  try {
    loaded = options.load();
  } catch (error) {
    // loadConfig reports problems rather than throwing; one that throws is a bug, still no crash.
    options.record(false);
    const line = options.redact(`reading the configuration failed: ${error instanceof Error ? error.message : String(error)}`);
    logger.error('configuration reload failed', { trigger, error: line });
    return { ok: false, errors: [line] };
  }
  if (loaded.ok !== true) {
    // --help and --version cannot come back from the same arguments; said rather than ignored.
    const errors = (loaded.ok === false ? loaded.errors : [`the arguments now ask for --${loaded.ok}`]).map(options.redact);
    options.record(false);
    logger.error('configuration reload refused; the running configuration is kept', { trigger, problems: errors });
    return { ok: false, errors };
  }
  let summary: ReloadSummary;
  try {
    summary = await options.apply(loaded.config);
  } catch (error) {
    // A bug of ours rather than a bad file; still reported the same way, never a crash.
    options.record(false);
    const line = options.redact(`reload failed: ${error instanceof Error ? error.message : String(error)}`);
    logger.error('configuration reload failed', { trigger, error });
    return { ok: false, errors: [line] };
  }
  options.record(true);
  logger.info('configuration reloaded', { trigger, ...summary });
  if (summary.needRestart.length > 0) {
    logger.warn('some settings changed that only take effect at a restart; their running values are kept', { settings: summary.needRestart });
  }
  return { ok: true, summary };
}
