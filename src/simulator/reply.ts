/**
 * What the simulator answers, described without HTTP: the pure parts (listing, rendering,
 * faults) decide a Reply and the server only delivers it.
 */

export type Reply =
  /** a response; `delayMs` is added to the simulator's latency */
  | { kind: 'send'; status: number; body: string; headers?: Record<string, string>; delayMs?: number }
  /** accept the request and never answer */
  | { kind: 'hang' }
  /** 200 headers and half of `body`, then the connection drops */
  | { kind: 'reset'; body: string; delayMs?: number };

export function send(status: number, body: string, headers?: Record<string, string>): Reply {
  return headers === undefined ? { kind: 'send', status, body } : { kind: 'send', status, body, headers };
}

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

/** An `{"error":{"code","message"}}` answer, the form orq's management API uses most. */
export function errorReply(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return send(status, errorBody('error_object', code, message), headers);
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

/** The body as it goes on the wire (UTF-8); nothing for a reply that never answers. */
export function encode(reply: Reply): Buffer {
  return reply.kind === 'hang' ? Buffer.alloc(0) : Buffer.from(reply.body, 'utf8');
}
