/**
 * The log lines of refreshes, from the outcomes alone: one line per key-list refresh, and for
 * budgets and projects one line per failure transition rather than per refresh, every error
 * redacted. That a workspace feeds these functions its sources' states (and the Budgets
 * permission hint on a 403) is workspace.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../src/log.js';
import type { BudgetList, KeyList, ProjectList } from '../../src/orq/client.js';
import { RefreshError } from '../../src/orq/errors.js';
import type { Snapshot } from '../../src/snapshot.js';
import type { Fetched, RefreshOutcome } from '../../src/workspace/refresh.js';
import { logKeys, logSource } from '../../src/workspace/refresh-log.js';
import { apiKey } from '../support/keys.js';

const SECRET = 'sk-orq-01HLOGLOGLOGLOGLOGLOGLOGLOG-secret';
const redact = (text: string): string => text.split(SECRET).join('[REDACTED]');

interface Line {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A logger at debug whose lines a test reads back; it redacts nothing itself. */
function recording(): { logger: Logger; lines: () => Line[] } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => raw.push(line), now: () => 0 });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as Line) };
}

const keyList = (count: number, skipped = { missing_id: 0, duplicate_id: 0, not_an_object: 0 }): KeyList => ({
  keys: Array.from({ length: count }, (_, i) => apiKey({ id: `k${i}` })),
  skipped,
  received: count,
  pages: 2,
  requests: 3,
  ended: 'last_page',
});
const budgets: Fetched<BudgetList> = { ok: true, value: { budgets: [], skipped: { invalid: 0, not_key_scoped: 0, inactive: 0 }, pages: 1, requests: 4, ended: 'last_page' }, durationSeconds: 0.1 };
const projects: Fetched<ProjectList> = { ok: true, value: { projects: [{ id: 'p', name: 'P', archived: false }], skipped: 0, pages: 1, requests: 5, ended: 'last_page' }, durationSeconds: 0.1 };
const failed = (reason: RefreshError['reason'], status?: number, message = `upstream answered ${status ?? reason}`): Fetched<never> => ({
  ok: false,
  error: new RefreshError(reason, message, status),
  durationSeconds: 0.1,
});

describe('logKeys', () => {
  it('says a refresh succeeded once, with counts of keys, pages, every request and skipped records', () => {
    const { logger, lines } = recording();
    const round: RefreshOutcome = { workspace: 'w', ok: true, durationSeconds: 1.23456, endedAt: 100, list: keyList(3, { missing_id: 1, duplicate_id: 2, not_an_object: 0 }), budgets, projects };
    logKeys(logger, 'w', round, undefined, redact);
    expect(lines()).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'refresh succeeded', workspace: 'w', keys: 3, pages: 2, requests: 3 + 4 + 5, skipped_records: 3, budgets: 0, projects: 1, duration_seconds: 1.235 },
    ]);
  });

  it('counts no budgets or projects that were not read, or failed', () => {
    const { logger, lines } = recording();
    logKeys(logger, 'w', { workspace: 'w', ok: true, durationSeconds: 1, endedAt: 100, list: keyList(1), budgets: failed('server_error', 503) }, undefined, redact);
    expect(lines()[0]).toMatchObject({ requests: 3, budgets: null, projects: null });
  });

  it('warns of a failed refresh with its reason, the redacted error and the age of the snapshot still served', () => {
    const { logger, lines } = recording();
    const snapshot: Snapshot = { workspace: 'w', version: 1, fetchedAt: 40, keys: [] };
    const error = new RefreshError('auth', `upstream refused the token (401): ${SECRET}`, 401);
    logKeys(logger, 'w', { workspace: 'w', ok: false, durationSeconds: 0.5, endedAt: 100.0004, error }, snapshot, redact);
    logKeys(logger, 'w', { workspace: 'w', ok: false, durationSeconds: 0.5, endedAt: 100, error }, undefined, redact);
    expect(lines().map(({ time: _time, ...line }) => line)).toEqual([
      { level: 'warn', msg: 'refresh failed; serving the last good snapshot', workspace: 'w', reason: 'auth', error: 'upstream refused the token (401): [REDACTED]', duration_seconds: 0.5, snapshot_age_seconds: 60 },
      { level: 'warn', msg: 'refresh failed; serving the last good snapshot', workspace: 'w', reason: 'auth', error: 'upstream refused the token (401): [REDACTED]', duration_seconds: 0.5, snapshot_age_seconds: null },
    ]);
  });

  it('calls a failed refresh without an error an invalid response rather than failing to log it', () => {
    const { logger, lines } = recording();
    logKeys(logger, 'w', { workspace: 'w', ok: false, durationSeconds: 0, endedAt: 1 }, undefined, redact);
    expect(lines()[0]).toMatchObject({ level: 'warn', reason: 'invalid_response', error: 'refresh failed' });
  });
});

