#!/usr/bin/env node
/** Process wiring: settings, the exporter, signals and exit codes. */
import { helpText, loadConfig } from './config.js';
import { startExporter } from './exporter.js';
import { loadWebConfig, type WebConfig } from './config/web-config.js';
import { createLogger } from './log.js';
import { VERSION } from './version.js';

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
  const { config } = result;
  // Checked before anything starts, so a bad web config reads and exits like a bad setting.
  let webConfig: WebConfig | undefined;
  if (config.webConfigFile !== undefined) {
    const flag = process.argv.slice(2).some((a) => a === '--web.config.file' || a.startsWith('--web.config.file='));
    const web = loadWebConfig(config.webConfigFile, { label: flag ? '--web.config.file' : 'WEB_CONFIG_FILE' });
    if (!web.ok) {
      for (const line of web.errors) process.stderr.write(`${line}\n`);
      process.exitCode = EXIT_CONFIG;
      return;
    }
    webConfig = web.config;
  }
  const logger = createLogger({ level: config.logLevel, secrets: config.workspaces.map((w) => w.token) });

  // A crash dump must not carry the token either: log through the redacting logger and exit.
  const crash = (error: unknown): void => {
    logger.error('unexpected error; exiting', { error });
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  let exporter;
  try {
    exporter = await startExporter(config, { logger, webConfig });
  } catch (error) {
    logger.error('could not start', { error });
    process.exitCode = 1;
    return;
  }

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
    exporter.stop().then(
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
