/**
 * How many records a list body holds, counted on its bytes as they arrive, before JSON.parse
 * builds them. A hostile upstream once sent 80 MB holding five million tiny records: parsed,
 * that was a 4.4 GB peak. Counted first, such a body is refused for the cost of one pass over
 * its bytes, and never held whole as bytes.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The most elements of any array at depth 1 or 2 (a bare array's items, or the `data` of an
 * envelope). The body need not be valid JSON: this only bounds what JSON.parse will be asked
 * to build, and an array left open by a body cut short still counts what it holds.
 */
export class ListItemCounter {
  #depth = 0;
  #inString = false;
  #escaped = false;
  // Levels 1 and 2 only: whether the container is an array, its commas, whether it holds a value.
  readonly #isArray = [false, false, false];
  readonly #commas = [0, 0, 0];
  readonly #nonEmpty = [false, false, false];
  #most = 0;

  /** The count so far, including arrays still open. */
  get count(): number {
    let most = this.#most;
    for (let level = Math.min(this.#depth, 2); level >= 1; level--) most = Math.max(most, this.#open(level));
    return most;
  }

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (b === BACKSLASH) this.#escaped = true;
        else if (b === QUOTE) this.#inString = false;
        continue;
      }
      switch (b) {
        case QUOTE:
          this.#markValue();
          this.#inString = true;
          break;
        case OPEN_ARRAY:
        case OPEN_OBJECT:
          this.#markValue();
          this.#depth++;
          if (this.#depth <= 2) {
            this.#isArray[this.#depth] = b === OPEN_ARRAY;
            this.#commas[this.#depth] = 0;
            this.#nonEmpty[this.#depth] = false;
          }
          break;
        case CLOSE_ARRAY:
        case CLOSE_OBJECT:
          if (this.#depth >= 1 && this.#depth <= 2) this.#most = Math.max(this.#most, this.#open(this.#depth));
          this.#depth = Math.max(0, this.#depth - 1);
          break;
        case COMMA:
          if (this.#depth >= 1 && this.#depth <= 2 && this.#isArray[this.#depth]) this.#commas[this.#depth]!++;
          break;
        case SPACE:
        case TAB:
        case LF:
        case CR:
          break;
        default:
          this.#markValue();
      }
    }
  }

  /** Elements of the container open at `level`, 0 unless it is an array. */
  #open(level: number): number {
    if (!this.#isArray[level]) return 0;
    return this.#commas[level]! + (this.#nonEmpty[level] ? 1 : 0);
  }

  #markValue(): void {
    if (this.#depth >= 1 && this.#depth <= 2) this.#nonEmpty[this.#depth] = true;
  }
}

/** The count of a whole body at once. */
export function countListItems(bytes: Uint8Array): number {
  const counter = new ListItemCounter();
  counter.feed(bytes);
  return counter.count;
}
