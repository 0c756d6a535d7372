/** Lazy text for the tests of sending it: blocks written into one reused buffer, as the exposition's are. */
import type { LazyText } from '../../src/exposition/body.js';

/** Lazy text of `count` blocks of `size` bytes, every one written into the same buffer. */
export function reusedBlocks(count: number, size: number): LazyText & { expected: Buffer; taken: () => number } {
  const expected = Buffer.alloc(count * size);
  for (let i = 0; i < count; i++) expected.fill(`block ${i} `, i * size, (i + 1) * size);
  let taken = 0;
  return {
    length: expected.length,
    expected,
    taken: () => taken,
    *blocks() {
      const block = Buffer.alloc(size);
      for (let i = 0; i < count; i++) {
        expected.copy(block, 0, i * size, (i + 1) * size);
        taken++;
        yield block;
      }
    },
  };
}
