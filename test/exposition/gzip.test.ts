import { randomBytes } from 'node:crypto';
import { constants, crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES } from '../../src/exposition/body.js';
import { crc32Combine, deflateLines, deflatePiece, deflateTexts, gzipMember, type DeflatedPiece } from '../../src/exposition/gzip.js';
import { linesOf } from '../../src/exposition/lines.js';

/** What a piece inflates to: pieces end on a sync flush, so each inflates on its own. */
function inflated(piece: DeflatedPiece): Buffer {
  return inflateRawSync(Buffer.concat(piece.data), { finishFlush: constants.Z_SYNC_FLUSH });
}

describe('crc32Combine', () => {
  it.each([
    [0, 1],
    [1, 0],
    [5, 7],
    [1000, 70_000],
    [3, 300_001],
  ])('equals the CRC of the concatenation (%d + %d bytes)', (lenA, lenB) => {
    const a = randomBytes(lenA);
    const b = randomBytes(lenB);
    expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
  });
});

describe('gzipMember', () => {
  it('joins separately deflated pieces into one member any gzip reader decodes', async () => {
    const texts = ['# HELP a x\n', 'a{x="1"} 1\n'.repeat(5000), '', 'b 2\n'.repeat(10), 'tail 3\n'];
    const pieces = await Promise.all(texts.map((t, i) => deflatePiece(Buffer.from(t), i === texts.length - 1)));
    const body = Buffer.concat(gzipMember(pieces));
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 0x08]));
    expect(gunzipSync(body).toString()).toBe(texts.join(''));
  });

  it('refuses pieces without exactly one final piece at the end', async () => {
    const open = await deflatePiece(Buffer.from('a'), false);
    const closed = await deflatePiece(Buffer.from('b'), true);
    expect(() => gzipMember([open])).toThrow('exactly one final piece');
    expect(() => gzipMember([closed, closed])).toThrow('exactly one final piece');
    expect(gunzipSync(Buffer.concat(gzipMember([open, closed]))).toString()).toBe('ab');
  });
});

describe('deflateTexts', () => {
  it('deflates texts given one after another as one piece, with their CRC and length', async () => {
    const texts = ['a{x="1"} 1\n'.repeat(3000), 'ключ\n', '', randomBytes(200_000).toString('base64')].map((t) => Buffer.from(t));
    const piece = await deflateTexts(texts, 1);
    const all = Buffer.concat(texts);
    expect(piece.final).toBe(false);
    expect(piece.length).toBe(all.length);
    expect(piece.crc).toBe(crc32(all));
    expect(inflated(piece).equals(all)).toBe(true);
  });

  it('reads each text before asking for the next, so an iterator may reuse one buffer', async () => {
    const block = Buffer.alloc(100_000);
    const expected: Buffer[] = [];
    function* texts(): Generator<Buffer> {
      for (let i = 0; i < 30; i++) {
        block.fill(0x61 + (i % 26));
        block.write(`text ${i}\n`, 0);
        expected.push(Buffer.from(block));
        yield block;
      }
    }
    const piece = await deflateTexts(texts(), 6);
    expect(inflated(piece).equals(Buffer.concat(expected))).toBe(true);
  });

  it('keeps zlib\'s output buffers as they come, without gathering them into one', async () => {
    const text = randomBytes(3 * BLOCK_BYTES);
    const piece = await deflateTexts([text.subarray(0, BLOCK_BYTES), text.subarray(BLOCK_BYTES)], 1);
    expect(piece.data.length).toBeGreaterThan(1);
    expect(inflated(piece).equals(text)).toBe(true);
  });

  it('gives an empty piece, with nothing to write, for no text', async () => {
    expect(await deflateTexts([], 6)).toEqual({ data: [], crc: 0, length: 0, final: false });
    expect(await deflateTexts([Buffer.alloc(0)], 6)).toEqual({ data: [], crc: 0, length: 0, final: false });
  });

  it('rejects, and lets go of the stream, when the iterator fails midway', async () => {
    function* failing(): Generator<Buffer> {
      yield Buffer.from('first\n');
      throw new Error('no more text');
    }
    await expect(deflateTexts(failing(), 6)).rejects.toThrow('no more text');
  });

  it('joins with other pieces into one member that gunzip reads', async () => {
    const head = await deflatePiece(Buffer.from('# HELP a x\n'), false);
    const body = await deflateTexts([Buffer.from('a 1\n'), Buffer.from('a 2\n')], 6);
    const tail = await deflatePiece(Buffer.from('b 3\n'), true);
    expect(gunzipSync(Buffer.concat(gzipMember([head, body, tail]))).toString()).toBe('# HELP a x\na 1\na 2\nb 3\n');
  });
});

describe('deflateLines', () => {
  const family = fc.record({
    prefix: fc.string({ maxLength: 30 }),
    rests: fc.array(fc.string({ maxLength: 80 }).map((s) => `${s}\n`), { maxLength: 40 }),
  });

  it('gives each family one piece of exactly its lines, and none to a family without lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(family, { maxLength: 6 }), fc.integer({ min: 1, max: 3 }), async (families, parallel) => {
        const lines = linesOf(
          families.map((f) => f.prefix),
          (sinks) => families.forEach(({ rests }, i) => rests.forEach((r) => sinks[i]!.add(r))),
        );
        const pieces = await deflateLines(lines, 1, parallel);
        expect(pieces).toHaveLength(families.length);
        families.forEach(({ prefix, rests }, i) => {
          const text = Buffer.concat(rests.flatMap((r) => [Buffer.from(prefix), Buffer.from(r)]));
          if (rests.length === 0) expect(pieces[i]).toEqual([]);
          else {
            expect(pieces[i]).toHaveLength(1);
            expect(inflated(pieces[i]![0]!).equals(text)).toBe(true);
            expect(pieces[i]![0]!.crc).toBe(crc32(text));
          }
        });
      }),
      { seed: 20_261_205, numRuns: 60 },
    );
  });

  it('passes a family larger than its blocks through them whole, long lines included', async () => {
    const rests: string[] = [];
    for (let i = 0; rests.length < 40_000; i++) rests.push(i === 777 ? `long",name="${'n'.repeat(2 * BLOCK_BYTES)}"} 1\n` : `k${i}",name="key ${i}"} 1\n`);
    const [lines] = linesOf(['orq_api_key_info{workspace="w",api_key_id="'], (sinks) => rests.forEach((r) => sinks[0]!.add(r)));
    const [[piece]] = (await deflateLines([lines!], 1)) as [[DeflatedPiece]];
    const text = inflated(piece).toString();
    expect(text).toBe(rests.map((r) => `orq_api_key_info{workspace="w",api_key_id="${r}`).join(''));
  });
});
