/**
 * Sending a metrics body (exposition/body.ts): straight to the node:http response, or as a
 * web stream where there is none. Text written out while sent goes through one block, so the
 * next block is written only once the last has left for the socket.
 */
import type { ServerResponse } from 'node:http';
import { bodyChunks, type MetricsBody } from '../exposition/body.js';

/**
 * Writes the body and ends the response. Buffers already built are queued at once and flushed
 * together, as node:http writes one prebuilt buffer; a block of lazy text waits for the last
 * block's write. Stops, without error, when the response closes first (the scraper left).
 */
export async function writeBody(out: ServerResponse, body: MetricsBody): Promise<void> {
  out.cork();
  for (const part of body.parts) {
    if (Buffer.isBuffer(part)) {
      out.write(part);
      continue;
    }
    out.uncork();
    for (const block of part.blocks()) {
      if (!(await written(out, block))) return;
    }
    out.cork();
  }
  out.end();
}

/**
 * Whether the chunk left for the socket. A write to a connection that has gone may never call
 * back, so the response closing answers too.
 */
function written(out: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    out.once('close', onClose);
    out.write(chunk, (error) => {
      out.off('close', onClose);
      resolve(error === null || error === undefined);
    });
  });
}

/** The body as a web stream, pulled chunk by chunk; blocks of lazy text are copied, as the stream keeps them. */
export function bodyStream(body: MetricsBody): Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> {
  // The exposition's buffers are never shared memory.
  const [only, ...others] = body.parts;
  if (Buffer.isBuffer(only) && others.length === 0) return only as Uint8Array<ArrayBuffer>;
  const chunks = bodyChunks(body, true);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
  });
}
