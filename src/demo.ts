#!/usr/bin/env node
/**
 * The exporter against the built-in simulated workspace: no token, no network. Any setting
 * of the real exporter applies (PORT, REFRESH_INTERVAL, ...) but those that choose the
 * upstream; DEMO_KEYS and DEMO_SEED shape the simulated workspace.
 */
import { randomBytes } from 'node:crypto';
import { helpText, loadConfig, type SettingName } from './config.js';
import { listenFailure } from './config/listen.js';
import { readSources } from './config/sources.js';
import { wholeNumber } from './config/values.js';
import { startExporter } from './exporter.js';
import { createLogger } from './log.js';
import { generateWorkspace, startSimulator, type SimKey } from './simulator/index.js';
import { VERSION } from './version.js';

const PROGRAM = 'npm run demo --';
/** Enough for any dashboard; the simulated workspace is built in memory before the demo starts. */
const MAX_DEMO_KEYS = 100_000;
const DEMO_HELP = [
  'Demo settings (environment only):',
  `  DEMO_KEYS  Number of keys in the simulated workspace, 0 to ${MAX_DEMO_KEYS} (default 300).`,
  '  DEMO_SEED  Seed the simulated keys are drawn from, a whole number (default 42).',
  '',
  'The demo runs its own simulated workspace: ORQ_API_KEY, ORQ_API_KEY_FILE, ORQ_WORKSPACES_FILE',
  'and ORQ_BASE_URL do not apply, and their flags are refused.',
];
/** Settings the demo sets itself, to point the exporter at its simulated workspace. */
const UPSTREAM: readonly SettingName[] = ['ORQ_API_KEY', 'ORQ_API_KEY_FILE', 'ORQ_WORKSPACES_FILE', 'ORQ_BASE_URL'];
const EXIT_CONFIG = 2;

async function demo(): Promise<void> {
  const argv = process.argv.slice(2);
  const flags = readSources({}, argv);
  if (flags.kind === 'help') {
    process.stdout.write(helpText(PROGRAM, { extra: DEMO_HELP }));
    return;
  }
  if (flags.kind === 'version') {
    process.stdout.write(`orq-api-keys-exporter ${VERSION} (demo)\n`);
    return;
  }
  const errors: string[] = flags.kind === 'errors' ? [...flags.errors] : [];
  if (flags.kind === 'sources') {
    for (const name of UPSTREAM) {
      if (flags.sources.isSet(name)) errors.push(`${flags.sources.label(name)}: not used by the demo, which runs its own simulated workspace`);
    }
  }
  const fail = (name: string) => (problem: string, got?: string): undefined => {
    errors.push(`${name}: ${problem}${got === undefined ? '' : ` (got ${JSON.stringify(got.slice(0, 40))})`}`);
    return undefined;
  };
  const count = wholeNumber(process.env['DEMO_KEYS']?.trim() || '300', 0, MAX_DEMO_KEYS, fail('DEMO_KEYS'));
  const seedText = process.env['DEMO_SEED']?.trim() || '42';
  const seed = /^-?\d{1,10}$/.test(seedText) ? Number(seedText) : fail('DEMO_SEED')('must be a whole number', seedText);
  if (errors.length > 0 || count === undefined || seed === undefined) {
    for (const line of errors) process.stderr.write(`${line}\n`);
    process.exitCode = EXIT_CONFIG;
    return;
  }

  const now = Date.now();
  const workspace = generateWorkspace({ count, seed, now });
  const token = demoToken(workspace.keys, now);
  const simulator = await startSimulator({ ...workspace, token });
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
    argv,
  });
  if (result.ok !== true) {
    if (result.ok === false) for (const line of result.errors) process.stderr.write(`${line}\n`);
    await simulator.close();
    process.exitCode = EXIT_CONFIG;
    return;
  }
  const logger = createLogger({ level: result.config.logLevel, secrets: [token] });
  let exporter;
  try {
    exporter = await startExporter(result.config, { logger });
  } catch (error) {
    await simulator.close();
    const line = listenFailure(error, result.config.listenAddress, result.config.port, result.listenLabels);
    if (line === undefined) throw error;
    process.stderr.write(`${line}\n`);
    process.exit(EXIT_CONFIG);
  }
  logger.info('demo running against a simulated workspace', { keys: count, seed, simulator: simulator.url });
  process.stdout.write(`\n  Metrics: ${exporter.url}${result.config.telemetryPath}\n  Landing page: ${exporter.url}/\n  Stop with Ctrl-C.\n\n`);

  const stop = (): void => {
    void Promise.all([exporter.stop(), simulator.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void demo();

/**
 * A token in orq.ai's form naming one of the workspace's own long-lived service-account keys,
 * so the demo shows the exporter's own key as production does (orq_exporter_api_key_info).
 */
function demoToken(keys: readonly SimKey[], now: number): string {
  const secret = randomBytes(12).toString('hex');
  const lasting = (k: SimKey): boolean => k.expires_at === null || Date.parse(k.expires_at) > now + 90 * 86_400_000;
  const own = keys.find((k) => k.status === 1 && k.owner.kind === 'service_account' && lasting(k));
  return own === undefined ? `demo-${secret}` : `sk-orq-${own.api_key_id}-${secret}`;
}
