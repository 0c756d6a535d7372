import { describe, expect, it } from 'vitest';
import { helpText, loadConfig, SETTINGS, type ConfigInput } from '../src/config.js';

const files: Record<string, string> = {
  '/secrets/token': '  orq-secret-token\n',
  '/secrets/staging': 'staging-token\n',
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
  '/etc/bad-workspaces.yml': [
    'workspaces:',
    '  - name: a',
    '    api_key_file: /nope',
    '    region: eu',
    '  - name: a',
    '    api_key_env: UNSET_KEY',
    '  - api_key_file: /secrets/token',
    '    api_key_env: ORQ_KEY_STAGING',
    '    base_url: ftp://x',
    '  - just a string',
    '',
  ].join('\n'),
  '/etc/empty-workspaces.yml': 'workspaces: []\n',
  '/etc/not-yaml.yml': 'workspaces: [\n',
  '/secrets/empty': '\n',
  '/secrets/two-words': 'a b\n',
};
const readFile = (path: string): string => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return content;
};
const load = (env: ConfigInput['env'], argv: string[] = []) => loadConfig({ env, argv, readFile });

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(load({ ORQ_API_KEY: 'tok' })).toEqual({
      ok: true,
      config: {
        workspaces: [{ name: 'default', token: 'tok', baseUrl: 'https://api.orq.ai', projectId: undefined }],
        refreshIntervalMs: 120_000,
        requestTimeoutMs: 30_000,
        refreshTimeoutMs: 300_000,
        retries: 4,
        listenAddress: '0.0.0.0',
        port: 9877,
        logLevel: 'info',
        webConfigFile: undefined,
      },
    });
  });

  it('reads every setting from the environment', () => {
    const result = load({
      ORQ_API_KEY_FILE: '/secrets/token',
      ORQ_BASE_URL: 'http://127.0.0.1:8080/orq/',
      ORQ_WORKSPACE: 'acme-prod',
      ORQ_PROJECT_ID: 'proj_1',
      REFRESH_INTERVAL: '10s',
      REQUEST_TIMEOUT: '1s500ms',
      REFRESH_TIMEOUT: '1m',
      REQUEST_RETRIES: '0',
      LISTEN_ADDRESS: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'DEBUG',
      WEB_CONFIG_FILE: '/etc/web.yml',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        workspaces: [{ name: 'acme-prod', token: 'orq-secret-token', baseUrl: 'http://127.0.0.1:8080/orq', projectId: 'proj_1' }],
        refreshIntervalMs: 10_000,
        requestTimeoutMs: 1_500,
        refreshTimeoutMs: 60_000,
        retries: 0,
        listenAddress: '127.0.0.1',
        port: 0,
        logLevel: 'debug',
        webConfigFile: '/etc/web.yml',
      },
    });
  });

  it('lets flags win over the environment, in both spellings', () => {
    const result = load({ ORQ_API_KEY: 'tok', PORT: '1000', REFRESH_INTERVAL: '1h' }, ['--port', '2000', '--refresh-interval=30s']);
    expect(result.ok === true && [result.config.port, result.config.refreshIntervalMs]).toEqual([2000, 30_000]);
  });

  it('freezes the config', () => {
    const result = load({ ORQ_API_KEY: 'tok' });
    expect(result.ok === true && Object.isFrozen(result.config) && Object.isFrozen(result.config.workspaces[0])).toBe(true);
  });

  it.each<[string, ConfigInput['env'], string[], string[]]>([
    ['no token', {}, [], ['ORQ_API_KEY: required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API']],
    ['both token sources', { ORQ_API_KEY: 'a', ORQ_API_KEY_FILE: '/secrets/token' }, [], ['ORQ_API_KEY: set either ORQ_API_KEY or ORQ_API_KEY_FILE, not both']],
    ['missing token file', { ORQ_API_KEY_FILE: '/nope' }, [], ['ORQ_API_KEY_FILE: cannot read "/nope" (ENOENT)']],
    ['empty token file', {}, ['--orq-api-key-file', '/secrets/empty'], ['--orq-api-key-file: "/secrets/empty" is empty']],
    ['token file with two words', { ORQ_API_KEY_FILE: '/secrets/two-words' }, [], ['ORQ_API_KEY_FILE: "/secrets/two-words" holds more than one word']],
    ['refresh too often', { ORQ_API_KEY: 't', REFRESH_INTERVAL: '5s' }, [], ['REFRESH_INTERVAL: must be at least 10s (got "5s")']],
    ['refresh not a duration', { ORQ_API_KEY: 't', REFRESH_INTERVAL: '2 minutes' }, [], ['REFRESH_INTERVAL: must be a duration such as 30s, 2m or 1h (got "2 minutes")']],
    ['bad timeout by flag', { ORQ_API_KEY: 't' }, ['--request-timeout=10'], ['--request-timeout: must be a duration such as 30s, 2m or 1h (got "10")']],
    ['deadline below request timeout', { ORQ_API_KEY: 't', REQUEST_TIMEOUT: '1m', REFRESH_TIMEOUT: '30s' }, [], ['REFRESH_TIMEOUT: must be at least REQUEST_TIMEOUT (1m) (got "30s")']],
    ['bad port', { ORQ_API_KEY: 't', PORT: '70000' }, [], ['PORT: must be a whole number from 0 to 65535 (got "70000")']],
    ['bad retries', { ORQ_API_KEY: 't', REQUEST_RETRIES: '-1' }, [], ['REQUEST_RETRIES: must be a whole number from 0 to 10 (got "-1")']],
    ['bad log level', { ORQ_API_KEY: 't', LOG_LEVEL: 'loud' }, [], ['LOG_LEVEL: must be one of debug, info, warn, error (got "loud")']],
    ['base url not a url', { ORQ_API_KEY: 't', ORQ_BASE_URL: 'api.orq.ai' }, [], ['ORQ_BASE_URL: must be an http:// or https:// URL (got "api.orq.ai")']],
    ['base url ftp', { ORQ_API_KEY: 't', ORQ_BASE_URL: 'ftp://api.orq.ai' }, [], ['ORQ_BASE_URL: must be an http:// or https:// URL (got "ftp://api.orq.ai")']],
    ['base url with credentials', { ORQ_API_KEY: 't', ORQ_BASE_URL: 'https://u:p@api.orq.ai' }, [], ['ORQ_BASE_URL: must not contain credentials; use ORQ_API_KEY_FILE']],
    ['unknown flag', { ORQ_API_KEY: 't' }, ['--verbose'], ['--verbose: unknown flag (see --help)']],
    ['token as a flag', { ORQ_API_KEY: 't' }, ['--orq-api-key=secret'], ['--orq-api-key: not accepted, since a flag shows the token in process listings; use ORQ_API_KEY or --orq-api-key-file']],
    ['flag without value', { ORQ_API_KEY: 't' }, ['--port'], ['--port: needs a value']],
  ])('%s', (_name, env, argv, errors) => {
    expect(load(env, argv)).toEqual({ ok: false, errors });
  });

  it('reports every problem at once, one line each', () => {
    const result = load({ REFRESH_INTERVAL: '1s', PORT: 'http', LOG_LEVEL: 'x' });
    expect(result).toEqual({
      ok: false,
      errors: [
        'ORQ_API_KEY: required (or ORQ_API_KEY_FILE): a workspace management key for the orq.ai API',
        'REFRESH_INTERVAL: must be at least 10s (got "1s")',
        'PORT: must be a whole number from 0 to 65535 (got "http")',
        'LOG_LEVEL: must be one of debug, info, warn, error (got "x")',
      ],
    });
  });

  it('never repeats the token in an error', () => {
    const result = load({ ORQ_API_KEY: 'secret token', ORQ_BASE_URL: 'https://x:secret@h' });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('answers --help and --version', () => {
    expect(load({}, ['--help'])).toEqual({ ok: 'help' });
    expect(load({}, ['--version'])).toEqual({ ok: 'version' });
  });
});

