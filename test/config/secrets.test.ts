/**
 * A token typed into the wrong place (another setting, a URL, a flag, an argument, a file)
 * never comes back in an error line, whole or in part.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const TOKEN = 'sk-orq-01J9ZQ4X8V7M2K3N5P6R8S9T0W-Zx9aQ2mN7pL4vB8cK1dF';
/** Every 8-character piece of the token: none may show. */
const PIECES = Array.from({ length: TOKEN.length - 7 }, (_, i) => TOKEN.slice(i, i + 8));

function errors(env: Record<string, string>, argv: string[] = [], files: Record<string, string> = {}): readonly string[] {
  const result = loadConfig({
    env,
    argv,
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return content;
    },
  });
  return result.ok === false ? result.errors : [];
}

function expectNoToken(lines: readonly string[]): void {
  for (const line of lines) for (const piece of PIECES) expect(line).not.toContain(piece);
}

/** Ways to write a URL with the token in it; most do not even parse. */
const URLS = [
  `http://user:${TOKEN}@host:99999/`,
  `https://${TOKEN}@api.orq.ai`,
  `https://${TOKEN}:x@api.orq.ai`,
  `https://api.orq.ai/?api_key=${TOKEN}`,
  `https://api.orq.ai/#${TOKEN}`,
  `https://api.orq.ai/v2?x=1&token=${TOKEN}#frag`,
  `ftp://user:${TOKEN}@host/`,
  `ws://u:${TOKEN}@h`,
  `user:${TOKEN}@host`,
  `${TOKEN}:x@host`,
  `${TOKEN}@host`,
  `//u:${TOKEN}@host/`,
  `http:\\\\u:${TOKEN}@host`,
  `http://u:${TOKEN}@@host`,
  `http://u:${TOKEN}@ho st/`,
  `HTTP://U:${TOKEN}@HOST:0x50/`,
  `http://[::1:${TOKEN}@host/`,
  `http://host/?${'x'.repeat(200)}${TOKEN}`,
  `http://${'u'.repeat(200)}:${TOKEN}@host/`,
];

