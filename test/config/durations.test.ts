/** Every duration setting: its floor, and a ceiling a Node timer can hold. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT } from '../../src/config/values.js';
import { parseDuration } from '../../src/util/duration.js';

const TOKEN = 'orq-duration-test-token-5d2c7e8f';
/** Each duration setting, its flag, and values that satisfy the others (REFRESH_TIMEOUT must be at least REQUEST_TIMEOUT). */
const DURATIONS = [
  ['REFRESH_INTERVAL', '--refresh-interval'],
  ['REQUEST_TIMEOUT', '--request-timeout'],
  ['REFRESH_TIMEOUT', '--refresh-timeout'],
  ['ORQ_PROJECTS_TTL', '--orq-projects-ttl'],
] as const;
const load = (env: Record<string, string>, argv: string[] = []) => loadConfig({ env: { ORQ_API_KEY: TOKEN, REFRESH_TIMEOUT: MAX_DURATION_TEXT, ...env }, argv });

describe('duration settings', () => {
  it('stop below the longest delay a Node timer holds', () => {
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31 - 1);
    expect(parseDuration(MAX_DURATION_TEXT)).toBe(MAX_DURATION_MS);
  });

  it.each(DURATIONS)('%s accepts the ceiling itself', (name) => {
    expect(load({ [name]: MAX_DURATION_TEXT }).ok).toBe(true);
  });

  it.each(DURATIONS)('%s refuses anything longer, up to what no number holds, in one line', (name, flag) => {
    for (const text of ['24d1ms', '25d', '30d', '4w', '1y', '596h', '2147483648ms', `${'9'.repeat(30)}y`]) {
      const expected = parseDuration(text) === undefined ? 'must be a duration such as 30s, 2m or 1h' : `must be at most ${MAX_DURATION_TEXT}, the longest a timer holds`;
      expect(load({ [name]: text })).toEqual({ ok: false, errors: [`${name}: ${expected} (got ${JSON.stringify(text)})`] });
      expect(load({}, [`${flag}=${text}`])).toEqual({ ok: false, errors: [`${flag}: ${expected} (got ${JSON.stringify(text)})`] });
    }
  });

  it('keep their floors', () => {
    const result = load({ REFRESH_INTERVAL: '9s', REQUEST_TIMEOUT: '99ms', REFRESH_TIMEOUT: '999ms', ORQ_PROJECTS_TTL: '0' });
    expect(result).toEqual({
      ok: false,
      errors: [
        'REFRESH_INTERVAL: must be at least 10s (got "9s")',
        'REQUEST_TIMEOUT: must be at least 100ms (got "99ms")',
        'REFRESH_TIMEOUT: must be at least 1s (got "999ms")',
        'ORQ_PROJECTS_TTL: must be at least 10s (got "0")',
      ],
    });
  });
});
