/**
 * One gzip member built from pieces deflated at different times. Each piece is raw deflate
 * ending on a sync flush (byte-aligned, not final), so pieces concatenate into one valid
 * deflate stream, as pigz does; only the last piece is finished. The member's CRC-32 is
 * combined from the pieces' CRCs without reading their bytes again. A single member matters:
 * some clients (curl --compressed among them) read only the first member of a gzip body.
 */
import { promisify } from 'node:util';
import { constants, crc32, createDeflateRaw, deflateRaw as deflateRawCallback } from 'node:zlib';
import { BLOCK_BYTES } from './body.js';
import { linesThrough, type Lines } from './lines.js';

const deflateRaw = promisify(deflateRawCallback);

export interface DeflatedPiece {
  /** Raw deflate in the order written: zlib's own output buffers, never copied into one. */
  readonly data: readonly Buffer[];
  readonly crc: number;
  readonly length: number;
  readonly final: boolean;
}

/**
 * One small text as a piece; `final` only for the piece that ends the stream. The level
 * trades CPU for size: pieces deflated once per snapshot can afford the default; pieces
 * deflated at every scrape cannot.
 */
export async function deflatePiece(input: Buffer, final: boolean, level: number = constants.Z_DEFAULT_COMPRESSION): Promise<DeflatedPiece> {
  const deflated = deflateRaw(input, { level, finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
  // The CRC is read here while the thread pool deflates the same bytes.
  const crc = crc32(input);
  return { data: [await deflated], crc, length: input.length, final };
}

/**
 * zlib's output buffers. The piece keeps them as they are, so one of them is mostly filled
 * and the last one of each piece partly; small enough that the partly filled one costs little.
 */
const OUTPUT_CHUNK_BYTES = 64 * 1024;

/**
 * Deflates texts one after another as one piece (not final): one zlib stream, sync-flushed at
 * the end, whose output is kept in zlib's own buffers. The convenience deflate gathers each
 * output in small chunks and then copies them into one buffer: twice the output allocated,
 * half of it garbage that sits in glibc's heap until a GC, which then keeps the heap that size.
 * The next text is taken from `texts` only once zlib has read the last one, so an
 * iterator may write every text into the same buffer.
 */
export async function deflateTexts(texts: Iterable<Buffer>, level: number): Promise<DeflatedPiece> {
  const stream = createDeflateRaw({ level, chunkSize: OUTPUT_CHUNK_BYTES });
  const data: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => data.push(chunk));
  // Errors reach the write and flush callbacks; this only keeps them from being thrown again.
  stream.on('error', () => undefined);
  const settled = (err: Error | null | undefined, resolve: () => void, reject: (e: Error) => void): void => (err ? reject(err) : resolve());
  try {
    let crc = 0;
    let length = 0;
    for (const text of texts) {
      if (text.length === 0) continue;
      crc = crc32(text, crc);
      length += text.length;
      await new Promise<void>((resolve, reject) => stream.write(text, (err) => settled(err, resolve, reject)));
    }
    if (length === 0) return { data: [], crc: 0, length: 0, final: false };
    await new Promise<void>((resolve, reject) => stream.flush(constants.Z_SYNC_FLUSH, (err?: Error | null) => settled(err, resolve, reject)));
    // Output pushed while earlier output was still buffered waits for a later tick; read()
    // hands it over now, as 'data', so the piece is whole when returned.
    while (stream.read() !== null);
    return { data, crc, length, final: false };
  } finally {
    stream.close();
  }
}

/** The text of `lines`, block by block, each written into `block` once the last is consumed. */
function* lineTexts(lines: Lines, block: Buffer): Generator<Buffer, void, undefined> {
  const cursor = { block, to: 0 };
  yield* linesThrough(cursor, lines);
  if (cursor.to > 0) yield block.subarray(0, cursor.to);
}

/**
 * Each family's lines deflated as one piece (none for a family without lines), `parallel`
 * families at a time on libuv's thread pool, largest first so the last to finish is small.
 * Each text passes through a block of its own worker, so the whole text of a snapshot is
 * never held at once.
 */
export async function deflateLines(families: readonly Lines[], level: number, parallel = 2): Promise<DeflatedPiece[][]> {
  const out: DeflatedPiece[][] = families.map(() => []);
  const order = families.map((_, i) => i).sort((a, b) => families[b]!.rests.length - families[a]!.rests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
    while (next < order.length) {
      const family = order[next++]!;
      const piece = await deflateTexts(lineTexts(families[family]!, block), level);
      if (piece.length > 0) out[family]!.push(piece);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

// Magic, deflate, no flags, no mtime, no extra flags, OS unknown (RFC 1952).
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** The gzip member as buffers to write in order; the last piece must be final. */
export function gzipMember(pieces: readonly DeflatedPiece[]): Buffer[] {
  const last = pieces[pieces.length - 1];
  if (last === undefined || !last.final || pieces.slice(0, -1).some((p) => p.final)) {
    throw new Error('a gzip member needs exactly one final piece, at the end');
  }
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    crc = crc32Combine(crc, piece.crc, piece.length);
    length += piece.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return [HEADER, ...pieces.flatMap((p) => p.data), trailer];
}

/**
 * CRC-32 of A followed by B from crc(A), crc(B) and len(B): zlib's crc32_combine, by
 * multiplying by x^(8·len2) in GF(2) modulo the CRC polynomial.
 */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  return (multiplyModP(xPow8n(len2), crc1) ^ crc2) >>> 0;
}

const POLY = 0xedb88320;

function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) mod P for k = 0..31, the powers xPow8n is built from. */
const X2N: number[] = (() => {
  const table: number[] = [];
  let p = 1 << 30; // x^1
  for (let k = 0; k < 32; k++) {
    table.push(p >>> 0);
    p = multiplyModP(p, p);
  }
  return table;
})();

/** x^(8n) mod P. */
function xPow8n(n: number): number {
  let p = 0x80000000; // x^0
  let k = 3;
  while (n > 0) {
    if (n % 2 === 1) p = multiplyModP(X2N[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}
