/**
 * What a scrape is answered with: buffers already built, and text written out only as it is
 * sent. The snapshot families of a plain body are the second kind: a snapshot keeps its lines
 * without their common prefixes (lines.ts), and writing a 100 MB text into fresh memory for
 * every plain scrape costs more in page faults than in writing; block by block, through one
 * block the sender reuses, it costs neither.
 */

/** Lazy text is written out in blocks of about this size: a block's write then costs little beside its bytes. */
export const BLOCK_BYTES = 1 << 20;

/** Text written out block by block when sent. */
export interface LazyText {
  readonly length: number;
  /**
   * The text in blocks of whole lines. A block is written over when the next is asked for:
   * the sender takes the next only once the last has gone out.
   */
  blocks(): Generator<Buffer, void, undefined>;
}

export type BodyPart = Buffer | LazyText;

/**
 * Lazy text that several scrapes may send. The first writes it out through its own block; a
 * second, even while the first is still sending, has it written out once more into one
 * buffer, which this object then keeps, for as long as it is kept itself, for every later one.
 * A lone plain scrape holds no copy; many, as from a scraper that does not ask for gzip or
 * curl in a loop, cost one writing between them instead of one each.
 */
export function sharedText(text: LazyText): LazyText {
  let sendings = 0;
  let kept: Buffer | undefined;
  return {
    get length() {
      return text.length;
    },
    *blocks() {
      if (kept === undefined && sendings++ === 0) {
        yield* text.blocks();
        return;
      }
      kept ??= bodyBytes(metricsBody([text]));
      yield kept;
    },
  };
}

export interface MetricsBody {
  /** Bytes of the whole body, known before any is sent (Content-Length). */
  readonly length: number;
  readonly parts: readonly BodyPart[];
}

export function metricsBody(parts: readonly BodyPart[]): MetricsBody {
  return { length: parts.reduce((n, p) => n + p.length, 0), parts };
}

/**
 * The body's bytes in order. With `copy` every block of lazy text is a buffer of its own (for
 * a reader that holds on to them); without, each is valid until the next is taken.
 */
export function* bodyChunks(body: MetricsBody, copy: boolean): Generator<Buffer, void, undefined> {
  for (const part of body.parts) {
    if (Buffer.isBuffer(part)) yield part;
    else for (const block of part.blocks()) yield copy ? Buffer.from(block) : block;
  }
}

/** The whole body in one buffer: for tests and tools, and for text several scrapes share. */
export function bodyBytes(body: MetricsBody): Buffer {
  const out = Buffer.allocUnsafeSlow(body.length);
  let at = 0;
  for (const chunk of bodyChunks(body, false)) at += chunk.copy(out, at);
  if (at !== body.length) throw new Error(`a body of ${body.length} bytes gave ${at}`);
  return out;
}
