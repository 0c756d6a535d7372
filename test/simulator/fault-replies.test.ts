import { describe, expect, it } from 'vitest';
import { faultReply, truncate, type FaultableList } from '../../src/simulator/fault-replies.js';
import type { Fault } from '../../src/simulator/faults.js';
import type { Alteration } from '../../src/simulator/listing.js';
import { send, type Reply } from '../../src/simulator/reply.js';

const NORMAL = '{"object":"list","data":[{"id":"a"},{"id":"b"}],"has_more":false}';

/** A list that says what it was asked, so each fault's route is visible. */
const list = (normal: Reply = send(200, NORMAL)): FaultableList => ({
  normal: () => normal,
  altered: (how: Alteration) => send(200, `altered:${how}`),
  records: (items) => `records:${JSON.stringify(items)}`,
  emptyPromisingMore: () => 'empty-more',
});

describe('faultReply', () => {
  it('status: the code with a default error body, or the given body and headers', () => {
    expect(faultReply({ kind: 'status', status: 503 }, list())).toEqual(
      send(503, '{"error":{"code":"service_unavailable","message":"simulated 503"}}'),
    );
    expect(faultReply({ kind: 'status', status: 429, body: 'x', headers: { 'retry-after': '7' } }, list())).toEqual(
      send(429, 'x', { 'retry-after': '7' }),
    );
  });

  it('hang: no answer at all', () => {
    expect(faultReply({ kind: 'hang' }, list())).toEqual({ kind: 'hang' });
  });

  it('reset: the normal body, to be cut off half way', () => {
    expect(faultReply({ kind: 'reset' }, list())).toEqual({ kind: 'reset', body: NORMAL });
  });

  it('invalid_json: half the normal body with status 200, which never parses', () => {
    const reply = faultReply({ kind: 'invalid_json' }, list());
    expect(reply).toEqual(send(200, NORMAL.slice(0, NORMAL.length / 2)));
    expect(() => JSON.parse(reply.kind === 'send' ? reply.body : '') as unknown).toThrow(SyntaxError);
  });

  it('wrong_shape: {"items":5} by default, or the given JSON', () => {
    expect(faultReply({ kind: 'wrong_shape' }, list())).toEqual(send(200, '{"items":5}'));
    expect(faultReply({ kind: 'wrong_shape', body: null }, list())).toEqual(send(200, 'null'));
  });

  it('empty_has_more and records: in the list’s own envelope', () => {
    expect(faultReply({ kind: 'empty_has_more' }, list())).toEqual(send(200, 'empty-more'));
    expect(faultReply({ kind: 'records', items: [1, null] }, list())).toEqual(send(200, 'records:[1,null]'));
  });

  it.each(['repeat_cursor', 'duplicate_ids', 'ignore_limit', 'ignore_cursor'] as const)('%s: the list’s altered page', (kind) => {
    expect(faultReply({ kind }, list())).toEqual(send(200, `altered:${kind}`));
  });

  it('slow: the normal answer, later by ms on top of any delay it had', () => {
    expect(faultReply({ kind: 'slow', ms: 200 }, list())).toEqual({ ...send(200, NORMAL), delayMs: 200 });
    expect(faultReply({ kind: 'slow', ms: 5 }, list({ kind: 'send', status: 400, body: 'e', delayMs: 10 }))).toEqual({
      kind: 'send',
      status: 400,
      body: 'e',
      delayMs: 15,
    });
  });

  it('answers every fault kind', () => {
    const every: Fault[] = [
      { kind: 'status', status: 500 },
      { kind: 'hang' },
      { kind: 'reset' },
      { kind: 'invalid_json' },
      { kind: 'wrong_shape' },
      { kind: 'repeat_cursor' },
      { kind: 'empty_has_more' },
      { kind: 'duplicate_ids' },
      { kind: 'ignore_limit' },
      { kind: 'ignore_cursor' },
      { kind: 'slow', ms: 1 },
      { kind: 'records', items: [] },
    ];
    for (const fault of every) expect(faultReply(fault, list()).kind).toMatch(/^(send|hang|reset)$/);
  });
});

describe('truncate', () => {
  it('cuts any object or array body to a prefix that does not parse', () => {
    for (const body of ['[]', '{}', '[1]', NORMAL, '[{"a":"' + 'x'.repeat(1000) + '"}]']) {
      const cut = truncate(body);
      expect(cut.length).toBeLessThan(body.length);
      expect(body.startsWith(cut)).toBe(true);
      expect(() => JSON.parse(cut) as unknown).toThrow(SyntaxError);
    }
  });
});
