/**
 * The prom-client baseline (bench/baseline.ts) over the same snapshot, in process and served
 * by node:http. Run last in a size: its million-entry label maps would otherwise be alive,
 * and collected, during the other measurements.
 */
import type { Encoding } from '../../src/exposition/exposition.js';
import type { Snapshot } from '../../src/snapshot.js';
import { PromClientBaseline } from '../baseline.js';
import { Scraper } from '../http.js';
import { collectGarbage, perEncoding, sample, type SteppingClock, type Timed } from '../measure.js';
import type { Plan } from '../plan.js';

export interface PromClientFigures {
  readonly inProcess: Timed;
  readonly http: Timed;
}

export async function measurePromClient(p: Plan, snapshot: Snapshot, clock: SteppingClock): Promise<Record<Encoding, PromClientFigures>> {
  const baseline = new PromClientBaseline(snapshot, clock.now);
  const inProcess = await perEncoding(async (encoding) => {
    let bytes = 0;
    collectGarbage();
    const samples = await sample(p.baseline, p.baselineWarmup, async () => {
      clock.nextSecond();
      bytes = (await baseline.body(encoding)).length;
    });
    return { samples, bytes };
  });
  const { server, url } = await baseline.listen(() => clock.nextSecond());
  const scraper = new Scraper(url);
  try {
    const http = await perEncoding(async (encoding) => {
      let bytes = 0;
      collectGarbage();
      const samples = await sample(p.baseline, p.baselineWarmup, async () => {
        bytes = await scraper.scrape(encoding);
      });
      return { samples, bytes };
    });
    return {
      identity: { inProcess: inProcess.identity, http: http.identity },
      gzip: { inProcess: inProcess.gzip, http: http.gzip },
    };
  } finally {
    await scraper.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
