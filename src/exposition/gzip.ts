/**
 * One gzip member built from pieces deflated at different times. Each piece is raw deflate
 * ending on a sync flush (byte-aligned, not final), so pieces concatenate into one valid
 * deflate stream, as pigz does; only the last piece is finished. The member's CRC-32 is
 * combined from the pieces' CRCs without reading their bytes again. A single member matters:
 * some clients (curl --compressed among them) read only the first member of a gzip body.
 */
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw as deflateRawCallback } from 'node:zlib';

const deflateRaw = promisify(deflateRawCallback);

export interface DeflatedPiece {
  readonly data: Buffer;
  readonly crc: number;
  readonly length: number;
  readonly final: boolean;
}

/**
 * `final` only for the piece that ends the stream. The level trades CPU for size: pieces
 * deflated once per snapshot can afford the default; pieces deflated at every scrape cannot.
 */
export async function deflatePiece(input: Buffer, final: boolean, level: number = constants.Z_DEFAULT_COMPRESSION): Promise<DeflatedPiece> {
  const deflated = deflateRaw(input, { level, finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
  // The CRC is read here while the thread pool deflates the same bytes.
  const crc = crc32(input);
  return { data: await deflated, crc, length: input.length, final };
}

/** Slices large enough that the lost 32 KiB of history at each cut costs nothing measurable. */
export const SLICE_BYTES = 1 << 20;

/** `input` cut into SLICE_BYTES views, to deflate separately. */
export function slices(input: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let from = 0; from < input.length; from += SLICE_BYTES) out.push(input.subarray(from, from + SLICE_BYTES));
  return out;
}

/**
 * Deflates each input as its own piece (none final), `parallel` at a time on libuv's thread
 * pool. Not all at once: every zlib stream allocates a few hundred KiB of state, and a hundred
 * of them at once, freed together, leave glibc's heap holed for good (a higher RSS that never
 * comes back). Two at a time keep both cores of a small machine busy.
 */
export async function deflateEach(inputs: readonly Buffer[], level: number, parallel = 2): Promise<DeflatedPiece[]> {
  const out = new Array<DeflatedPiece>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const i = next++;
      out[i] = await deflatePiece(inputs[i]!, false, level);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, inputs.length) }, worker));
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
  return [HEADER, ...pieces.map((p) => p.data), trailer];
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
