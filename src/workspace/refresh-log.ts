/**
 * The log lines of a workspace's refreshes: one line per refresh of the key list, and for the
 * optional sources (budgets, projects) one line when a failure starts or changes, and one when
 * it ends, rather than one per refresh.
 */
import type { Logger } from '../log.js';
import { RefreshError } from '../orq/errors.js';
import type { Snapshot } from '../snapshot.js';
import type { Fetched, RefreshOutcome } from './refresh.js';

export function logKeys(logger: Logger, workspace: string, round: RefreshOutcome, snapshot: Snapshot | undefined, redact: (text: string) => string): void {
  if (round.ok && round.list) {
    const list = round.list;
    logger.info('refresh succeeded', {
      workspace,
      keys: list.keys.length,
      pages: list.pages,
      requests: list.requests + (round.budgets?.ok ? round.budgets.value.requests : 0) + (round.projects?.ok ? round.projects.value.requests : 0),
      skipped_records: Object.values(list.skipped).reduce((a, b) => a + b, 0),
      budgets: round.budgets?.ok ? round.budgets.value.budgets.length : null,
      projects: round.projects?.ok ? round.projects.value.projects.length : null,
      duration_seconds: round3(round.durationSeconds),
    });
    return;
  }
  const error = round.error ?? new RefreshError('invalid_response', 'refresh failed');
  logger.warn('refresh failed; serving the last good snapshot', {
    workspace,
    reason: error.reason,
    error: redact(error.message),
    duration_seconds: round3(round.durationSeconds),
    snapshot_age_seconds: snapshot ? round3(round.endedAt - snapshot.fetchedAt) : null,
  });
}

export interface SourceLog {
  readonly logger: Logger;
  readonly workspace: string;
  readonly redact: (text: string) => string;
}

/**
 * Budgets and projects are optional: a failure is one warning when it starts (or changes),
 * not one per refresh, and a recovery is one line too.
 */
export function logSource(
  { logger, workspace, redact }: SourceLog,
  source: 'budgets' | 'projects',
  fetched: Fetched<unknown>,
  wasUp: boolean | undefined,
  previous: RefreshError | undefined,
): void {
  if (fetched.ok) {
    if (wasUp === false) logger.info(`${source} are read again`, { workspace, source });
    return;
  }
  const error = fetched.error;
  const fields = { workspace, source, reason: error.reason, status: error.status ?? null, error: redact(error.message) };
  if (wasUp === false && previous?.reason === error.reason && previous.status === error.status) {
    logger.debug(`${source} still cannot be read`, fields);
    return;
  }
  const consequence =
    source === 'budgets'
      ? 'keys are exported without budget spending'
      : 'keys are exported with project ids; names come back with the next good fetch';
  const hint =
    error.status === 403 && source === 'budgets'
      ? 'the token needs the Budgets permission (a workspace management key with Budgets), or set ORQ_FETCH_BUDGETS=false'
      : undefined;
  logger.warn(`${source} could not be read; ${consequence}`, hint === undefined ? fields : { ...fields, hint });
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
