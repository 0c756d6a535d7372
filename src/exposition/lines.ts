/**
 * Series lines that all begin with the same bytes, kept without them. Every line of a per-key
 * family begins `name{workspace="…",api_key_id="`: across a snapshot those repeated prefixes
 * are about half of the text, and each key's id is repeated in every family. A snapshot keeps
 * what follows each prefix and id, and the ids once; whole lines are written out only when a
 * plain scrape or the snapshot's one deflate asks for them.
 */

/** Every key's id as a label value writes it, with its closing quote: one table per snapshot. */
export interface KeyIds {
  readonly bytes: Buffer;
  /** Where each key's id ends in `bytes`; it starts where the previous one ends. */
  readonly ends: Uint32Array;
}

export interface Lines {
  /** What every line begins with. */
  readonly prefix: Buffer;
  /**
   * Per-key lines: each line's key, whose id is written between the prefix and the rest. A key
   * id is kept once per snapshot, however many families have a line for the key.
   */
  readonly keys?: { readonly ids: KeyIds; readonly of: Uint32Array } | undefined;
  /** What follows the prefix (and the key's id) in each line, back to back. */
  readonly rests: Buffer;
  /** Where each line's rest ends in `rests`; it starts where the previous one ends. */
  readonly ends: Uint32Array;
  /** Bytes of the lines written out whole. */
  readonly bytes: number;
}

/** Bytes of the lines written out whole. */
export function linesBytes(lines: Lines): number {
  return lines.bytes;
}

/** Bytes of line `i` written out whole. */
export function lineBytes(lines: Lines, i: number): number {
  return lines.prefix.length + idBytes(lines, i) + lines.ends[i]! - (i === 0 ? 0 : lines.ends[i - 1]!);
}

function idBytes(lines: Lines, i: number): number {
  if (lines.keys === undefined) return 0;
  const k = lines.keys.of[i]!;
  const ends = lines.keys.ids.ends;
  return ends[k]! - (k === 0 ? 0 : ends[k - 1]!);
}

/** Rests this long are copied natively; shorter ones cost less in a loop than in a call. */
const NATIVE_COPY_BYTES = 64;

/**
 * Writes whole lines into `out` from offset `at`, starting with line `from`, as many as fit.
 * Returns the first line not written and the offset after the last one written.
 */
export function writeLines(lines: Lines, from: number, out: Buffer, at: number): { next: number; at: number } {
  const { prefix, keys, rests, ends } = lines;
  const p = prefix.length;
  if (p === 0 && keys === undefined) return writeWholeLines(lines, from, out, at);
  // Without keys, every line's id is empty: one empty id for all.
  const idBytes = keys?.ids.bytes ?? NO_IDS.bytes;
  const idEnds = keys?.ids.ends ?? NO_IDS.ends;
  const of = keys?.of;
  let start = from === 0 ? 0 : ends[from - 1]!;
  let i = from;
  for (; i < ends.length; i++) {
    const end = ends[i]!;
    const k = of === undefined ? 0 : of[i]!;
    const idStart = k === 0 ? 0 : idEnds[k - 1]!;
    const idEnd = idEnds[k]!;
    if (at + p + idEnd - idStart + end - start > out.length) break;
    out.set(prefix, at);
    at += p;
    for (let j = idStart; j < idEnd; j++) out[at++] = idBytes[j]!;
    if (end - start >= NATIVE_COPY_BYTES) at += rests.copy(out, at, start, end);
    else for (let j = start; j < end; j++) out[at++] = rests[j]!;
    start = end;
  }
  return { next: i, at };
}

const NO_IDS: KeyIds = { bytes: Buffer.alloc(0), ends: new Uint32Array(1) };

/** Lines kept whole (no prefix) lie back to back: as many as fit go in one copy. */
function writeWholeLines(lines: Lines, from: number, out: Buffer, at: number): { next: number; at: number } {
  const { rests, ends } = lines;
  const start = from === 0 ? 0 : ends[from - 1]!;
  const room = out.length - at;
  // The first line that does not fit: ends ascend, so a binary search finds it.
  let lo = from;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! - start <= room) lo = mid + 1;
    else hi = mid;
  }
  if (lo === from) return { next: from, at };
  return { next: lo, at: at + rests.copy(out, at, start, ends[lo - 1]!) };
}

/** Where text is being written block by block: the reused block, and the offset in it. */
export interface Cursor {
  readonly block: Buffer;
  to: number;
}

/**
 * Every line of `lines`, written into the cursor's block from its offset on; each block is
 * yielded, up to its offset, when the next line does not fit, and written over after. A line
 * longer than a block (a label value from upstream can be long) is yielded in a buffer of its
 * own.
 */
export function* linesThrough(cursor: Cursor, lines: Lines): Generator<Buffer, void, undefined> {
  const { block } = cursor;
  for (let line = 0; line < lines.ends.length; ) {
    const written = writeLines(lines, line, block, cursor.to);
    if (written.next > line) {
      ({ next: line, at: cursor.to } = written);
    } else if (cursor.to > 0) {
      yield block.subarray(0, cursor.to);
      cursor.to = 0;
    } else {
      const own = Buffer.allocUnsafeSlow(lineBytes(lines, line));
      writeLines(lines, line, own, 0);
      yield own;
      line++;
    }
  }
}

