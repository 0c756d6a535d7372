/**
 * The web config's `http_server_config.headers` on every answer: set before any route runs,
 * so they are on 401s and 404s too, and on /metrics whether it goes out as a Response or
 * straight to the socket (the route writes whatever headers the context holds).
 */
import type { MiddlewareHandler } from 'hono';

/** The headers, or a function giving the current ones: a reloaded web config applies to later requests. */
export function securityHeaders(headers: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>)): MiddlewareHandler {
  const fixed = typeof headers === 'function' ? undefined : Object.entries(headers);
  return async (c, next) => {
    for (const [name, value] of fixed ?? Object.entries((headers as () => Readonly<Record<string, string>>)())) c.header(name, value);
    await next();
  };
}
