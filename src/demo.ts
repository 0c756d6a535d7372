#!/usr/bin/env node
/**
 * The exporter against the built-in simulated workspace: no token, no network. Any setting
 * of the real exporter applies (PORT, REFRESH_INTERVAL, ...); DEMO_KEYS and DEMO_SEED shape
 * the simulated workspace.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from './config.js';
import { startExporter } from './exporter.js';
import { createLogger } from './log.js';
import { generateKeys, startSimulator } from './simulator/index.js';

async function demo(): Promise<void> {
  const count = Number(process.env['DEMO_KEYS'] ?? 300);
  const seed = Number(process.env['DEMO_SEED'] ?? 42);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
    process.stderr.write('DEMO_KEYS and DEMO_SEED: must be whole numbers\n');
    process.exitCode = 2;
    return;
  }
  const token = `demo-${randomBytes(12).toString('hex')}`;
  const simulator = await startSimulator({ keys: generateKeys({ count, seed, now: Date.now() }), token });

  const result = loadConfig({
    env: {
      LISTEN_ADDRESS: '127.0.0.1',
      ORQ_WORKSPACE: 'demo',
      ...process.env,
      ORQ_API_KEY: token,
      ORQ_API_KEY_FILE: undefined,
      ORQ_WORKSPACES_FILE: undefined,
      ORQ_BASE_URL: simulator.url,
    },
    argv: process.argv.slice(2),
  });
  if (result.ok !== true) {
    if (result.ok === false) for (const line of result.errors) process.stderr.write(`${line}\n`);
    await simulator.close();
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ level: result.config.logLevel, secrets: [token] });
  const exporter = await startExporter(result.config, { logger });
  logger.info('demo running against a simulated workspace', { keys: count, seed, simulator: simulator.url });
  process.stdout.write(`\n  Metrics: ${exporter.url}/metrics\n  Landing page: ${exporter.url}/\n  Stop with Ctrl-C.\n\n`);

  const stop = (): void => {
    void Promise.all([exporter.stop(), simulator.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void demo();
