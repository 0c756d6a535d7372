/**
 * Scrapes over HTTP of the exporter as it ships (startExporter's server, /metrics written
 * straight to the socket), of the same app answering through a web Response, and of the floor
 * (a bare node:http server writing the same bytes, already built). The three are scraped in
 * turn, one each and in a rotating order, so a busy moment of the machine lands on all of them alike.
 */
import type { Encoding, Exposition } from '../../src/exposition/exposition.js';
import { Scraper, serveBytes, serveResponsePath, type Listening } from '../http.js';
import { collectGarbage, perEncoding, type SteppingClock, type Timed } from '../measure.js';
import type { Plan } from '../plan.js';

export interface OverHttp {
  readonly ours: Timed;
  readonly floor: Timed;
  readonly responsePath: Timed;
}

const WARMUP = 2;

export async function measureHttp(
  p: Plan,
  exporterUrl: string,
  exposition: Exposition,
  clock: SteppingClock,
  built: Readonly<Record<Encoding, Buffer>>,
): Promise<Record<Encoding, OverHttp>> {
  const servers: Listening[] = [];
  const scrapers: Scraper[] = [];
  try {
    const floor = await serveBytes(built);
    servers.push(floor);
    const response = await serveResponsePath(exposition);
    servers.push(response);
    // Ours steps the clock first: every measured scrape of it is a render. The Response path
    // steps it too; the floor has no clock.
    const contenders = [
      { url: exporterUrl, step: true },
      { url: response.url, step: true },
      { url: floor.url, step: false },
    ].map((c) => ({ ...c, scraper: new Scraper(c.url) }));
    scrapers.push(...contenders.map((c) => c.scraper));
    return await perEncoding(async (encoding) => {
      const n = Math.min(p.ours, p.floor);
      const samples: number[][] = contenders.map(() => []);
      const bytes: number[] = contenders.map(() => 0);
      collectGarbage();
      for (let i = -WARMUP; i < n; i++) {
        // Each round starts with the next contender: whichever goes first or follows another
        // (its garbage, its socket's teardown) changes from round to round instead of always
        // landing on the same one.
        for (let j = 0; j < contenders.length; j++) {
          const k = (((i + j) % contenders.length) + contenders.length) % contenders.length;
          const c = contenders[k]!;
          if (c.step) clock.nextSecond();
          const start = performance.now();
          bytes[k] = await c.scraper.scrape(encoding);
          if (i >= 0) samples[k]!.push(performance.now() - start);
        }
      }
      const timed = (k: number): Timed => ({ samples: samples[k]!, bytes: bytes[k]! });
      return { ours: timed(0), responsePath: timed(1), floor: timed(2) };
    });
  } finally {
    for (const s of scrapers) await s.close();
    for (const s of servers) await s.close();
  }
}
