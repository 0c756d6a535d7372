#!/usr/bin/env node
/** Process wiring: settings, the exporter, signals and exit codes. */
import { helpText, loadConfig } from './config.js';
import { listenFailure } from './config/listen.js';
import { startExporter, type RunningExporter } from './exporter.js';
import { createLogger, redactor } from './log.js';
import { VERSION } from './version.js';

/** A setting to change: bad settings, and an address or port the exporter cannot listen on. */
const EXIT_CONFIG = 2;
const STOP_GRACE_MS = 5_000;

async function main(): Promise<void> {
  const result = loadConfig({ env: process.env, argv: process.argv.slice(2) });
  if (result.ok === 'help') {
    process.stdout.write(helpText('orq-api-keys-exporter'));
    return;
  }
  if (result.ok === 'version') {
    process.stdout.write(`orq-api-keys-exporter ${VERSION}\n`);
    return;
  }
  if (result.ok === false) {
    for (const line of result.errors) process.stderr.write(`${line}\n`);
    process.exitCode = EXIT_CONFIG;
    return;
  }
  const argv = process.argv.slice(2);
  const { config, listenLabels } = result;
  const tokens = config.workspaces.map((w) => w.token);
  const logger = createLogger({ level: config.logLevel, secrets: tokens });
  const redact = redactor(tokens);

  // A crash dump must not carry the token either: log through the redacting logger and exit.
  const crash = (error: unknown): void => {
    logger.error('unexpected error; exiting', { error });
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  let exporter: RunningExporter | undefined;
  // Installed before the exporter starts: Node.js exits on a SIGHUP nobody listens to.
  process.on('SIGHUP', () => {
    if (exporter === undefined) logger.warn('SIGHUP before the exporter started; nothing reloaded');
    else void exporter.reloadConfig('SIGHUP');
  });
  try {
    // The same environment and arguments, read again with the files they name (rules in reload.ts).
    exporter = await startExporter(config, { logger, reloadConfig: () => loadConfig({ env: process.env, argv }) });
  } catch (error) {
    // An address or port that cannot be used is a setting to change, said like the others.
    // Exit rather than return: the workspaces' clients were built before the listen failed.
    const line = listenFailure(error, config.listenAddress, config.port, listenLabels);
    if (line !== undefined) {
      process.stderr.write(`${redact(line)}\n`);
      process.exit(EXIT_CONFIG);
    }
    logger.error('could not start', { error });
    process.exit(1);
  }
  const running: RunningExporter = exporter;

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    const force = setTimeout(() => {
      logger.warn('stop took too long; exiting anyway');
      process.exit(1);
    }, STOP_GRACE_MS);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
