import { describe, expect, it } from 'vitest';
import { loadConfig, SETTINGS, type ConfigInput, type Setting } from '../src/config.js';
import { FileRefused } from '../src/util/read-file.js';

const TOKEN = 'orq-config-test-token-7c41e9a2d05b';
const STAGING = 'orq-config-staging-token-51aa06e3';

const files: Record<string, string> = {
  '/secrets/token': `  ${TOKEN}\n`,
  '/etc/workspaces.yml': [
    'workspaces:',
    '  - name: acme-prod',
    '    api_key_file: /secrets/token',
    '  - name: acme-staging',
    '    api_key_env: ORQ_KEY_STAGING',
    '    base_url: https://orq.internal.example/',
    '    project_id: proj_9',
    '',
  ].join('\n'),
  '/secrets/empty': '\n',
  '/secrets/two-words': `${TOKEN} ${TOKEN}\n`,
};
const readFile = (path: string, maxBytes: number): string => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  if (Buffer.byteLength(content) > maxBytes) throw new FileRefused('ETOOLARGE', `larger than ${maxBytes} bytes`);
  return content;
};
const load = (env: ConfigInput['env'], argv: string[] = []) => loadConfig({ env, argv, readFile });
const errorsOf = (env: ConfigInput['env'], argv: string[] = []): readonly string[] => {
  const result = load(env, argv);
  if (result.ok !== false) throw new Error(`expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
};
const configOf = (env: ConfigInput['env'], argv: string[] = []) => {
  const result = load(env, argv);
  if (result.ok !== true) throw new Error(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(load({ ORQ_API_KEY: TOKEN })).toEqual({
      ok: true,
      config: {
        workspaces: [{ name: 'default', token: TOKEN, baseUrl: 'https://api.orq.ai', projectId: undefined }],
        refreshIntervalMs: 120_000,
        requestTimeoutMs: 30_000,
        refreshTimeoutMs: 300_000,
        retries: 4,
        listenAddress: '0.0.0.0',
        port: 9877,
        logLevel: 'info',
        webConfigFile: undefined,
        web: undefined,
        telemetryPath: '/metrics',
        enableLifecycle: false,
        maxKeys: 100_000,
        fetchBudgets: true,
        fetchProjects: true,
        projectsTtlMs: 600_000,
      },
      listenLabels: { address: 'LISTEN_ADDRESS', port: 'PORT' },
    });
  });

  it('has a default for every setting the table gives one, and the loader reads it', () => {
    // Every documented default must itself be a valid value.
    for (const s of SETTINGS as readonly Setting[]) {
      if (s.default !== undefined) expect(load({ ORQ_API_KEY: TOKEN, [s.env]: s.default }).ok, s.env).toBe(true);
    }
  });

  it('reads every setting from the environment', () => {
    const config = configOf({
      ORQ_API_KEY_FILE: '/secrets/token',
      ORQ_BASE_URL: 'http://127.0.0.1:8080/orq/',
      ORQ_WORKSPACE: 'acme-prod',
      ORQ_PROJECT_ID: 'proj_1',
      ORQ_FETCH_BUDGETS: 'false',
      ORQ_FETCH_PROJECTS: '0',
      ORQ_PROJECTS_TTL: '1h',
      REFRESH_INTERVAL: '10s',
      REQUEST_TIMEOUT: '1s500ms',
      REFRESH_TIMEOUT: '1m',
      REQUEST_RETRIES: '0',
      MAX_KEYS: '1',
      LISTEN_ADDRESS: '127.0.0.1',
      PORT: '0',
      WEB_TELEMETRY_PATH: '/probe/metrics',
      WEB_ENABLE_LIFECYCLE: 'TRUE',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toEqual({
      workspaces: [{ name: 'acme-prod', token: TOKEN, tokenFile: '/secrets/token', baseUrl: 'http://127.0.0.1:8080/orq', projectId: 'proj_1' }],
      refreshIntervalMs: 10_000,
      requestTimeoutMs: 1_500,
      refreshTimeoutMs: 60_000,
      retries: 0,
      listenAddress: '127.0.0.1',
      port: 0,
      logLevel: 'debug',
      webConfigFile: undefined,
      web: undefined,
      telemetryPath: '/probe/metrics',
      enableLifecycle: true,
      maxKeys: 1,
      fetchBudgets: false,
      fetchProjects: false,
      projectsTtlMs: 3_600_000,
    });
  });

  it('reads every flag, in every spelling, over the environment', () => {
    const env = { ORQ_API_KEY: TOKEN, PORT: '1000', REFRESH_INTERVAL: '1h', LOG_LEVEL: 'error', ORQ_FETCH_BUDGETS: 'true', WEB_TELEMETRY_PATH: '/x' };
    const config = configOf(env, [
      '--port',
      '2000',
      '--refresh-interval=30s',
      '--log.level=warn',
      '--orq-fetch-budgets=false',
      '--orq-fetch-projects=0',
      '--orq-projects-ttl',
      '15s',
      '--max-keys=50',
      '--web.telemetry-path=/m',
      '--web.enable-lifecycle',
    ]);
    expect(config).toMatchObject({
      port: 2000,
      refreshIntervalMs: 30_000,
      logLevel: 'warn',
      fetchBudgets: false,
      fetchProjects: false,
      projectsTtlMs: 15_000,
      maxKeys: 50,
      telemetryPath: '/m',
      enableLifecycle: true,
    });
    expect(configOf(env, ['--log-level', 'debug']).logLevel).toBe('debug');
  });

  it('freezes the config', () => {
    const config = configOf({ ORQ_API_KEY: TOKEN });
    expect(Object.isFrozen(config) && Object.isFrozen(config.workspaces[0])).toBe(true);
  });

  it('is a pure function of its input: the same input, the same config, whatever came between', () => {
    const input = { ORQ_API_KEY: TOKEN, PORT: '1234' };
    const first = load(input, ['--log.level=debug']);
    load({ ORQ_API_KEY: STAGING, PORT: '1' }, ['--port=2']);
    expect(load(input, ['--log.level=debug'])).toEqual(first);
  });

  it.each<[string, ConfigInput['env'], string[], string[]]>([
    ['no token', {}, [], ['ORQ_API_KEY: required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API']],
    ['both token sources', { ORQ_API_KEY: TOKEN, ORQ_API_KEY_FILE: '/secrets/token' }, [], ['ORQ_API_KEY: set either ORQ_API_KEY or ORQ_API_KEY_FILE, not both']],
    ['missing token file', { ORQ_API_KEY_FILE: '/nope' }, [], ['ORQ_API_KEY_FILE: cannot read "/nope" (ENOENT)']],
    ['empty token file', {}, ['--orq-api-key-file', '/secrets/empty'], ['--orq-api-key-file: "/secrets/empty" is empty']],
    ['token file with two words', { ORQ_API_KEY_FILE: '/secrets/two-words' }, [], ['ORQ_API_KEY_FILE: "/secrets/two-words" holds more than one word']],
    ['refresh too often', { ORQ_API_KEY: TOKEN, REFRESH_INTERVAL: '5s' }, [], ['REFRESH_INTERVAL: must be at least 10s (got "5s")']],
    ['refresh not a duration', { ORQ_API_KEY: TOKEN, REFRESH_INTERVAL: '2 minutes' }, [], ['REFRESH_INTERVAL: must be a duration such as 30s, 2m or 1h (got "2 minutes")']],
    ['bad timeout by flag', { ORQ_API_KEY: TOKEN }, ['--request-timeout=10'], ['--request-timeout: must be a duration such as 30s, 2m or 1h (got "10")']],
    ['deadline below request timeout', { ORQ_API_KEY: TOKEN, REQUEST_TIMEOUT: '1m', REFRESH_TIMEOUT: '30s' }, [], ['REFRESH_TIMEOUT: must be at least REQUEST_TIMEOUT (1m) (got "30s")']],
    ['bad port', { ORQ_API_KEY: TOKEN, PORT: '70000' }, [], ['PORT: must be a whole number from 0 to 65535 (got "70000")']],
    ['bad retries', { ORQ_API_KEY: TOKEN, REQUEST_RETRIES: '-1' }, [], ['REQUEST_RETRIES: must be a whole number from 0 to 10 (got "-1")']],
    ['bad log level', { ORQ_API_KEY: TOKEN, LOG_LEVEL: 'loud' }, [], ['LOG_LEVEL: must be one of debug, info, warn, error (got "loud")']],
    ['bad log level by the toolkit flag', { ORQ_API_KEY: TOKEN }, ['--log.level=loud'], ['--log.level: must be one of debug, info, warn, error (got "loud")']],
    ['base url not a url', { ORQ_API_KEY: TOKEN, ORQ_BASE_URL: 'api.orq.ai' }, [], ['ORQ_BASE_URL: must be an http:// or https:// URL (got "api.orq.ai")']],
    ['base url ftp', { ORQ_API_KEY: TOKEN, ORQ_BASE_URL: 'ftp://api.orq.ai' }, [], ['ORQ_BASE_URL: must be an http:// or https:// URL (got "ftp://api.orq.ai")']],
    ['base url with credentials', { ORQ_API_KEY: TOKEN, ORQ_BASE_URL: 'https://u:p@api.orq.ai' }, [], ['ORQ_BASE_URL: must not contain a user name or password; the API key has its own setting']],
    ['unknown flag', { ORQ_API_KEY: TOKEN }, ['--verbose'], ['--verbose: unknown flag (see --help)']],
    ['token as a flag', { ORQ_API_KEY: TOKEN }, ['--orq-api-key=secret'], ['--orq-api-key: not accepted, since a flag shows the token in process listings; use ORQ_API_KEY or --orq-api-key-file']],
    ['flag without value', { ORQ_API_KEY: TOKEN }, ['--port'], ['--port: needs a value']],
    ['two spellings of one setting', { ORQ_API_KEY: TOKEN }, ['--log-level=info', '--log.level=debug'], ['--log.level: sets the same as --log-level; give one']],
    ['MAX_KEYS zero', { ORQ_API_KEY: TOKEN, MAX_KEYS: '0' }, [], ['MAX_KEYS: must be a whole number from 1 to 10000000 (got "0")']],
    ['MAX_KEYS not a number', { ORQ_API_KEY: TOKEN }, ['--max-keys=1e5'], ['--max-keys: must be a whole number from 1 to 10000000 (got "1e5")']],
    ['projects TTL too short', { ORQ_API_KEY: TOKEN, ORQ_PROJECTS_TTL: '9s999ms' }, [], ['ORQ_PROJECTS_TTL: must be at least 10s (got "9s999ms")']],
    ['projects TTL not a duration', { ORQ_API_KEY: TOKEN }, ['--orq-projects-ttl=10'], ['--orq-projects-ttl: must be a duration such as 30s, 2m or 1h (got "10")']],
    ['a boolean that is not one', { ORQ_API_KEY: TOKEN, ORQ_FETCH_BUDGETS: 'yes' }, [], ['ORQ_FETCH_BUDGETS: must be true or false (or 1 or 0) (got "yes")']],
    ['another', { ORQ_API_KEY: TOKEN, WEB_ENABLE_LIFECYCLE: 'on' }, [], ['WEB_ENABLE_LIFECYCLE: must be true or false (or 1 or 0) (got "on")']],
    ['a boolean flag with a bad value', { ORQ_API_KEY: TOKEN }, ['--orq-fetch-projects=nope'], ['--orq-fetch-projects: must be true or false, or the flag alone for true']],
  ])('%s', (_name, env, argv, errors) => {
    expect(load(env, argv)).toEqual({ ok: false, errors });
  });

  it('reports every problem at once, one line each', () => {
    expect(errorsOf({ REFRESH_INTERVAL: '1s', PORT: 'http', LOG_LEVEL: 'x', MAX_KEYS: '-', ORQ_FETCH_PROJECTS: '?' })).toEqual([
      'ORQ_API_KEY: required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API',
      'REFRESH_INTERVAL: must be at least 10s (got "1s")',
      'MAX_KEYS: must be a whole number from 1 to 10000000 (got "-")',
      'ORQ_FETCH_PROJECTS: must be true or false (or 1 or 0) (got "?")',
      'PORT: must be a whole number from 0 to 65535 (got "http")',
      'LOG_LEVEL: must be one of debug, info, warn, error (got "x")',
    ]);
  });

  it('cuts a long value short when it repeats it', () => {
    const [line] = errorsOf({ ORQ_API_KEY: TOKEN, LOG_LEVEL: 'x'.repeat(1_000_000) });
    expect(line!.length).toBeLessThan(200);
    expect(line).toMatch(/^LOG_LEVEL: must be one of debug, info, warn, error \(got "x+…"\)$/);
  });

  it('answers --help and --version, whatever else is wrong', () => {
    expect(load({}, ['--help'])).toEqual({ ok: 'help' });
    expect(load({ PORT: 'x' }, ['--bogus', '-h'])).toEqual({ ok: 'help' });
    expect(load({}, ['--version'])).toEqual({ ok: 'version' });
  });
});

describe('the web config, loaded with the settings', () => {
  const web = (text: string) => (path: string, maxBytes: number) => (path === '/etc/web.yml' ? text : readFile(path, maxBytes));

  it('is parsed into the config', () => {
    const result = loadConfig({ env: { ORQ_API_KEY: TOKEN, WEB_CONFIG_FILE: '/etc/web.yml' }, argv: [], readFile: web('http_server_config:\n  headers:\n    X-Frame-Options: deny\n') });
    expect(result.ok === true && result.config.webConfigFile).toBe('/etc/web.yml');
    expect(result.ok === true && result.config.web?.headers).toEqual({ 'X-Frame-Options': 'deny' });
  });

  it('reports its problems with the others, labelled with the spelling used', () => {
    const bad = web('tls_config: {}\n');
    expect(loadConfig({ env: { WEB_CONFIG_FILE: '/etc/web.yml', PORT: 'x' }, argv: [], readFile: bad })).toEqual({
      ok: false,
      errors: [
        'ORQ_API_KEY: required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API',
        'PORT: must be a whole number from 0 to 65535 (got "x")',
        'WEB_CONFIG_FILE: tls_config: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)',
      ],
    });
    const byFlag = loadConfig({ env: { ORQ_API_KEY: TOKEN }, argv: ['--web.config.file', '/etc/web.yml'], readFile: bad });
    expect(byFlag).toEqual({ ok: false, errors: ['--web.config.file: tls_config: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)'] });
  });

  it('names a missing file', () => {
    expect(errorsOf({ ORQ_API_KEY: TOKEN, WEB_CONFIG_FILE: '/etc/none.yml' })).toEqual(['WEB_CONFIG_FILE: cannot read "/etc/none.yml" (ENOENT)']);
  });
});

describe('loadConfig with ORQ_WORKSPACES_FILE', () => {
  it('takes the workspaces from the file, ORQ_BASE_URL (normalised) their default URL', () => {
    // What the file may say, and every problem with it, is config/workspaces-file.test.ts's.
    const config = configOf({ ORQ_WORKSPACES_FILE: '/etc/workspaces.yml', ORQ_KEY_STAGING: STAGING, ORQ_BASE_URL: 'https://orq.example.com/' });
    expect(config.workspaces).toEqual([
      { name: 'acme-prod', token: TOKEN, tokenFile: '/secrets/token', baseUrl: 'https://orq.example.com', projectId: undefined },
      { name: 'acme-staging', token: STAGING, baseUrl: 'https://orq.internal.example', projectId: 'proj_9' },
    ]);
  });

  it('refuses single-workspace settings beside the file, so none is silently ignored', () => {
    expect(errorsOf({ ORQ_WORKSPACES_FILE: '/etc/workspaces.yml', ORQ_KEY_STAGING: STAGING, ORQ_API_KEY: TOKEN, ORQ_WORKSPACE: 'w' })).toEqual([
      'ORQ_API_KEY: not used with ORQ_WORKSPACES_FILE; set it per workspace in that file',
      'ORQ_WORKSPACE: not used with ORQ_WORKSPACES_FILE; set it per workspace in that file',
    ]);
  });
});