describe('loadConfig with ORQ_WORKSPACES_FILE', () => {
  it('polls every workspace listed, each with its own token, URL and project', () => {
    const result = load({ ORQ_WORKSPACES_FILE: '/etc/workspaces.yml', ORQ_KEY_STAGING: 'staging-token', ORQ_BASE_URL: 'https://api.orq.ai/' });
    expect(result.ok === true && result.config.workspaces).toEqual([
      { name: 'acme-prod', token: 'orq-secret-token', baseUrl: 'https://api.orq.ai', projectId: undefined },
      { name: 'acme-staging', token: 'staging-token', baseUrl: 'https://orq.internal.example', projectId: 'proj_9' },
    ]);
  });

  it('names the field of every problem in the file', () => {
    expect(load({ ORQ_WORKSPACES_FILE: '/etc/bad-workspaces.yml', ORQ_KEY_STAGING: 'x' })).toEqual({
      ok: false,
      errors: [
        'ORQ_WORKSPACES_FILE: workspaces[0].region: unknown field',
        'ORQ_WORKSPACES_FILE: workspaces[0].api_key_file: cannot read "/nope" (ENOENT)',
        'ORQ_WORKSPACES_FILE: workspaces[1].name: "a" is listed twice',
        'ORQ_WORKSPACES_FILE: workspaces[1].api_key_env: UNSET_KEY is not set',
        'ORQ_WORKSPACES_FILE: workspaces[2].name: required',
        'ORQ_WORKSPACES_FILE: workspaces[2]: needs exactly one of api_key_file and api_key_env',
        'ORQ_WORKSPACES_FILE: workspaces[2].base_url: must be an http:// or https:// URL (got "ftp://x")',
        'ORQ_WORKSPACES_FILE: workspaces[3]: must be a mapping with name and api_key_file or api_key_env',
      ],
    });
  });

  it.each([
    ['/etc/empty-workspaces.yml', 'ORQ_WORKSPACES_FILE: workspaces: must be a non-empty list'],
    ['/nowhere.yml', 'ORQ_WORKSPACES_FILE: cannot read "/nowhere.yml" (ENOENT)'],
  ])('refuses %s', (path, error) => {
    expect(load({ ORQ_WORKSPACES_FILE: path })).toEqual({ ok: false, errors: [error] });
  });

  it('says where a file is not YAML', () => {
    const result = load({}, ['--orq-workspaces-file', '/etc/not-yaml.yml']);
    expect(result.ok === false && result.errors[0]).toMatch(/^--orq-workspaces-file: "\/etc\/not-yaml.yml" is not valid YAML \(.+\)$/);
  });

  it('refuses single-workspace settings beside the file, so none is silently ignored', () => {
    expect(load({ ORQ_WORKSPACES_FILE: '/etc/workspaces.yml', ORQ_KEY_STAGING: 'k', ORQ_API_KEY: 't', ORQ_WORKSPACE: 'w' })).toEqual({
      ok: false,
      errors: [
        'ORQ_API_KEY: not used with ORQ_WORKSPACES_FILE; set it per workspace in that file',
        'ORQ_WORKSPACE: not used with ORQ_WORKSPACES_FILE; set it per workspace in that file',
      ],
    });
  });
});

describe('helpText', () => {
  it('lists every setting with its default', () => {
    const text = helpText('exporter');
    for (const s of SETTINGS) {
      expect(text).toContain(s.env);
      if ('flag' in s) expect(text).toContain(s.flag);
      if ('default' in s) expect(text).toContain(`(default ${s.default})`);
    }
  });
});
