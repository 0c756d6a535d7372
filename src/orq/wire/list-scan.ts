/**
 * One pass over a list body's text as it arrives, before JSON.parse builds it. It answers two
 * questions early:
 * - how many records the body holds: a hostile upstream once sent 80 MB holding five million
 *   tiny records, a 4.4 GB peak once parsed; counted first, such a body is refused for the cost
 *   of one pass, and never parsed;
 * - where the list goes on (the list's size, its last item, `has_more`): enough to ask for the
 *   next page while this one is parsed. The walk only trusts it that far, and checks it against
 *   the parsed page.
 * JSON's structural characters are ASCII, so scanning UTF-16 code units finds them exactly as a
 * scan of the UTF-8 bytes would.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const LETTER_T = 0x74;
const LETTER_F = 0x66;
const LETTER_N = 0x6e;
/** Longer keys cannot be one of the few the scan looks for. */
const KEY_CHARS = 12;

/** What the scan says of a list page, before it is parsed. */
export interface ListPeek {
  /** `array` for a bare array, `envelope` for an object whose `data` is an array. */
  readonly form: 'array' | 'envelope' | undefined;
  /** Items in the list; undefined unless the body ended with the list closed. */
  readonly items: number | undefined;
  /** The text of the list's last item, when that item is an object. */
  readonly lastItem: string | undefined;
  /** An envelope's `has_more` (or `hasMore`): false when absent, undefined when not a boolean. */
  readonly hasMore: boolean | undefined;
}

/** A list page as it arrived: what its scan says, and the parse, left to whoever needs it. */
export interface PageBody {
  readonly peek: ListPeek;
  /** The body as JSON; throws a RefreshError (invalid_response) when it is not. */
  parse(): unknown;
}

type Literal = boolean | 'other';

export class ListScanner {
  #depth = 0;
  #inString = false;
  #escaped = false;
  // Levels 1 and 2 only: whether the container is an array, its commas, whether it holds a value.
  readonly #isArray = [false, false, false];
  readonly #commas = [0, 0, 0];
  readonly #nonEmpty = [false, false, false];
  #most = 0;

  #top: 'array' | 'object' | undefined;
  // The top-level object's keys: the one being read, the last one read, and its value awaited.
  #expectKey = false;
  #key: string | undefined;
  #lastKey = '';
  #awaitingValue = false;
  #hasMoreSnake: Literal | undefined;
  #hasMoreCamel: Literal | undefined;

  /** 1 for a bare array, 2 for an envelope's `data`, 0 while no list is known. */
  #listLevel = 0;
  #listOpen = false;
  #listItems: number | undefined;
  #awaitingItem = false;
  // The object item being read: its text from earlier chunks, and where it starts in this one
  // (0 when it began in an earlier chunk). Kept as pieces of the chunks, never one whole text:
  // slicing a text built chunk by chunk would first copy all of it.
  #itemOpen = false;
  #itemHead = '';
  #itemFrom = 0;
  // The last object item read, as its head and a stretch of the chunk it ended in.
  #last: { readonly head: string; readonly chunk: string; readonly from: number; readonly to: number } | undefined;