describe('logSource', () => {
  /** Feeds a run of fetches as a workspace does, keeping whether the source was up and its last error. */
  function run(source: 'budgets' | 'projects', fetches: ReadonlyArray<Fetched<unknown>>): Array<[string, string]> {
    const { logger, lines } = recording();
    let wasUp: boolean | undefined;
    let previous: RefreshError | undefined;
    for (const fetched of fetches) {
      logSource({ logger, workspace: 'w', redact }, source, fetched, wasUp, previous);
      wasUp = fetched.ok;
      previous = fetched.ok ? undefined : fetched.error;
    }
    return lines().map((l) => [l.level, l.msg]);
  }

  it('says nothing while a source is read', () => {
    expect(run('budgets', [budgets, budgets, budgets])).toEqual([]);
  });

  it('warns once when a failure starts, at debug while it goes on the same, and once when it ends', () => {
    expect(run('budgets', [budgets, failed('server_error', 503), failed('server_error', 503), failed('server_error', 503), budgets, budgets])).toEqual([
      ['warn', 'budgets could not be read; keys are exported without budget spending'],
      ['debug', 'budgets still cannot be read'],
      ['debug', 'budgets still cannot be read'],
      ['info', 'budgets are read again'],
    ]);
  });

  it('warns at the first fetch already failing, with no earlier state', () => {
    expect(run('projects', [failed('network')])).toEqual([['warn', 'projects could not be read; keys are exported with project ids; names come back with the next good fetch']]);
  });

  it('warns again when the failure changes its reason or its status', () => {
    expect(run('projects', [failed('server_error', 503), failed('server_error', 502), failed('timeout'), failed('timeout')]).map(([level]) => level)).toEqual(['warn', 'warn', 'warn', 'debug']);
  });

  it('warns again when a failure follows a good fetch, whatever last error it is handed', () => {
    // Being up just before is what makes it new; the caller need not clear the last error.
    const { logger, lines } = recording();
    const again = failed('server_error', 503);
    logSource({ logger, workspace: 'w', redact }, 'budgets', again, true, again.ok ? undefined : again.error);
    expect(lines().map((l) => l.level)).toEqual(['warn']);
  });

  it('keeps the token out of the error, the status beside it, and hints at the permission for budgets only', () => {
    const { logger, lines } = recording();
    logSource({ logger, workspace: 'w', redact }, 'projects', failed('auth', 403, `forbidden for ${SECRET}`), undefined, undefined);
    expect(lines()[0]).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'warn',
      msg: 'projects could not be read; keys are exported with project ids; names come back with the next good fetch',
      workspace: 'w',
      source: 'projects',
      reason: 'auth',
      status: 403,
      error: 'forbidden for [REDACTED]',
    });
    logSource({ logger, workspace: 'w', redact }, 'budgets', failed('network', undefined, `reset by ${SECRET}`), true, undefined);
    expect(lines()[1]).toMatchObject({ status: null, error: 'reset by [REDACTED]' });
    expect(lines()[1]).not.toHaveProperty('hint');
  });
});
