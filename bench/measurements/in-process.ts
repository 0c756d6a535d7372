/**
 * Our render in process (`exposition.body()` at a new second each time, its lazy text written
 * out block by block as a scrape sends it) and its floor: one copy of the same bytes into a
 * preallocated buffer, and our body gathered into one new buffer.
 */
import type { Encoding, Exposition } from '../../src/exposition/exposition.js';
import { bodyBytes } from '../../src/exposition/body.js';
import { collectGarbage, sample, writtenBytes, type SteppingClock, type Timed } from '../measure.js';
import type { Plan } from '../plan.js';

export interface InProcess {
  readonly ours: Timed;
  readonly floor: Timed;
}

export async function measureInProcess(p: Plan, exposition: Exposition, clock: SteppingClock, encoding: Encoding, built: Buffer): Promise<InProcess> {
  let bytes = 0;
  collectGarbage();
  const samples = await sample(p.ours, 2, async () => {
    clock.nextSecond();
    bytes = writtenBytes(await exposition.body(encoding));
  });

  const target = Buffer.allocUnsafe(built.length);
  const body = await exposition.body(encoding);
  collectGarbage();
  const copies = await sample(p.floor, 3, () => built.copy(target, 0));
  const concat = await sample(p.floor, 3, () => bodyBytes(body));
  return { ours: { samples, bytes }, floor: { samples: copies, bytes: built.length, concat } };
}
