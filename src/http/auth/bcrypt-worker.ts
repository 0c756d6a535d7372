/**
 * bcrypt comparisons on a worker thread, so the event loop that serves scrapes never runs
 * one. bcrypt is slow on purpose (tens of milliseconds at cost 10, in plain JavaScript), and
 * run on the main thread a flood of wrong passwords held every scrape behind it.
 *
 * Comparisons wait in a bounded queue, oldest first. The worker is handed two at a time, so
 * it starts the next as soon as one ends rather than waiting for a busy event loop to send
 * it, and it never holds more than one core whatever the flood. A comparison whose client
 * has gone is dropped before it is handed over, and its hash (a decoy, for an unknown user)
 * is only worked out then. Beyond the bound a comparison is refused at once, with an
 * estimate of when to come back.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Comparisons waiting or running at once; the next one is refused. */
export const DEFAULT_MAX_PENDING = 32;
/** Comparisons handed to the worker at once: one running, one ready behind it. */
const IN_FLIGHT = 2;

export type CompareOutcome =
  | { readonly kind: 'match' }
  | { readonly kind: 'mismatch' }
  /** The queue is full: come back in `retryAfterSeconds`, the time it would take to drain. */
  | { readonly kind: 'busy'; readonly retryAfterSeconds: number }
  /** The client went away before its turn; nothing was compared. */
  | { readonly kind: 'abandoned' };

/** What basic auth needs of a password checker; tests substitute their own. */
export interface PasswordComparer {
  /**
   * `hash` may be given as a function, called only when the comparison is handed over; `gone`
   * is asked then too, and true drops the comparison (the client left).
   */
  compare(password: string, hash: string | (() => string), gone?: () => boolean): Promise<CompareOutcome>;
  close(): Promise<void>;
}

export interface BcryptWorkerOptions {
  readonly maxPending?: number;
  /** Monotonic clock in ms, to time comparisons for Retry-After. */
  readonly now?: () => number;
  /** The worker's program (CommonJS source); tests give one that dies. */
  readonly workerSource?: string;
}

interface Job {
  readonly password: string;
  readonly hash: string | (() => string);
  readonly gone: (() => boolean) | undefined;
  readonly resolve: (outcome: CompareOutcome) => void;
  readonly reject: (error: unknown) => void;
}

interface Reply {
  readonly match: boolean;
}

/**
 * The worker's whole program: plain CommonJS given as a string, so it runs the same from the
 * compiled build and under the test runner, which does not compile worker files. bcryptjs is
 * loaded by the absolute path the main thread resolved, whatever the working directory.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.on('message', ({ password, hash }) => {
  let match = false;
  try {
    match = bcrypt.compareSync(password, hash);
  } catch {
    match = false;
  }
  parentPort.postMessage({ match });
});
`;

const BCRYPTJS = createRequire(import.meta.url).resolve('bcryptjs');

/** A first guess at one comparison's time, until one has been measured (cost 10 on a slow core). */
const INITIAL_ESTIMATE_MS = 100;

export class BcryptWorker implements PasswordComparer {
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #source: string;
  readonly #queue: Job[] = [];
  /** Handed to the worker, oldest first; it answers in that order. */
  readonly #inFlight: Job[] = [];
  #worker: Worker | undefined;
  /** When the worker last answered, or was last handed work while idle: the current comparison's start. */
  #startedAt = 0;
  /** Moving average of one comparison's time, for Retry-After. */
  #averageMs = INITIAL_ESTIMATE_MS;
  #closed = false;

  constructor(options: BcryptWorkerOptions = {}) {
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#now = options.now ?? (() => performance.now());
    this.#source = options.workerSource ?? WORKER_SOURCE;
  }

  /** Comparisons queued or running. */
  get pending(): number {
    return this.#queue.length + this.#inFlight.length;
  }

  compare(password: string, hash: string | (() => string), gone?: () => boolean): Promise<CompareOutcome> {
    if (this.#closed) return Promise.reject(new Error('the bcrypt worker is closed'));
    if (this.pending >= this.#maxPending) {
      return Promise.resolve({ kind: 'busy', retryAfterSeconds: Math.max(1, Math.ceil((this.pending * this.#averageMs) / 1000)) });
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ password, hash, gone, resolve, reject });
      this.#handOver();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const error = new Error('the bcrypt worker is closed');
    for (const job of [...this.#inFlight.splice(0), ...this.#queue.splice(0)]) job.reject(error);
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #handOver(): void {
    while (this.#inFlight.length < IN_FLIGHT && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      if (job.gone?.() === true) {
        job.resolve({ kind: 'abandoned' });
        continue;
      }
      const worker = this.#spawn();
      if (this.#inFlight.length === 0) this.#startedAt = this.#now();
      this.#inFlight.push(job);
      worker.ref();
      worker.postMessage({ password: job.password, hash: typeof job.hash === 'string' ? job.hash : job.hash() });
    }
    // Idle, the worker must not keep the process alive.
    if (this.#inFlight.length === 0) this.#worker?.unref();
  }

  #spawn(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(this.#source, {
      eval: true,
      workerData: { bcryptjs: BCRYPTJS },
      // bcrypt needs a few kilobytes; a small heap keeps a runaway worker from taking the process down.
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    });
    worker.on('message', (reply: Reply) => this.#finish(reply));
    const fail = (error: unknown): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      for (const job of this.#inFlight.splice(0)) job.reject(error);
      // What is still queued goes to a new worker.
      this.#handOver();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the bcrypt worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #finish(reply: Reply): void {
    const job = this.#inFlight.shift();
    if (job === undefined) return;
    const now = this.#now();
    this.#averageMs = 0.8 * this.#averageMs + 0.2 * (now - this.#startedAt);
    // The next one handed over already started when this one ended.
    this.#startedAt = now;
    job.resolve({ kind: reply.match ? 'match' : 'mismatch' });
    this.#handOver();
  }
}
