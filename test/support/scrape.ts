/**
 * One scrape on a connection of its own, closed by the client when the body is read. A kept-
 * alive socket that sat idle through a slow test can be closed by the server's keep-alive
 * timeout just as it is reused (ECONNRESET on a busy machine); asking the server to close it
 * instead (`connection: close`) trips an assertion in undici's client when the body is read
 * more slowly than it arrives. A fresh client per scrape, closed by us, has neither problem.
 */
import { gunzipSync } from 'node:zlib';
import { Client } from 'undici';

export interface Scraped {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** As sent on the wire. */
  readonly raw: Buffer;
  /** Decoded when the server gzipped it, as fetch() would. */
  readonly text: string;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scraped> {
  const target = new URL(url);
  const client = new Client(target.origin);
  try {
    const res = await client.request({ path: `${target.pathname}${target.search}`, method: 'GET', headers });
    const raw = Buffer.from(await res.body.arrayBuffer());
    const gzipped = res.headers['content-encoding'] === 'gzip';
    return { status: res.statusCode, headers: res.headers, raw, text: (gzipped ? gunzipSync(raw) : raw).toString('utf8') };
  } finally {
    await client.close();
  }
}
