/**
 * The collected problems of a configuration. That no token shows through the whole loader is
 * secrets.test.ts's; here are the rules that make it hold: lines made only at the end, so a
 * token read after a problem is still scrubbed from it; scrubbed before cut, so no part of a
 * token is left; the JSON-escaped spelling scrubbed too; short values left alone.
 */
import { describe, expect, it } from 'vitest';
import { Problems } from '../../src/config/problems.js';
import { TOKEN_LENGTH } from '../../src/config/tokens.js';
import { MAX_QUOTED } from '../../src/config/values.js';
import { REDACTED } from '../../src/log.js';

const TOKEN = 'sk-orq-01J9ZQ4X8V7M2K3N5P6R8S9T0W-Zx9aQ2mN7pL4vB8cK1dF';

describe('Problems', () => {
  it('gives one line per problem, in the order added: subject, problem, and what was given quoted', () => {
    const p = new Problems();
    expect(p.add('PORT', 'must be a whole number from 0 to 65535', 'http')).toBeUndefined();
    expect(p.at('LOG_LEVEL')('must be one of debug, info, warn, error', 'loud\n')).toBeUndefined();
    p.add('ORQ_API_KEY', 'required');
    p.addLines(['WEB_CONFIG_FILE: tls_config: unknown field']);
    expect(p.count).toBe(4);
    expect(p.lines()).toEqual([
      'PORT: must be a whole number from 0 to 65535 (got "http")',
      'LOG_LEVEL: must be one of debug, info, warn, error (got "loud\\n")',
      'ORQ_API_KEY: required',
      'WEB_CONFIG_FILE: tls_config: unknown field',
    ]);
  });

  it('scrubs a token read after the problem was added, from the value and from the rest of the line', () => {
    const p = new Problems();
    p.add('LOG_LEVEL', 'must be one of debug, info, warn, error', TOKEN);
    p.addLines([`ORQ_WORKSPACES_FILE: workspaces[0].${TOKEN}: unknown field`]);
    p.secret(TOKEN);
    expect(p.lines()).toEqual([`LOG_LEVEL: must be one of debug, info, warn, error (got "${REDACTED}")`, `ORQ_WORKSPACES_FILE: workspaces[0].${REDACTED}: unknown field`]);
  });

  it('scrubs before it cuts, so not even the start of a token past the cut shows', () => {
    const p = new Problems();
    p.secret(TOKEN);
    // The token straddles the cut: cut first, its first part would survive the scrub.
    p.add('ORQ_WORKSPACE', 'too long', `${'x'.repeat(MAX_QUOTED - 10)}${TOKEN}`);
    const [line] = p.lines();
    expect(line).toBe(`ORQ_WORKSPACE: too long (got "${'x'.repeat(MAX_QUOTED - 10)}${REDACTED}")`);
    expect(line).not.toContain(TOKEN.slice(0, 6));
  });

  it('scrubs the token as JSON escapes it too, when it holds characters quoting escapes', () => {
    const odd = `${TOKEN}"\\tail`;
    const p = new Problems();
    p.secret(odd);
    p.add('PORT', 'bad', odd);
    expect(p.lines()).toEqual([`PORT: bad (got "${REDACTED}")`]);
  });

  it('leaves values shorter than any token alone: they are refused unrepeated, and scrubbing them would garble lines', () => {
    const short = 'x'.repeat(TOKEN_LENGTH.min - 1);
    const p = new Problems();
    p.secret(short);
    p.secret('e');
    p.add('PORT', 'must be a whole number from 0 to 65535', short);
    expect(p.lines()).toEqual([`PORT: must be a whole number from 0 to 65535 (got "${short}")`]);
    // At the shortest a token can be, it is scrubbed.
    const shortest = 'y'.repeat(TOKEN_LENGTH.min);
    p.secret(shortest);
    p.add('PORT', 'bad', shortest);
    expect(p.lines()[1]).toBe(`PORT: bad (got "${REDACTED}")`);
  });

  it('counts nothing and gives no lines when there is no problem', () => {
    const p = new Problems();
    p.secret(TOKEN);
    expect(p.count).toBe(0);
    expect(p.lines()).toEqual([]);
  });
});
