/**
 * Sending a body with lazy text over a real socket: blocks are written over as the text goes
 * out, so what the scraper reads must be every block as it was when sent, however slowly it
 * reads; and a scraper that leaves halfway must not leave the sender waiting for ever.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsBody, type MetricsBody } from '../../src/exposition/body.js';
import { bodyStream, writeBody } from '../../src/http/send-body.js';
import { reusedBlocks } from '../support/lazy-text.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server answering with `body` through writeBody; resolves with its URL and the send's outcome. */
async function serving(body: MetricsBody): Promise<{ port: number; sent: Promise<void> }> {
  let settle!: (p: Promise<void>) => void;
  const sent = new Promise<Promise<void>>((resolve) => (settle = resolve)).then((p) => p);
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    settle(writeBody(res, body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server!.address() as AddressInfo).port, sent };
}

describe('writeBody', () => {
  it('sends built buffers and every block of lazy text as it was, to a scraper that reads slowly', async () => {
    const lazy = reusedBlocks(40, 256 * 1024);
    const head = Buffer.from('# head\n');
    const tail = Buffer.from('# tail\n');
    const { port, sent } = await serving(metricsBody([head, lazy, tail]));
    const received = await new Promise<Buffer>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        const chunks: Buffer[] = [];
        // Reads in bursts with pauses, so the sender meets a full socket many times.
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          res.pause();
          setTimeout(() => res.resume(), 1);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    await sent;
    expect(received.length).toBe(head.length + lazy.length + tail.length);
    expect(received.equals(Buffer.concat([head, lazy.expected, tail]))).toBe(true);
  });

  it('stops, without waiting for ever, when the scraper leaves halfway', async () => {
    const lazy = reusedBlocks(400, 256 * 1024);
    const { port, sent } = await serving(metricsBody([Buffer.from('# head\n'), lazy]));
    await new Promise<void>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.on('close', resolve);
      req.end();
      setTimeout(() => reject(new Error('no data')), 10_000).unref();
    });
    await expect(sent).resolves.toBeUndefined();
    // It stopped taking blocks: the rest of the 100 MB was never written out.
    expect(lazy.taken()).toBeLessThan(400);
  });

  it('ends a body of built buffers only', async () => {
    const body = metricsBody([Buffer.from('a 1\n'), Buffer.from('b 2\n')]);
    const { port, sent } = await serving(body);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('a 1\nb 2\n');
    await sent;
  });
});

describe('bodyStream', () => {
  it('gives a lone buffer as it is', () => {
    const only = Buffer.from('x 1\n');
    expect(bodyStream(metricsBody([only]))).toBe(only);
  });

  it('streams lazy text as copies: a reader that holds every chunk still reads each block as it was', async () => {
    const lazy = reusedBlocks(5, 1000);
    const stream = bodyStream(metricsBody([Buffer.from('h\n'), lazy]));
    expect(stream).toBeInstanceOf(ReadableStream);
    // Every chunk pulled before any is read: without copies, all would show the last block.
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream as ReadableStream<Uint8Array>) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(Buffer.concat([Buffer.from('h\n'), lazy.expected]))).toBe(true);
  });
});
