import { describe, expect, it } from 'vitest';
import { ABANDON_AFTER_ABORT_MS, Poller, type PollerOptions } from '../src/poller.js';
import { deferred, manualTimers, settle } from './support/timers.js';

type Result = string;

function poller(run: PollerOptions<Result>['run'], extra: Partial<PollerOptions<Result>> = {}) {
  const results: Result[] = [];
  const timers = manualTimers();
  const p = new Poller<Result>({
    intervalMs: 60_000,
    deadlineMs: 10_000,
    run,
    failed: (why, error) => `failed:${why}${error instanceof Error ? `:${error.message}` : ''}`,
    onResult: (r) => results.push(r),
    setTimer: timers.setTimer,
    ...extra,
  });
  return { p, results, timers };
}

/** A job that settles only when aborted (rejecting), or never when `ignoreAbort`. */
function hanging(ignoreAbort = false): PollerOptions<Result>['run'] {
  return (signal) =>
    new Promise<Result>((_, reject) => {
      if (!ignoreAbort) signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
}

describe('Poller', () => {
  it('runs the job and hands its result to onResult', async () => {
    const { p, results } = poller(async () => 'ok');
    await expect(p.refresh()).resolves.toBe('ok');
    expect(results).toEqual(['ok']);
  });

  it('runs one job at a time: a second call joins the first', async () => {
    const gate = deferred<Result>();
    let calls = 0;
    const { p, results } = poller(() => {
      calls++;
      return gate.promise;
    });
    const first = p.refresh();
    const second = p.refresh();
    expect(second).toBe(first);
    gate.resolve('done');
    await Promise.all([first, second]);
    expect(calls).toBe(1);
    expect(results).toEqual(['done']);
  });

  it('schedules the next run an interval after the previous one ended, never overlapping', async () => {
    let calls = 0;
    const gate = deferred<Result>();
    const { p, timers } = poller(() => {
      calls++;
      return calls === 1 ? gate.promise : Promise.resolve('again');
    });
    p.start();
    await settle();
    expect(calls).toBe(1);
    expect(timers.live()).toEqual([10_000]); // only the run's deadline while it runs
    gate.resolve('first');
    await settle();
    expect(timers.live()).toEqual([60_000]);
    timers.fire();
    await settle();
    expect(calls).toBe(2);
    expect(timers.live()).toEqual([60_000]);
    await p.stop();
    expect(timers.live()).toEqual([]);
  });

  it('aborts a job at its deadline and takes what the job answers to the abort', async () => {
    let aborted = false;
    const { p, timers } = poller((signal) => new Promise<Result>((resolve) => signal.addEventListener('abort', () => ((aborted = true), resolve('partial')))));
    const run = p.refresh();
    await settle();
    expect(timers.live()).toEqual([10_000]);
    timers.fire();
    await expect(run).resolves.toBe('partial');
    expect(aborted).toBe(true);
  });

  it('abandons a job that ignores its aborted signal: a stuck request cannot wedge the schedule', async () => {
    const { p, results, timers } = poller(hanging(true));
    const run = p.refresh();
    await settle();
    timers.fire(); // the deadline: the signal aborts, the job does not notice
    await settle();
    expect(timers.live()).toEqual([ABANDON_AFTER_ABORT_MS]);
    timers.fire();
    await expect(run).resolves.toBe('failed:deadline');
    expect(results).toEqual(['failed:deadline']);
    // The next refresh is a new run, not the stuck one joined.
    const next = p.refresh();
    await settle();
    timers.fire();
    await settle();
    timers.fire();
    await expect(next).resolves.toBe('failed:deadline');
  });

  it('turns a job that throws into a failed result, not a crash or a dead schedule', async () => {
    const { p, results, timers } = poller(async () => {
      throw new TypeError('boom');
    });
    p.start();
    await settle();
    expect(results).toEqual(['failed:crashed:boom']);
    expect(timers.live()).toEqual([60_000]);
    await p.stop();
  });

  it('stops at once, even with a job that never settles, and reports nothing after stopping', async () => {
    let aborted = false;
    const { p, results } = poller((signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise<Result>(() => undefined);
    });
    p.start();
    await settle();
    await p.stop();
    expect(aborted).toBe(true);
    expect(results).toEqual([]);
  });
});
