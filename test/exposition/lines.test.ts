/**
 * Lines kept as rests after a shared prefix: whatever the rests hold (any UTF-8, any length),
 * writing them out must give back prefix + rest for every line, in order, never a line cut in
 * two, into blocks of any size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineBytes, linesBytes, linesOf, linesThrough, writeLines, type Lines } from '../../src/exposition/lines.js';

const SEED = 20_261_205;

/** Lines of these rests after these prefixes, kept together as a snapshot keeps them. */
function build(families: ReadonlyArray<{ prefix: string; rests: readonly string[] }>): Lines[] {
  return linesOf(
    families.map((f) => f.prefix),
    (sinks) => families.forEach(({ rests }, i) => rests.forEach((r) => sinks[i]!.add(r))),
  );
}

/** The bytes of prefix + rest for every rest: each part encoded on its own, as the lines keep them. */
function whole(prefix: string, rests: readonly string[]): Buffer {
  return Buffer.concat(rests.flatMap((r) => [Buffer.from(prefix, 'utf8'), Buffer.from(r, 'utf8')]));
}

/** Every line of `lines` as linesThrough gives them, block after block of `blockBytes`, each copied as it comes. */
function throughBlocks(lines: Lines, blockBytes: number, at = 0): { blocks: Buffer[]; text: string } {
  const cursor = { block: Buffer.alloc(blockBytes), to: at };
  const blocks: Buffer[] = [];
  for (const b of linesThrough(cursor, lines)) blocks.push(Buffer.from(b));
  blocks.push(Buffer.from(cursor.block.subarray(0, cursor.to)));
  if (at > 0) blocks[0] = blocks[0]!.subarray(at);
  const written = blocks.filter((b) => b.length > 0);
  return { blocks: written, text: Buffer.concat(written).toString('utf8') };
}

// Any code unit, lone surrogates included: label values come from upstream.
const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const rest = fc.oneof(
  fc.string({ unit, maxLength: 40 }).map((s) => `${s}\n`),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => `${s}\n`),
  fc.string({ unit: 'grapheme-ascii', minLength: 60, maxLength: 400 }).map((s) => `${s}\n`),
);
const family = fc.record({ prefix: fc.string({ unit, maxLength: 60 }), rests: fc.array(rest, { maxLength: 60 }) });

