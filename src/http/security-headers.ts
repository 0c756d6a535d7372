/**
 * The web config's `http_server_config.headers` on every answer: set before any route runs,
 * so they are on 401s and 404s too, and on /metrics whether it goes out as a Response or
 * straight to the socket (the route writes whatever headers the context holds).
 */
import type { MiddlewareHandler } from 'hono';

export function securityHeaders(headers: Readonly<Record<string, string>>): MiddlewareHandler {
  const entries = Object.entries(headers);
  return async (c, next) => {
    for (const [name, value] of entries) c.header(name, value);
    await next();
  };
}
