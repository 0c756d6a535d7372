/** The configured headers as middleware: on every answer built through the context, set before the route runs. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/http/security-headers.js';

const HEADERS = { 'Strict-Transport-Security': 'max-age=31536000', 'X-Frame-Options': 'sameorigin', 'Content-Security-Policy': "default-src 'none'" };

function app(): Hono {
  const a = new Hono();
  a.use('*', securityHeaders(HEADERS));
  a.get('/text', (c) => c.text('x'));
  a.get('/html', (c) => c.html('<p>x</p>'));
  a.get('/json', (c) => c.json({ a: 1 }));
  a.get('/body', (c) => c.newResponse('x', 201, { 'x-own': '1' }));
  a.get('/throws', () => {
    throw new Error('boom');
  });
  a.get('/own', (c) => c.text('x', 200, { 'X-Frame-Options': 'deny' }));
  a.notFound((c) => c.text('nope', 404));
  a.onError((_e, c) => c.text('err', 500));
  return a;
}

describe('securityHeaders', () => {
  it.each(['/text', '/html', '/json', '/body', '/throws', '/missing'])('are on the answer to %s', async (path) => {
    const res = await app().request(path);
    for (const [name, value] of Object.entries(HEADERS)) expect(res.headers.get(name), name).toBe(value);
  });

  it('are there before the route runs, and a route may still set its own, as the toolkit allows', async () => {
    const seen: Array<string | null> = [];
    const a = new Hono();
    a.use('*', securityHeaders(HEADERS));
    a.get('/', (c) => {
      seen.push(c.newResponse(null).headers.get('x-frame-options'));
      return c.text('x');
    });
    await a.request('/');
    expect(seen).toEqual(['sameorigin']);
    expect((await app().request('/own')).headers.get('x-frame-options')).toBe('deny');
  });

  it('with no headers configured, adds none', async () => {
    const a = new Hono();
    a.use('*', securityHeaders({}));
    a.get('/', (c) => c.text('x'));
    expect([...(await a.request('/')).headers.keys()]).toEqual(['content-type']);
  });
});