describe('a token in the wrong place', () => {
  it.each(URLS)('is not repeated from ORQ_BASE_URL %s, nor from a workspace base_url', (url) => {
    expectNoToken(errors({ ORQ_API_KEY: 'orq-some-other-valid-token-000', ORQ_BASE_URL: url }));
    expectNoToken(errors({ ORQ_BASE_URL: url }));
    const file = `workspaces:\n  - name: a\n    api_key_env: K\n    base_url: ${JSON.stringify(url)}\n`;
    expectNoToken(errors({ ORQ_WORKSPACES_FILE: '/ws.yml', K: 'orq-some-other-valid-token-000' }, [], { '/ws.yml': file }));
    expectNoToken(errors({ ORQ_API_KEY: 'orq-some-other-valid-token-000' }, [`--orq-base-url=${url}`]));
  });

  it('still says which part of a URL is wrong', () => {
    expect(errors({ ORQ_API_KEY: TOKEN, ORQ_BASE_URL: `http://user:${TOKEN}@host:99999/` })).toEqual([
      'ORQ_BASE_URL: must be an http:// or https:// URL (got "http://…@host:99999/")',
    ]);
    expect(errors({ ORQ_API_KEY: TOKEN, ORQ_BASE_URL: `https://api.orq.ai/v2?api_key=${TOKEN}` })).toEqual([
      'ORQ_BASE_URL: must not have a query or fragment (got "https://api.orq.ai/v2?…")',
    ]);
  });

  it.each([
    ['--orq-api-key', TOKEN],
    [`--orq-api-key=${TOKEN}`],
    ['--port', '1', TOKEN],
    [TOKEN],
    [`--${TOKEN}`],
    [`-${TOKEN}`],
    [`--${TOKEN}=${TOKEN}`],
    ['--verbose', TOKEN],
    [`--verbose=${TOKEN}`],
    ['--', TOKEN],
    ['--web.enable-lifecycle', TOKEN],
    [`--web.enable-lifecycle=${TOKEN}`],
    [`--web.listen-address=${TOKEN}`],
    ['--web.listen-address', `[${TOKEN}]:1`],
    [`--web.listen-address=${TOKEN}:x`],
    [`--web.telemetry-path=${TOKEN}`],
  ])('is not repeated from the arguments %j', (...argv) => {
    const lines = errors({ ORQ_API_KEY: TOKEN }, argv);
    expect(lines.length).toBeGreaterThan(0);
    expectNoToken(lines);
  });

  it.each([
    'ORQ_WORKSPACE',
    'ORQ_PROJECT_ID',
    'REFRESH_INTERVAL',
    'REQUEST_TIMEOUT',
    'REFRESH_TIMEOUT',
    'REQUEST_RETRIES',
    'MAX_KEYS',
    'ORQ_FETCH_BUDGETS',
    'ORQ_FETCH_PROJECTS',
    'ORQ_PROJECTS_TTL',
    'LISTEN_ADDRESS',
    'PORT',
    'WEB_TELEMETRY_PATH',
    'WEB_ENABLE_LIFECYCLE',
    'LOG_LEVEL',
    'ORQ_API_KEY_FILE',
    'ORQ_WORKSPACES_FILE',
    'WEB_CONFIG_FILE',
  ])('is not repeated from %s, alone, inside a longer value, or beside a workspaces file', (name) => {
    for (const value of [TOKEN, `${'x'.repeat(100)}${TOKEN}`, ` ${TOKEN} `, `/${TOKEN}`]) {
      expectNoToken(errors({ ORQ_API_KEY: TOKEN, [name]: value }));
      expectNoToken(errors({ ORQ_API_KEY: TOKEN, [name]: value, ORQ_WORKSPACES_FILE: '/none.yml' }));
      const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
      expectNoToken(errors({ ORQ_API_KEY: TOKEN }, [`${flag}=${value}`]));
    }
  });

  it('is not repeated when it is refused itself, in any source', () => {
    for (const bad of [`${TOKEN}\u200b`, `${TOKEN} ${TOKEN}`, `${TOKEN}\u0000`, `${TOKEN}${'x'.repeat(5000)}`]) {
      expectNoToken(errors({ ORQ_API_KEY: bad, PORT: bad, LOG_LEVEL: `${bad}!` }));
      expectNoToken(errors({ ORQ_API_KEY_FILE: '/t', ORQ_BASE_URL: `https://h/${bad}` }, [], { '/t': bad }));
      const file = 'workspaces:\n  - {name: a, api_key_env: K, base_url: "https://h/?q"}\n  - {name: b, api_key_file: /t, project_id: [x]}\n';
      expectNoToken(errors({ ORQ_WORKSPACES_FILE: '/ws.yml', K: bad, LOG_LEVEL: bad }, [], { '/ws.yml': file, '/t': bad }));
    }
  });

  it('is not repeated from a workspaces file that is not what it should be', () => {
    for (const text of [TOKEN, `workspaces: ${TOKEN}`, `workspaces:\n  - ${TOKEN}\n`, `${TOKEN}: [`, `workspaces:\n  - !${TOKEN} x\n`]) {
      expectNoToken(errors({ ORQ_WORKSPACES_FILE: '/ws.yml', ORQ_API_KEY: TOKEN }, [], { '/ws.yml': text }));
    }
  });

  it('is not repeated from a workspaces file that puts it where a name belongs, even when it is nowhere else', () => {
    for (const entry of [
      `{name: a, ${TOKEN}: 1, api_key_env: K}`,
      `{name: a, api_key_env: ${TOKEN}}`,
      `{name: a, api_key_env: ${TOKEN.replace(/-/g, '_')}}`,
      `{name: a, api_key_file: ${TOKEN}}`,
      `{name: ${TOKEN}, api_key_env: K}`,
    ]) {
      const text = `workspaces:\n  - ${entry}\n  - {name: ${TOKEN}, api_key_env: K}\n`;
      const lines = errors({ ORQ_WORKSPACES_FILE: '/ws.yml', K: 'orq-some-other-valid-token-000' }, [], { '/ws.yml': text });
      expect(lines.length).toBeGreaterThan(0);
      expectNoToken(lines);
    }
  });

  it.each(['ORQ_API_KEY_FILE', 'ORQ_WORKSPACES_FILE'])('is not repeated when %s names it instead of a file', (name) => {
    const lines = errors({ [name]: TOKEN });
    expect(lines).toEqual([`${name}: cannot read a file whose name looks like an API key (ENOENT); this setting takes the path of a file holding the key`]);
  });
});
