import { describe, expect, it } from 'vitest';
import type { KeyList } from '../src/orq/client.js';
import { RefreshError } from '../src/orq/errors.js';
import { Poller, type PollerOptions, type RefreshOutcome } from '../src/poller.js';
import { apiKey } from './support/keys.js';

const list = (...ids: string[]): KeyList => ({
  keys: ids.map((id) => apiKey({ id })),
  skipped: { missing_id: 0, duplicate_id: 0, not_an_object: 0 },
  pages: 1,
  requests: 1,
});

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  return {
    pending,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      pending.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
    fire: () => {
      const t = pending.shift();
      if (t && !t.cancelled) t.fn();
    },
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function poller(listKeys: PollerOptions['listKeys'], extra: Partial<PollerOptions> = {}) {
  const outcomes: RefreshOutcome[] = [];
  const p = new Poller({ workspace: 'w', intervalMs: 60_000, deadlineMs: 10_000, listKeys, onOutcome: (o) => outcomes.push(o), now: () => 1_000_000, ...extra });
  return { p, outcomes };
}

describe('Poller', () => {
  it('publishes a snapshot after a successful refresh, with a growing version', async () => {
    let ids = ['a', 'b'];
    const { p, outcomes } = poller(async () => list(...ids));
    expect(p.snapshot).toBeUndefined();
    await p.refresh();
    expect(p.snapshot).toMatchObject({ workspace: 'w', version: 1, fetchedAt: 1000 });
    expect(p.snapshot?.keys.map((k) => k.id)).toEqual(['a', 'b']);
    ids = ['b'];
    await p.refresh();
    expect(p.snapshot?.version).toBe(2);
    expect(p.snapshot?.keys.map((k) => k.id)).toEqual(['b']);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
  });

  it('keeps the last good snapshot when a refresh fails, and says why', async () => {
    let fail = false;
    const { p, outcomes } = poller(async () => {
      if (fail) throw new RefreshError('server_error', 'upstream answered 503', 503);
      return list('a');
    });
    await p.refresh();
    const good = p.snapshot;
    fail = true;
    const outcome = await p.refresh();
    expect(p.snapshot).toBe(good);
    expect(outcome).toMatchObject({ ok: false, workspace: 'w', endedAt: 1000 });
    expect(outcome.error?.reason).toBe('server_error');
    expect(outcomes).toHaveLength(2);
  });

  it('turns an unexpected throw into a failed refresh, not a crash', async () => {
    const { p } = poller(async () => {
      throw new TypeError('boom');
    });
    const outcome = await p.refresh();
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.reason).toBe('invalid_response');
    expect(outcome.error?.message).toContain('boom');
  });

  it('runs one refresh at a time: a second call joins the first', async () => {
    const gate = deferred<KeyList>();
    let calls = 0;
    const { p } = poller(() => {
      calls++;
      return gate.promise;
    });
    const first = p.refresh();
    const second = p.refresh();
    expect(second).toBe(first);
    gate.resolve(list('a'));
    await Promise.all([first, second]);
    expect(calls).toBe(1);
  });

  it('schedules the next refresh an interval after the previous one ended, never overlapping', async () => {
    const timers = manualTimers();
    let calls = 0;
    const gate = deferred<KeyList>();
    const { p } = poller(
      () => {
        calls++;
        return calls === 1 ? gate.promise : Promise.resolve(list('a'));
      },
      { setTimer: timers.setTimer },
    );
    p.start();
    expect(calls).toBe(1);
    expect(timers.pending).toHaveLength(0); // nothing scheduled while the refresh runs
    gate.resolve(list('a'));
    await vi_flush();
    expect(timers.pending.map((t) => t.ms)).toEqual([60_000]);
    timers.fire();
    await vi_flush();
    expect(calls).toBe(2);
    expect(timers.pending).toHaveLength(1);
    await p.stop();
    expect(timers.pending[0]?.cancelled).toBe(true);
  });

  it('aborts a refresh that passes its deadline, as a timeout', async () => {
    const { p } = poller(
      (signal) =>
        new Promise<KeyList>((_, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      { deadlineMs: 20 },
    );
    const outcome = await p.refresh();
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.reason).toBe('timeout');
    expect(p.snapshot).toBeUndefined();
  });

  it('abandons a refresh under way when stopped', async () => {
    let aborted = false;
    const { p } = poller(
      (signal) =>
        new Promise<KeyList>((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('stopped'));
          });
        }),
    );
    p.start();
    await p.stop();
    expect(aborted).toBe(true);
  });
});

async function vi_flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
