import { describe, expect, it } from 'vitest';
import { defaultErrorCode, encode, errorBody, errorReply, send } from '../../src/simulator/reply.js';

describe('errorBody', () => {
  it.each([
    ['error_object', '{"error":{"code":"expired_api_key","message":"key \\"x\\" expired"}}'],
    ['error_string', '{"error":"key \\"x\\" expired"}'],
    ['message', '{"message":"key \\"x\\" expired"}'],
  ] as const)('writes the %s form as JSON, quotes escaped', (form, expected) => {
    expect(errorBody(form, 'expired_api_key', 'key "x" expired')).toBe(expected);
  });
});

describe('errorReply and send', () => {
  it('describe a response with the error-object body and any headers', () => {
    expect(errorReply(429, 'rate_limited', 'slow down', { 'retry-after': '3' })).toEqual({
      kind: 'send',
      status: 429,
      body: '{"error":{"code":"rate_limited","message":"slow down"}}',
      headers: { 'retry-after': '3' },
    });
    expect(send(200, '[]')).toEqual({ kind: 'send', status: 200, body: '[]' });
  });
});

describe('defaultErrorCode', () => {
  it.each([
    [400, 'invalid_request'],
    [401, 'invalid_api_key'],
    [403, 'insufficient_scope'],
    [404, 'not_found'],
    [429, 'rate_limited'],
    [500, 'internal_error'],
    [502, 'bad_gateway'],
    [503, 'service_unavailable'],
    [504, 'gateway_timeout'],
    [599, 'internal_error'],
    [418, 'error'],
  ])('pairs %i with %s', (status, code) => {
    expect(defaultErrorCode(status)).toBe(code);
  });
});

describe('encode', () => {
  it('is the body in UTF-8, multi-byte characters as their bytes', () => {
    const bytes = encode(send(200, '{"name":"café ☕ 𝄞"}'));
    expect(bytes.toString('utf8')).toBe('{"name":"café ☕ 𝄞"}');
    expect(bytes.length).toBe(Buffer.byteLength('{"name":"café ☕ 𝄞"}'));
    expect(bytes.length).toBeGreaterThan('{"name":"café ☕ 𝄞"}'.length);
  });

  it('is half a body too for a reset, and nothing for a hang', () => {
    expect(encode({ kind: 'reset', body: 'abc' }).toString()).toBe('abc');
    expect(encode({ kind: 'hang' }).length).toBe(0);
  });
});
