/**
 * A metrics body: its length known before anything is written, lazy text written block by
 * block into one reused buffer, and copied out only for a reader that keeps the blocks.
 */
import { describe, expect, it } from 'vitest';
import { bodyBytes, bodyChunks, metricsBody, sharedText, type LazyText } from '../../src/exposition/body.js';
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

describe('sharedText', () => {
  it('streams the first sending through the text\'s own block, and keeps one copy for every later one', () => {
    const lazy = reusedBlocks(4, 100);
    let written = 0;
    const counted: LazyText = {
      length: lazy.length,
      *blocks() {
        written++;
        yield* lazy.blocks();
      },
    };
    const shared = sharedText(counted);
    expect(shared.length).toBe(400);
    expect(written).toBe(0);

    const first = [...shared.blocks()];
    expect(first).toHaveLength(4);
    // Through the one reused block: nothing kept.
    expect(new Set(first.map((b) => b.buffer)).size).toBe(1);
    expect(written).toBe(1);

    const second = [...shared.blocks()];
    const third = [...shared.blocks()];
    expect(second).toHaveLength(1);
    expect(second[0]!.equals(lazy.expected)).toBe(true);
    expect(third[0]).toBe(second[0]);
    // Written out twice in all, however many more sendings there are.
    expect(written).toBe(2);
  });

  it('gives a second sending its copy even while the first is still sending', () => {
    const lazy = reusedBlocks(3, 10);
    const shared = sharedText(lazy);
    const first = shared.blocks();
    const a = first.next().value as Buffer;
    const copy = [...shared.blocks()][0]!;
    expect(copy.equals(lazy.expected)).toBe(true);
    // The first goes on where it was, block by block.
    const rest = [Buffer.from(a)];
    for (const b of first) rest.push(Buffer.from(b));
    expect(Buffer.concat(rest).equals(lazy.expected)).toBe(true);
  });
});
