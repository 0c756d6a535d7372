/**
 * bcrypt on a worker thread: right and wrong answers, the event loop free while it works, the
 * bounded queue and its Retry-After, comparisons dropped when their client has gone, and a
 * worker that dies replaced by the next comparison.
 */
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { BcryptWorker, DEFAULT_MAX_PENDING } from '../../../src/http/auth/bcrypt-worker.js';

const HASH_4 = bcrypt.hashSync('wonderland', 4);
/** Slow enough (a few hundred ms here) that a queue builds up behind it. */
const HASH_12 = bcrypt.hashSync('slow', 12);

const workers: BcryptWorker[] = [];
function worker(options?: ConstructorParameters<typeof BcryptWorker>[0]): BcryptWorker {
  const w = new BcryptWorker(options);
  workers.push(w);
  return w;
}
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
});

describe('BcryptWorker', () => {
  it('tells a right password from a wrong one, for every bcrypt prefix', async () => {
    const w = worker();
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      const hash = HASH_4.replace(/^\$2[aby]\$/, prefix);
      expect(await w.compare('wonderland', hash), prefix).toEqual({ kind: 'match' });
      expect(await w.compare('Wonderland', hash), prefix).toEqual({ kind: 'mismatch' });
    }
  });

  it('a password of any length or content is a mismatch, never a crash', async () => {
    const w = worker();
    for (const password of ['', ' ', '\u0000', 'wonderland\u0000', '🔑'.repeat(100), 'x'.repeat(16 * 1024), '\ud800']) {
      expect(await w.compare(password, HASH_4), JSON.stringify(password.slice(0, 20))).toEqual({ kind: 'mismatch' });
    }
  });

  it('a hash that is not one is a mismatch', async () => {
    const w = worker();
    for (const hash of ['', 'wonderland', '$2b$04$short', HASH_4.slice(0, -1)]) expect(await w.compare('wonderland', hash)).toEqual({ kind: 'mismatch' });
  });

  it('compares off the main thread: the event loop keeps turning during a slow comparison', async () => {
    const w = worker();
    await w.compare('warm-up', HASH_4);
    let turns = 0;
    let longestGapMs = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      turns++;
    }, 5);
    const started = performance.now();
    expect(await w.compare('slow', HASH_12)).toEqual({ kind: 'match' });
    const tookMs = performance.now() - started;
    clearInterval(ticker);
    console.log(`cost-12 comparison: ${tookMs.toFixed(0)} ms; the event loop turned ${turns} times, longest gap ${longestGapMs.toFixed(0)} ms`);
    // On the main thread the loop would not turn at all until the comparison ended.
    expect(turns).toBeGreaterThan(3);
    expect(longestGapMs).toBeLessThan(tookMs);
  });

  it('refuses at once beyond the bound, with a Retry-After for the queue to drain', async () => {
    const w = worker({ maxPending: 3 });
    const queued = [w.compare('x', HASH_12), w.compare('y', HASH_12), w.compare('z', HASH_12)];
    expect(w.pending).toBe(3);
    const refused = await w.compare('w', HASH_4);
    expect(refused.kind).toBe('busy');
    if (refused.kind !== 'busy') throw new Error('unreachable');
    expect(Number.isInteger(refused.retryAfterSeconds)).toBe(true);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await Promise.all(queued)).toEqual([{ kind: 'mismatch' }, { kind: 'mismatch' }, { kind: 'mismatch' }]);
    expect(w.pending).toBe(0);
    // Drained, it takes comparisons again.
    expect(await w.compare('wonderland', HASH_4)).toEqual({ kind: 'match' });
  });

  it('estimates Retry-After from the comparisons it timed', async () => {
    let clock = 0;
    const w = worker({ maxPending: 2, now: () => clock });
    // Each comparison "takes" 10 s on this clock; the average moves towards it.
    for (let i = 0; i < 30; i++) {
      const pending = w.compare('x', HASH_4);
      clock += 10_000;
      await pending;
    }
    const a = w.compare('x', HASH_12);
    const b = w.compare('y', HASH_12);
    const refused = await w.compare('z', HASH_4);
    // Two comparisons of about 10 s each ahead.
    expect(refused).toEqual({ kind: 'busy', retryAfterSeconds: 20 });
    await Promise.all([a, b]);
  });

  it(`is bounded at ${DEFAULT_MAX_PENDING} pending comparisons by default`, async () => {
    const w = worker();
    const queued = Array.from({ length: DEFAULT_MAX_PENDING }, () => w.compare('x', HASH_4));
    expect((await w.compare('x', HASH_4)).kind).toBe('busy');
    await Promise.all(queued);
  });

  it('drops a comparison whose client went away before its turn, without comparing', async () => {
    const w = worker();
    // Two are handed to the worker at once; the third waits its turn.
    const running = [w.compare('slow', HASH_12), w.compare('slow', HASH_12)];
    let left = false;
    const picked: string[] = [];
    const abandoned = w.compare('wonderland', () => {
      picked.push('abandoned');
      return HASH_4;
    }, () => left);
    const kept = w.compare('wonderland', () => {
      picked.push('kept');
      return HASH_4;
    }, () => false);
    left = true;
    expect(await abandoned).toEqual({ kind: 'abandoned' });
    expect(await kept).toEqual({ kind: 'match' });
    expect(await Promise.all(running)).toEqual([{ kind: 'match' }, { kind: 'match' }]);
    // The hash of the dropped one was never even worked out.
    expect(picked).toEqual(['kept']);
  });

  it('a worker that dies fails its comparison, and the next one gets a new worker', async () => {
    // A worker that dies on its second message, as one that ran out of memory would.
    const mortal = `
const { parentPort } = require('node:worker_threads');
let seen = 0;
parentPort.on('message', () => {
  seen++;
  if (seen === 2) process.exit(3);
  parentPort.postMessage({ match: true });
});`;
    const w = worker({ workerSource: mortal });
    expect(await w.compare('a', HASH_4)).toEqual({ kind: 'match' });
    // b kills the worker; c was handed over with it and is lost with it; d waited its turn.
    const dying = w.compare('b', HASH_4);
    const alongside = w.compare('c', HASH_4);
    const behind = w.compare('d', HASH_4);
    await expect(dying).rejects.toThrow('the bcrypt worker exited with code 3');
    await expect(alongside).rejects.toThrow('the bcrypt worker exited with code 3');
    // d runs on a new worker (its first message).
    expect(await behind).toEqual({ kind: 'match' });
    expect(w.pending).toBe(0);
  });

  it('after close, pending and new comparisons fail', async () => {
    const w = worker();
    const pending = expect(w.compare('slow', HASH_12)).rejects.toThrow('closed');
    await w.close();
    await pending;
    await expect(w.compare('wonderland', HASH_4)).rejects.toThrow('closed');
  });
});
