/**
 * The web config file as a whole: read as a small regular file, parsed as plain-data YAML,
 * unknown fields refused by name, basic_auth_users and http_server_config checked, and every
 * problem reported at once, one line each, naming the setting and the field.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CONFIGURABLE_HEADERS, loadWebConfig, parseWebConfig, type WebConfig } from '../../src/config/web-config.js';
import { MAX_FILE_BYTES } from '../../src/util/read-file.js';
import { makeCerts, type TestCerts } from '../hardening/support/certs.js';

// Made when the file loads, not in a hook: the tables below name their paths.
const certs: TestCerts = makeCerts();
const aliceHash = bcrypt.hashSync('wonderland', 4);
afterAll(() => certs.remove());

/** Writes a web config next to the certificates, so relative paths resolve against it. */
function writeConfig(name: string, yaml: string): string {
  const path = join(certs.dir, name);
  writeFileSync(path, yaml);
  return path;
}

function errorsOf(yaml: string): readonly string[] {
  const result = loadWebConfig(writeConfig('web.yml', yaml));
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
}

function configOf(yaml: string): WebConfig {
  const result = loadWebConfig(writeConfig('web.yml', yaml));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as unknown as string;

describe('loadWebConfig', () => {
  it('reads the toolkit format: TLS, users and headers, relative paths against the file', () => {
    const config = configOf(`
tls_server_config:
  cert_file: server.crt
  key_file: server.key
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: ${aliceHash}
`);
    expect(config.tls?.certFile).toBe(certs.server.certFile);
    expect(config.tls?.cert).toBe(certs.server.cert);
    expect(config.users).toEqual(new Map([['alice', aliceHash]]));
    expect(config.headers).toEqual({ 'X-Frame-Options': 'deny', 'Strict-Transport-Security': 'max-age=31536000' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.headers)).toBe(true);
  });

  it('an empty file, or sections with nothing in them, means plain HTTP, no auth, no headers', () => {
    for (const yaml of ['', '# nothing\n', 'tls_server_config: {}\nbasic_auth_users: {}\n', 'http_server_config:\n  headers: {}\n', 'basic_auth_users:\n']) {
      expect(configOf(yaml), JSON.stringify(yaml)).toEqual({ tls: undefined, users: new Map(), headers: {} });
    }
  });

  it('names the setting and the path of a file it cannot read, with the label it is given', () => {
    expect(loadWebConfig('/nonexistent/web.yml')).toEqual({ ok: false, errors: ['WEB_CONFIG_FILE: cannot read "/nonexistent/web.yml" (ENOENT)'] });
    expect(loadWebConfig('/nonexistent/web.yml', { label: '--web.config.file' })).toEqual({
      ok: false,
      errors: ['--web.config.file: cannot read "/nonexistent/web.yml" (ENOENT)'],
    });
  });

  it('reads only a small regular file: a device, a FIFO without a writer and an oversized file are refused at once', () => {
    const fifo = join(certs.dir, 'web.fifo');
    execFileSync('mkfifo', [fifo]);
    const big = writeConfig('big.yml', `# ${'x'.repeat(MAX_FILE_BYTES.config)}\n`);
    expect(loadWebConfig('/dev/zero')).toEqual({ ok: false, errors: ['WEB_CONFIG_FILE: cannot read "/dev/zero" (not a regular file)'] });
    expect(loadWebConfig(fifo)).toEqual({ ok: false, errors: [`WEB_CONFIG_FILE: cannot read ${JSON.stringify(fifo)} (not a regular file)`] });
    expect(loadWebConfig(big)).toEqual({ ok: false, errors: [`WEB_CONFIG_FILE: cannot read ${JSON.stringify(big)} (larger than 1 MiB)`] });
    expect(loadWebConfig(certs.dir)).toEqual({ ok: false, errors: [matching(/^WEB_CONFIG_FILE: cannot read ".+" \((EISDIR|not a regular file)\)$/)] });
  });

  it('uses the readFile it is given for the file and the certificates it names', () => {
    const files: Record<string, string> = {
      '/etc/orq/web.yml': 'tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n',
      '/etc/orq/tls.crt': certs.server.cert,
      '/etc/orq/tls.key': certs.server.key,
    };
    const asked: string[] = [];
    const readFile = (path: string): string => {
      asked.push(path);
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return text;
    };
    const result = loadWebConfig('/etc/orq/web.yml', { readFile });
    expect(result.ok).toBe(true);
    expect(asked).toEqual(['/etc/orq/web.yml', '/etc/orq/tls.crt', '/etc/orq/tls.key']);
  });
});

describe('refusals', () => {
  const table: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ['an unknown top-level field', 'tls_config: {}\n', ['WEB_CONFIG_FILE: tls_config: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)']],
    ['a field named like a property every object has', 'constructor: 1\n__proto__: 2\n', [
      'WEB_CONFIG_FILE: constructor: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)',
      'WEB_CONFIG_FILE: __proto__: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)',
    ]],
    ['a toolkit field this exporter does not implement', 'rate_limit:\n  burst: 10\n', ['WEB_CONFIG_FILE: rate_limit: not supported by this exporter (scrapes are served from a per-second cache)']],
    ['a password instead of a hash, and a user with a colon', 'basic_auth_users:\n  alice: wonderland\n  "bob:x": $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n', [
      'WEB_CONFIG_FILE: basic_auth_users.alice: must be a bcrypt hash such as the output of htpasswd -nBC 10 "" | tr -d \':\\n\'',
      'WEB_CONFIG_FILE: basic_auth_users.bob:x: a user name cannot contain ":"',
    ]],
    ['an empty user name, a hash that is a number, and costs out of range', `basic_auth_users:\n  "": ${aliceHash}\n  n: 12\n  low: $2y$03$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n  high: $2y$32$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n`, [
      'WEB_CONFIG_FILE: basic_auth_users: a user name cannot be empty',
      'WEB_CONFIG_FILE: basic_auth_users.n: must be a bcrypt hash such as the output of htpasswd -nBC 10 "" | tr -d \':\\n\'',
      'WEB_CONFIG_FILE: basic_auth_users.low: bcrypt cost must be between 4 and 31',
      'WEB_CONFIG_FILE: basic_auth_users.high: bcrypt cost must be between 4 and 31',
    ]],
    ['users as a list', 'basic_auth_users: [alice]\n', ['WEB_CONFIG_FILE: basic_auth_users: must be a mapping of user name to bcrypt hash']],
    ['a header the toolkit does not allow, and a value it does not allow', 'http_server_config:\n  headers:\n    X-Powered-By: me\n    X-Frame-Options: allow\n', [
      'WEB_CONFIG_FILE: http_server_config.headers.X-Powered-By: cannot be configured (allowed: Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy)',
      'WEB_CONFIG_FILE: http_server_config.headers.X-Frame-Options: must be one of "deny", "sameorigin" (got "allow")',
    ]],
    ['a header named like an object property', 'http_server_config:\n  headers:\n    constructor: x\n    toString: y\n', [
      matching(/^WEB_CONFIG_FILE: http_server_config\.headers\.constructor: cannot be configured/),
      matching(/^WEB_CONFIG_FILE: http_server_config\.headers\.toString: cannot be configured/),
    ]],
    ['header values that cannot be sent: a line break, a control character, a letter beyond ASCII, a number', 'http_server_config:\n  headers:\n    Content-Security-Policy: "a\\nb"\n    X-XSS-Protection: "1\\u0000"\n    Strict-Transport-Security: "max-age=1 ✓"\n    X-Content-Type-Options: 1\n', [
      'WEB_CONFIG_FILE: http_server_config.headers.Content-Security-Policy: must be one line of printable ASCII',
      'WEB_CONFIG_FILE: http_server_config.headers.X-XSS-Protection: must be one line of printable ASCII',
      'WEB_CONFIG_FILE: http_server_config.headers.Strict-Transport-Security: must be one line of printable ASCII',
      'WEB_CONFIG_FILE: http_server_config.headers.X-Content-Type-Options: must be a string',
    ]],
    ['http2 that is not a boolean, and an unknown HTTP field', 'http_server_config:\n  http2: yes please\n  keep_alive: true\n', [
      'WEB_CONFIG_FILE: http_server_config.keep_alive: unknown field (expected one of http2, headers)',
      'WEB_CONFIG_FILE: http_server_config.http2: must be true or false',
    ]],
    ['a list where a mapping belongs', '- tls_server_config\n', ['WEB_CONFIG_FILE: must be a YAML mapping of tls_server_config, http_server_config and basic_auth_users']],
    ['a bare string', 'hello\n', ['WEB_CONFIG_FILE: must be a YAML mapping of tls_server_config, http_server_config and basic_auth_users']],
    ['a key given twice', 'basic_auth_users: {}\nbasic_auth_users: {}\n', [matching(/^WEB_CONFIG_FILE: not valid YAML: Map keys must be unique/)]],
    ['text that is not YAML', 'basic_auth_users: a: b\n', [matching(/^WEB_CONFIG_FILE: not valid YAML: /)]],
    ['a tag beyond plain data', 'basic_auth_users:\n  alice: !!binary aGVsbG8=\n', ['WEB_CONFIG_FILE: the YAML tag "!!binary" is not supported: plain strings, numbers, lists and mappings only']],
    ['a custom tag', 'http_server_config: !include other.yml\n', ['WEB_CONFIG_FILE: the YAML tag "!include" is not supported: plain strings, numbers, lists and mappings only']],
  ];

  it.each(table)('refuses %s, naming the field', (_name, yaml, expected) => {
    expect(errorsOf(yaml)).toEqual(expected);
  });

  it('an alias bomb is one line, not a stack trace or a hang', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const errors = errorsOf(`${levels.join('\n')}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^WEB_CONFIG_FILE: not valid YAML: .*alias/i);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf('tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n  min_version: SSL3\nbasic_auth_users:\n  eve: hunter2\nextra: 1\n');
    expect(errors).toHaveLength(5);
    expect(errors.every((e) => e.startsWith('WEB_CONFIG_FILE: '))).toBe(true);
  });

  it('never repeats a password it refuses as a hash', () => {
    const errors = errorsOf('basic_auth_users:\n  alice: correct-horse-battery-staple\n');
    expect(errors.join('\n')).not.toContain('correct-horse');
  });

  it('parseWebConfig uses the label it is given', () => {
    expect(parseWebConfig('x: 1', { label: '--web.config.file' })).toEqual({
      ok: false,
      errors: ['--web.config.file: x: unknown field (expected one of tls_server_config, http_server_config, basic_auth_users)'],
    });
  });

  it('accepts every value the toolkit allows for each header', () => {
    for (const [name, allowed] of Object.entries(CONFIGURABLE_HEADERS)) {
      for (const value of allowed ?? ['max-age=31536000; includeSubDomains', "default-src 'self'", '1; mode=block']) {
        expect(configOf(`http_server_config:\n  headers:\n    ${name}: "${value}"\n`).headers).toEqual({ [name]: value });
      }
    }
  });
});

describe('at start', () => {
  it('an invalid web config is refused with the other settings, one line per problem', () => {
    const path = writeConfig('bad.yml', 'tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\nbasic_auth_users:\n  eve: hunter2\n');
    const result = loadConfig({ env: { ORQ_API_KEY: 'x'.repeat(32), WEB_CONFIG_FILE: path, PORT: '0', LISTEN_ADDRESS: '127.0.0.1' }, argv: [] });
    expect(result.ok).toBe(false);
    if (result.ok !== false) return;
    expect(result.errors).toEqual([
      `WEB_CONFIG_FILE: tls_server_config.cert_file: cannot read "${join(certs.dir, 'nope.crt')}" (ENOENT)`,
      'WEB_CONFIG_FILE: basic_auth_users.eve: must be a bcrypt hash such as the output of htpasswd -nBC 10 "" | tr -d \':\\n\'',
    ]);
  });
});