  /** The count so far, including arrays still open. */
  get count(): number {
    let most = this.#most;
    for (let level = Math.min(this.#depth, 2); level >= 1; level--) most = Math.max(most, this.#open(level));
    return most;
  }

  peek(): ListPeek {
    const whole = this.#depth === 0 && !this.#inString;
    const form = this.#top === 'array' ? 'array' : this.#top === 'object' && this.#listLevel === 2 ? 'envelope' : undefined;
    const hasMore = this.#hasMoreSnake ?? this.#hasMoreCamel ?? false;
    const last = this.#last;
    return {
      form,
      items: whole ? this.#listItems : undefined,
      lastItem: whole && last !== undefined ? last.head + last.chunk.slice(last.from, last.to) : undefined,
      hasMore: typeof hasMore === 'boolean' ? hasMore : undefined,
    };
  }

  feed(text: string): void {
    let i = this.#inString ? this.#skipString(text, 0) : 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      switch (c) {
        case QUOTE:
          if (this.#depth === 1 && this.#expectKey) {
            this.#expectKey = false;
            this.#key = '';
          } else this.#valueStarts(i, c);
          this.#markValue();
          this.#inString = true;
          i = this.#skipString(text, i + 1);
          continue;
        case OPEN_ARRAY:
        case OPEN_OBJECT:
          this.#valueStarts(i, c);
          this.#markValue();
          this.#depth++;
          if (this.#depth <= 2) {
            this.#isArray[this.#depth] = c === OPEN_ARRAY;
            this.#commas[this.#depth] = 0;
            this.#nonEmpty[this.#depth] = false;
          }
          if (this.#depth === 1) this.#opensTop(c);
          if (this.#depth === this.#listLevel && this.#listOpen) this.#awaitingItem = true;
          break;
        case CLOSE_ARRAY:
        case CLOSE_OBJECT:
          if (this.#depth >= 1 && this.#depth <= 2) this.#most = Math.max(this.#most, this.#open(this.#depth));
          if (this.#listOpen && this.#depth === this.#listLevel) {
            this.#listItems = this.#open(this.#depth);
            this.#listOpen = false;
          } else if (this.#listOpen && this.#depth === this.#listLevel + 1 && c === CLOSE_OBJECT && this.#itemOpen) {
            this.#last = { head: this.#itemHead, chunk: text, from: this.#itemFrom, to: i + 1 };
            this.#itemOpen = false;
            this.#itemHead = '';
          }
          this.#depth = Math.max(0, this.#depth - 1);
          break;
        case COMMA:
          if (this.#depth >= 1 && this.#depth <= 2 && this.#isArray[this.#depth]) this.#commas[this.#depth]!++;
          if (this.#depth === 1 && this.#top === 'object') this.#expectKey = true;
          if (this.#listOpen && this.#depth === this.#listLevel) this.#awaitingItem = true;
          break;
        case COLON:
          if (this.#depth === 1 && this.#top === 'object') this.#awaitingValue = true;
          break;
        case SPACE:
        case TAB:
        case LF:
        case CR:
          break;
        default:
          this.#valueStarts(i, c);
          this.#markValue();
      }
      i++;
    }
    if (this.#itemOpen) {
      this.#itemHead += text.slice(this.#itemFrom);
      this.#itemFrom = 0;
    }
  }

  /**
   * Past the string that is open at `from`: the index after its closing quote, or the chunk's
   * length when it goes on into the next chunk. Strings are most of a page's text, and
   * indexOf crosses them far faster than a loop over their characters.
   */
  #skipString(text: string, from: number): number {
    let j = from;
    if (this.#escaped) {
      if (j >= text.length) return j;
      this.#escaped = false;
      j++;
    }
    for (;;) {
      const quote = text.indexOf('"', j);
      const end = quote < 0 ? text.length : quote;
      // Backslashes just before the quote (or the chunk's end): an odd run escapes what follows.
      let run = 0;
      for (let k = end - 1; k >= j && text.charCodeAt(k) === BACKSLASH; k--) run++;
      if (quote < 0) {
        this.#escaped = run % 2 === 1;
        if (this.#key !== undefined) this.#key += text.slice(from, Math.min(text.length, from + KEY_CHARS));
        return text.length;
      }
      if (run % 2 === 1) {
        j = quote + 1;
        continue;
      }
      this.#inString = false;
      if (this.#key !== undefined) {
        // A key with an escape keeps its backslash, so it never passes for one looked for.
        this.#lastKey = (this.#key + text.slice(from, Math.min(quote, from + KEY_CHARS))).slice(0, KEY_CHARS);
        this.#key = undefined;
      }
      return quote + 1;
    }
  }

  #opensTop(c: number): void {
    this.#top = c === OPEN_ARRAY ? 'array' : 'object';
    this.#expectKey = c === OPEN_OBJECT;
    if (c === OPEN_ARRAY) {
      this.#listLevel = 1;
      this.#listOpen = true;
    }
  }

  /** Any character that may begin a value (at `at` of this chunk), at the depth before a container it opens. */
  #valueStarts(at: number, c: number): void {
    if (this.#awaitingItem && this.#depth === this.#listLevel) {
      this.#awaitingItem = false;
      // Until an object item closes, the list's last item is not known to be an object.
      this.#last = undefined;
      this.#itemOpen = c === OPEN_OBJECT;
      this.#itemHead = '';
      this.#itemFrom = at;
    }
    if (this.#awaitingValue && this.#depth === 1) {
      this.#awaitingValue = false;
      this.#topValue(c);
    }
  }

  /** The value of the top-level key just read begins with `c`; the last of a repeated key wins, as in JSON.parse. */
  #topValue(c: number): void {
    if (this.#lastKey === 'data') {
      const list = c === OPEN_ARRAY;
      this.#listLevel = list ? 2 : 0;
      this.#listOpen = list;
      this.#listItems = undefined;
      this.#last = undefined;
      this.#itemOpen = false;
      this.#itemHead = '';
    } else if (this.#lastKey === 'has_more') this.#hasMoreSnake = literal(c);
    else if (this.#lastKey === 'hasMore') this.#hasMoreCamel = literal(c);
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

/** `null` reads as absent, like a missing key; anything else not a boolean is not one. */
function literal(c: number): Literal | undefined {
  if (c === LETTER_T) return true;
  if (c === LETTER_F) return false;
  if (c === LETTER_N) return undefined;
  return 'other';
}

/** The scan of a whole body at once. */
export function scanList(text: string): ListScanner {
  const scanner = new ListScanner();
  scanner.feed(text);
  return scanner;
}
