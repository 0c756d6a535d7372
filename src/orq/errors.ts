/** Reasons a refresh fails; a fixed set so `rate()` works from the first scrape. */
export const REFRESH_ERROR_REASONS = [
  'auth',
  'rate_limited',
  'server_error',
  'client_error',
  'network',
  'timeout',
  'invalid_response',
  'pagination',
] as const;
export type RefreshErrorReason = (typeof REFRESH_ERROR_REASONS)[number];

/**
 * Why a fetch failed, in one of the fixed reasons the metrics publish, with a message fit
 * for a log line: it names what went wrong and never holds the token.
 */
export class RefreshError extends Error {
  override readonly name = 'RefreshError';
  constructor(
    readonly reason: RefreshErrorReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The message out of any of the three error-body forms the orq API uses. */
export function upstreamMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.trim().slice(0, 200);
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const record = parsed as Record<string, unknown>;
    const error = record['error'];
    if (typeof error === 'object' && error !== null) {
      const { code, message } = error as Record<string, unknown>;
      const parts = [code, message].filter((p): p is string => typeof p === 'string' && p !== '');
      if (parts.length > 0) return parts.join(': ').slice(0, 200);
    }
    if (typeof error === 'string') return error.slice(0, 200);
    if (typeof record['message'] === 'string') return record['message'].slice(0, 200);
  }
  return body.trim().slice(0, 200);
}

export function reasonForStatus(status: number): RefreshErrorReason {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'client_error';
}
