/**
 * A metrics body: its length known before anything is written, lazy text written block by
 * block into one reused buffer, and copied out only for a reader that keeps the blocks.
 */
import { describe, expect, it } from 'vitest';
import { bodyBytes, bodyChunks, metricsBody, type LazyText } from '../../src/exposition/body.js';
import { reusedBlocks } from '../support/lazy-text.js';

describe('a metrics body', () => {
  it('knows its length before anything is written', () => {
    const lazy = reusedBlocks(3, 10);
    const body = metricsBody([Buffer.from('abc'), lazy]);
    expect(body.length).toBe(33);
    expect(lazy.taken()).toBe(0);
    expect(bodyBytes(body).equals(Buffer.concat([Buffer.from('abc'), lazy.expected]))).toBe(true);
  });

  it('gives lazy blocks as they are, or copied when asked', () => {
    const body = metricsBody([reusedBlocks(3, 10)]);
    const shared = [...bodyChunks(body, false)];
    expect(new Set(shared.map((b) => b.buffer)).size).toBe(1);
    const copied = [...bodyChunks(body, true)];
    expect(new Set(copied.map((b) => b.toString())).size).toBe(3);
  });

  it('refuses lazy text that writes other than its length', () => {
    const short: LazyText = {
      length: 10,
      *blocks() {
        yield Buffer.from('12345');
      },
    };
    expect(() => bodyBytes(metricsBody([short]))).toThrow('a body of 10 bytes gave 5');
  });
});
