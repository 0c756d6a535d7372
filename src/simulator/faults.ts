/**
 * Scripted misbehaviour, per endpoint. Tests queue faults and the next requests to that
 * endpoint consume them in order, so a test can say "the third page fails with 503" without
 * timing. How each fault is answered is fault-replies.ts' business.
 */

/** The endpoints the simulator serves, each with its own fault script. */
export type Endpoint = 'api-keys' | 'budgets' | 'projects';
export const ENDPOINTS: readonly Endpoint[] = ['api-keys', 'budgets', 'projects'];

interface Repeatable {
  /** how many consecutive requests this fault answers; default 1 */
  times?: number;
}

/** Any status code, e.g. 401/403 with each error-body form, 429 with or without Retry-After, 5xx. */
export interface StatusFault extends Repeatable {
  kind: 'status';
  status: number;
  headers?: Record<string, string>;
  /** sent verbatim; default an `{"error":{"code","message"}}` body for the status */
  body?: string;
}
/** Accept the request and never answer: the client's timeout must fire. */
export interface HangFault extends Repeatable {
  kind: 'hang';
}
/** Send the headers and half the body, then destroy the socket. */
export interface ResetFault extends Repeatable {
  kind: 'reset';
}
/** 200 with the normal body cut in half. */
export interface InvalidJsonFault extends Repeatable {
  kind: 'invalid_json';
}
/** 200 with valid JSON that is not the list; default `{"items":5}`. */
export interface WrongShapeFault extends Repeatable {
  kind: 'wrong_shape';
  body?: unknown;
}
/** The page ends with the cursor item again, so a client following cursors never advances. */
export interface RepeatCursorFault extends Repeatable {
  kind: 'repeat_cursor';
}
/**
 * An empty page that promises more (`has_more`/`hasMore` true). A bare array cannot promise:
 * there it is `[]`, a list that ends early.
 */
export interface EmptyHasMoreFault extends Repeatable {
  kind: 'empty_has_more';
}
/** The page starts with an item the client has already seen. */
export interface DuplicateIdsFault extends Repeatable {
  kind: 'duplicate_ids';
}
/** A server that ignores `limit`: everything from the cursor on in one answer. */
export interface IgnoreLimitFault extends Repeatable {
  kind: 'ignore_limit';
}
/** A server that ignores the cursor: the first page again. */
export interface IgnoreCursorFault extends Repeatable {
  kind: 'ignore_cursor';
}
/** The normal answer, `ms` later than usual. */
export interface SlowFault extends Repeatable {
  kind: 'slow';
  ms: number;
}
/** Raw items served as the answer's data in the list's own envelope, nothing more promised: for malformed-record tests. */
export interface RecordsFault extends Repeatable {
  kind: 'records';
  items: unknown[];
}

export type Fault =
  | StatusFault
  | HangFault
  | ResetFault
  | InvalidJsonFault
  | WrongShapeFault
  | RepeatCursorFault
  | EmptyHasMoreFault
  | DuplicateIdsFault
  | IgnoreLimitFault
  | IgnoreCursorFault
  | SlowFault
  | RecordsFault;

export type FaultKind = Fault['kind'];

/** FIFO of faults; a fault with `times: n` answers n requests before the next one starts. */
export class FaultQueue {
  private readonly queue: { fault: Fault; remaining: number }[] = [];

  push(...faults: Fault[]): void {
    // Checked in full first, so a bad fault in a list queues none of it.
    for (const fault of faults) validateFault(fault);
    for (const fault of faults) this.queue.push({ fault, remaining: fault.times ?? 1 });
  }

  take(): Fault | undefined {
    const head = this.queue[0];
    if (head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.queue.shift();
    return head.fault;
  }

  /** Requests still scripted, counting each repetition. */
  get pending(): number {
    return this.queue.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  clear(): void {
    this.queue.length = 0;
  }
}

/** A typo like times: 0 would silently script nothing; better to fail the test loudly. */
function validateFault(fault: Fault): void {
  const times = fault.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault times must be a positive integer, got ${times}`);
  if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
    throw new RangeError(`status fault needs a final HTTP status 200-599, got ${fault.status}`);
  }
  if (fault.kind === 'slow' && !(fault.ms >= 0)) throw new RangeError(`slow fault ms must be >= 0, got ${fault.ms}`);
}

/** One queue per endpoint. */
export class FaultScript {
  private readonly queues: Record<Endpoint, FaultQueue> = {
    'api-keys': new FaultQueue(),
    budgets: new FaultQueue(),
    projects: new FaultQueue(),
  };

  push(endpoint: Endpoint, ...faults: Fault[]): void {
    const queue = this.queues[endpoint] as FaultQueue | undefined;
    if (queue === undefined) throw new RangeError(`no endpoint "${String(endpoint)}"; one of ${ENDPOINTS.join(', ')}`);
    queue.push(...faults);
  }

  take(endpoint: Endpoint): Fault | undefined {
    return this.queues[endpoint].take();
  }

  /** Requests still scripted for one endpoint, or for all of them. */
  pending(endpoint?: Endpoint): number {
    return endpoint === undefined
      ? ENDPOINTS.reduce((sum, e) => sum + this.queues[e].pending, 0)
      : this.queues[endpoint].pending;
  }

  clear(endpoint?: Endpoint): void {
    for (const e of endpoint === undefined ? ENDPOINTS : [endpoint]) this.queues[e].clear();
  }
}