describe('linesOf', () => {
  it('keep each line as its rest after the prefix, byte for byte, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(family, { maxLength: 5 }), (families) => {
        const all = build(families);
        expect(all).toHaveLength(families.length);
        all.forEach((lines, f) => {
          const { prefix, rests } = families[f]!;
          expect(lines.prefix.equals(Buffer.from(prefix, 'utf8'))).toBe(true);
          expect(lines.ends).toHaveLength(rests.length);
          let from = 0;
          rests.forEach((r, i) => {
            const end = lines.ends[i]!;
            expect(lines.rests.subarray(from, end).equals(Buffer.from(r, 'utf8'))).toBe(true);
            from = end;
          });
          expect(from).toBe(lines.rests.length);
          expect(linesBytes(lines)).toBe(whole(prefix, rests).length);
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('put every family of a snapshot in one buffer, one after the other', () => {
    const [a, b, c] = build([
      { prefix: 'a{', rests: ['1} 1\n', '2} 2\n'] },
      { prefix: 'b{', rests: [] },
      { prefix: 'c{', rests: ['3} 3\n'] },
    ]);
    expect(a!.rests.buffer).toBe(c!.rests.buffer);
    expect(c!.rests.byteOffset).toBe(a!.rests.byteOffset + a!.rests.length);
    expect(b!.rests.length).toBe(0);
    expect(b!.ends).toHaveLength(0);
  });

  it('refuse a rest that does not end in ASCII: batched, half a surrogate pair would pair with the next rest', () => {
    expect(() => build([{ prefix: 'p', rests: ['x\ud83d'] }])).toThrow('must end in ASCII');
    expect(() => build([{ prefix: 'p', rests: [''] }])).toThrow('must end in ASCII');
    const [ok] = build([{ prefix: 'p', rests: ['\ude00 ok\n'] }]);
    expect(ok!.rests.equals(Buffer.from('\ude00 ok\n'))).toBe(true);
  });

  it('refuse lines that are not the same in both runs, and never write past a family into the next', () => {
    let run = 0;
    const growing = (): Lines[] =>
      linesOf(['a', 'b'], (sinks) => {
        run++;
        sinks[0]!.add(run === 1 ? 'x\n' : 'xx\n');
        sinks[1]!.add('y\n');
      });
    expect(growing).toThrow('lines measured at 2 bytes wrote more');
    run = 0;
    const shrinking = (): Lines[] => linesOf(['a'], (sinks) => sinks[0]!.add(++run === 1 ? 'xx\n' : 'x\n'));
    expect(shrinking).toThrow('lines measured at 3 bytes wrote 2');
  });

  it('give nothing to write for no lines at all', () => {
    const [none] = build([{ prefix: 'x{', rests: [] }]);
    expect(linesBytes(none!)).toBe(0);
    expect(writeLines(none!, 0, Buffer.alloc(8), 0)).toEqual({ next: 0, at: 0 });
  });

  it('keep batches of text whole across the batch size, multi-byte characters included', () => {
    // Rests that cross the builder's 4,096-character batches, each character 3 bytes in UTF-8.
    const rests = Array.from({ length: 500 }, (_, i) => `${'€'.repeat(i % 37)}${i}\n`);
    const [lines] = build([{ prefix: 'p', rests }]);
    expect(throughBlocks(lines!, 1 << 16).text).toBe(rests.map((r) => `p${r}`).join(''));
  });
});

describe('lines that name their key', () => {
  const keyed = fc.record({
    ids: fc.array(fc.string({ unit, maxLength: 30 }).map((s) => `${s}"`), { minLength: 1, maxLength: 20 }),
    prefix: fc.string({ unit, maxLength: 40 }),
    lines: fc.array(fc.tuple(fc.nat(), rest), { maxLength: 40 }),
  });

  it('write prefix, key id and rest for every line, byte for byte, into blocks of any size', () => {
    fc.assert(
      fc.property(keyed, fc.integer({ min: 1, max: 1500 }), ({ ids, prefix, lines: raw }, blockBytes) => {
        const lines = raw.map(([k, r]) => [k % ids.length, r] as const);
        const [family, table] = linesOf(
          [prefix, ''],
          (sinks) => {
            for (const [k, r] of lines) sinks[0]!.add(r, k);
            for (const id of ids) sinks[1]!.add(id);
          },
          1,
        );
        const expected = Buffer.concat(lines.flatMap(([k, r]) => [Buffer.from(prefix), Buffer.from(ids[k]!), Buffer.from(r)]));
        expect(linesBytes(family!)).toBe(expected.length);
        expect(Buffer.concat(throughBlocks(family!, blockBytes).blocks).equals(expected)).toBe(true);
        // The ids are kept once, in their own lines, whatever names them.
        expect(table!.rests.equals(Buffer.concat(ids.map((id) => Buffer.from(id))))).toBe(true);
        if (lines.length > 0) expect(family!.keys!.ids.bytes).toBe(table!.rests);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refuse lines with keys but no table of ids, and a family where only some lines have a key', () => {
    expect(() => linesOf(['p'], (sinks) => sinks[0]!.add('x\n', 0))).toThrow('need the key ids');
    expect(() =>
      linesOf(
        ['p', ''],
        (sinks) => {
          sinks[0]!.add('x\n', 0);
          sinks[0]!.add('y\n');
          sinks[1]!.add('k"');
        },
        1,
      ),
    ).toThrow('all have a key, or none has');
  });
});

describe('writeLines and linesThrough', () => {
  it('write whole lines only, in order, into blocks of any size, and lose none', () => {
    fc.assert(
      fc.property(family, fc.integer({ min: 1, max: 2000 }), ({ prefix, rests }, blockBytes) => {
        const [lines] = build([{ prefix, rests }]);
        const { blocks } = throughBlocks(lines!, blockBytes);
        expect(Buffer.concat(blocks).equals(whole(prefix, rests))).toBe(true);
        // Each block ends where a line ends: its last byte is a newline.
        for (const b of blocks) expect(b[b.length - 1]).toBe(0x0a);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('fill a block as far as whole lines go, and start the next block at the next line', () => {
    const [lines] = build([{ prefix: 'abc', rests: ['1\n', '22\n', '333\n'] }]);
    // 'abc1\n' is 5 bytes, 'abc22\n' 6, 'abc333\n' 7.
    expect(writeLines(lines!, 0, Buffer.alloc(10), 0)).toEqual({ next: 1, at: 5 });
    expect(writeLines(lines!, 0, Buffer.alloc(11), 0)).toEqual({ next: 2, at: 11 });
    expect(writeLines(lines!, 1, Buffer.alloc(13), 0)).toEqual({ next: 3, at: 13 });
    const out = Buffer.alloc(20, 0x2e);
    expect(writeLines(lines!, 2, out, 3)).toEqual({ next: 3, at: 10 });
    expect(out.toString()).toBe('...abc333\n..........');
    expect([0, 1, 2].map((i) => lineBytes(lines!, i))).toEqual([5, 6, 7]);
  });

  it('give a line longer than the block a buffer of its own, whole, and go on in the block', () => {
    const long = `${'x'.repeat(5000)}\n`;
    const [lines] = build([{ prefix: 'k{', rests: ['a\n', long, 'b\n'] }]);
    const cursor = { block: Buffer.alloc(64), to: 0 };
    const yielded = linesThrough(cursor, lines!);
    const first = yielded.next().value as Buffer;
    expect(first.toString()).toBe('k{a\n');
    expect(first.buffer).toBe(cursor.block.buffer);
    const second = yielded.next().value as Buffer;
    expect(second.toString()).toBe(`k{${long}`);
    expect(second.buffer).not.toBe(cursor.block.buffer);
    expect(yielded.next().done).toBe(true);
    // The last line waits in the block, for whatever is written after it.
    expect(cursor.block.toString('utf8', 0, cursor.to)).toBe('k{b\n');
  });

  it('go on from where the cursor stands, and yield what was there before with the first full block', () => {
    const [lines] = build([{ prefix: 'p', rests: ['1\n', '22\n', '333\n'] }]);
    const cursor = { block: Buffer.alloc(10), to: 0 };
    cursor.to = cursor.block.write('head\n');
    const blocks: string[] = [];
    for (const b of linesThrough(cursor, lines!)) blocks.push(b.toString());
    // 'head\np1\n' is 8 bytes: 'p22\n' does not fit after it, and 'p333\n' follows it in the block.
    expect(blocks).toEqual(['head\np1\n']);
    expect(cursor.block.toString('utf8', 0, cursor.to)).toBe('p22\np333\n');
  });

  it('write lines kept whole (no prefix) as many at a time as fit, whole, and a longer one on its own', () => {
    const rests = Array.from({ length: 300 }, (_, i) => (i === 150 ? `${'w'.repeat(3000)}\n` : `line ${i} ${'x'.repeat(i % 17)}\n`));
    const [lines] = build([{ prefix: '', rests }]);
    for (const size of [1, 7, 64, 1000, 100_000]) {
      const { blocks } = throughBlocks(lines!, size);
      expect(Buffer.concat(blocks).toString()).toBe(rests.join(''));
      for (const b of blocks) expect(b[b.length - 1]).toBe(0x0a);
      if (size >= 1000) expect(blocks.length).toBeLessThan(rests.length / 4);
    }
    expect(writeLines(lines!, 0, Buffer.alloc(7), 0)).toEqual({ next: 0, at: 0 });
    // "line 2 xx\n" is 10 bytes, "line 3 xxx\n" 11: only the first fits after 3 bytes of 20.
    expect(writeLines(lines!, 2, Buffer.alloc(20), 3)).toEqual({ next: 3, at: 13 });
  });

  it('copy long rests and short ones alike', () => {
    // Both sides of the length where the copy turns native.
    const rests = [62, 63, 64, 65, 300].map((n) => `${'r'.repeat(n)}\n`);
    const [lines] = build([{ prefix: 'P', rests }]);
    const out = Buffer.alloc(linesBytes(lines!));
    expect(writeLines(lines!, 0, out, 0)).toEqual({ next: rests.length, at: out.length });
    expect(out.toString()).toBe(rests.map((r) => `P${r}`).join(''));
  });
});