/** Where the text of each line goes: a family's lines, each as its rest after the prefix. */
export interface LineSink {
  /**
   * One line's text after the prefix (and after its key's id, for a line of key `key`), its
   * newline included. UTF-8: label values may be anything, but the rest must end in ASCII, as
   * exposition lines do (a newline, or the space before a clock value): rests are encoded in
   * batches, and one ending in half a surrogate pair would pair with the next rest and change
   * both their lengths. A family's lines all have a key, or none has.
   */
  add(rest: string, key?: number): void;
}

/**
 * The lines of several families, every rest in one buffer of the exact size: one allocation per
 * snapshot, freed whole with it (at large sizes glibc maps it apart and unmaps it then, where
 * blocks freed one by one stayed in its heap beside the next snapshot's).
 * `emit` writes every line through the sinks, one per prefix, and runs twice: once to measure,
 * once to write. It must give the same lines both times. Holding every line as a JS string
 * until the size is known would put a whole snapshot's text in V8's old space at every refresh,
 * tens of megabytes that V8 gives back to the system only some time after the next collection.
 * The family at `ids`, if given, is the table of key ids: its lines are the ids, which the
 * other families' lines name by their key's index.
 */
export function linesOf(prefixes: readonly string[], emit: (sinks: readonly LineSink[]) => void, ids?: number): Lines[] {
  const counters = prefixes.map(() => new LineCounter());
  emit(counters);
  const arena = Buffer.allocUnsafeSlow(counters.reduce((n, c) => n + c.bytes, 0));
  let at = 0;
  const writers = counters.map((c) => {
    const w = new LineWriter(arena, at, c.bytes);
    at += c.bytes;
    return w;
  });
  emit(writers);
  const rests = writers.map((w) => w.finish());
  const table: KeyIds | undefined = ids === undefined ? undefined : { bytes: rests[ids]!, ends: Uint32Array.from(counters[ids]!.ends) };
  return counters.map((c, i) => {
    const prefix = Buffer.from(prefixes[i]!, 'utf8');
    const ends = i === ids && table !== undefined ? table.ends : Uint32Array.from(c.ends);
    let bytes = prefix.length * ends.length + c.bytes;
    if (c.keys.length === 0 || i === ids) return { prefix, rests: rests[i]!, ends, bytes };
    if (table === undefined) throw new Error('lines with keys need the key ids');
    if (c.keys.length !== c.ends.length) throw new Error('a family\'s lines all have a key, or none has');
    const of = Uint32Array.from(c.keys);
    for (const k of of) bytes += table.ends[k]! - (k === 0 ? 0 : table.ends[k - 1]!);
    return { prefix, keys: { ids: table, of }, rests: rests[i]!, ends, bytes };
  });
}

class LineCounter implements LineSink {
  readonly ends: number[] = [];
  readonly keys: number[] = [];
  /** Bytes of the lines before the pending batch. */
  #counted = 0;
  /** Lines not yet measured in bytes: their ends are in characters until the batch is. */
  #pending: string[] = [];
  #pendingChars = 0;

  add(rest: string, key?: number): void {
    if (!(rest.charCodeAt(rest.length - 1) < 0x80)) throw new Error(`a line's rest must end in ASCII: ${JSON.stringify(rest.slice(-8))}`);
    this.#pending.push(rest);
    this.#pendingChars += rest.length;
    this.ends.push(this.#counted + this.#pendingChars);
    if (key !== undefined) this.keys.push(key);
    if (this.#pendingChars >= BATCH_CHARS) this.#measure();
  }

  get bytes(): number {
    this.#measure();
    return this.#counted;
  }

  /**
   * Bytes of the pending lines, measured together: a batch of ASCII (nearly every batch) has
   * as many bytes as characters, and its ends stand; only a batch with other text is measured
   * line by line. One measure per line cost more than the rest of the counting.
   */
  #measure(): void {
    const lines = this.#pending;
    if (lines.length === 0) return;
    const bytes = Buffer.byteLength(lines.join(''), 'utf8');
    if (bytes !== this.#pendingChars) {
      let end = this.#counted;
      const first = this.ends.length - lines.length;
      lines.forEach((line, i) => (this.ends[first + i] = end += Buffer.byteLength(line, 'utf8')));
    }
    this.#counted += bytes;
    this.#pending = [];
    this.#pendingChars = 0;
  }
}

/** Text not yet encoded is batched: one native write per line would cost more in calls than in bytes. */
const BATCH_CHARS = 4096;

class LineWriter implements LineSink {
  readonly #into: Buffer;
  readonly #start: number;
  readonly #end: number;
  #at: number;
  #pending = '';

  constructor(into: Buffer, start: number, bytes: number) {
    this.#into = into;
    this.#start = this.#at = start;
    this.#end = start + bytes;
  }

  add(rest: string): void {
    this.#pending += rest;
    if (this.#pending.length >= BATCH_CHARS) this.#flush();
  }

  /** The rests written; they must be exactly the bytes measured. */
  finish(): Buffer {
    this.#flush();
    if (this.#at !== this.#end) throw new Error(`lines measured at ${this.#end - this.#start} bytes wrote ${this.#at - this.#start}`);
    return this.#into.subarray(this.#start, this.#end);
  }

  #flush(): void {
    const bytes = Buffer.byteLength(this.#pending, 'utf8');
    // Never past this family's end, into the next family's bytes.
    if (this.#at + bytes > this.#end) throw new Error(`lines measured at ${this.#end - this.#start} bytes wrote more`);
    this.#at += this.#into.write(this.#pending, this.#at, bytes, 'utf8');
    this.#pending = '';
  }
}
