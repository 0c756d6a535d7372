/**
 * Scripted misbehaviour for `GET /v2/api-keys`. Tests queue faults and the next requests
 * consume them in order, so a test can say "the third page fails with 503" without timing.
 */

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
/** 200 with a truncated JSON body. */
export interface InvalidJsonFault extends Repeatable {
  kind: 'invalid_json';
}
/** 200 with valid JSON that is not a key list; default `{"items":5}`. */
export interface WrongShapeFault extends Repeatable {
  kind: 'wrong_shape';
  body?: unknown;
}
/** The page ends with the cursor item again, so a client following cursors never advances. */
export interface RepeatCursorFault extends Repeatable {
  kind: 'repeat_cursor';
}
/** `{"object":"list","data":[],"has_more":true}`: no cursor to follow, yet more promised. */
export interface EmptyHasMoreFault extends Repeatable {
  kind: 'empty_has_more';
}
/** The page starts with an item the client has already seen. */
export interface DuplicateIdsFault extends Repeatable {
  kind: 'duplicate_ids';
}
/** The normal answer, `ms` later than usual. */
export interface SlowFault extends Repeatable {
  kind: 'slow';
  ms: number;
}
/** Raw items served as this page's data with has_more false: for malformed-record tests. */
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
  | SlowFault
  | RecordsFault;

export type FaultKind = Fault['kind'];

/** The three error-body forms orq has been seen to use. */
export type ErrorBodyForm = 'error_object' | 'error_string' | 'message';

export function errorBody(form: ErrorBodyForm, code: string, message: string): string {
  switch (form) {
    case 'error_object':
      return JSON.stringify({ error: { code, message } });
    case 'error_string':
      return JSON.stringify({ error: message });
    case 'message':
      return JSON.stringify({ message });
  }
}

/** The error code orq would plausibly pair with a status, for fault bodies nobody spelled out. */
export function defaultErrorCode(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'invalid_api_key';
    case 403:
      return 'insufficient_scope';
    case 404:
      return 'not_found';
    case 429:
      return 'rate_limited';
    case 502:
      return 'bad_gateway';
    case 503:
      return 'service_unavailable';
    case 504:
      return 'gateway_timeout';
    default:
      return status >= 500 ? 'internal_error' : 'error';
  }
}

/** FIFO of faults; a fault with `times: n` answers n requests before the next one starts. */
export class FaultQueue {
  private readonly queue: { fault: Fault; remaining: number }[] = [];

  push(...faults: Fault[]): void {
    for (const fault of faults) {
      const times = fault.times ?? 1;
      // A typo like times: 0 would silently script nothing; better to fail the test loudly.
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault times must be a positive integer, got ${times}`);
      if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
        throw new RangeError(`status fault needs a final HTTP status 200-599, got ${fault.status}`);
      }
      if (fault.kind === 'slow' && !(fault.ms >= 0)) throw new RangeError(`slow fault ms must be >= 0, got ${fault.ms}`);
      this.queue.push({ fault, remaining: times });
    }
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
