/**
 * Our render in process (`exposition.body()` at a new second each time) and its floor: one
 * copy of the same bytes into a preallocated buffer, and Buffer.concat of our pieces.
 */
import type { Encoding, Exposition } from '../../src/exposition/exposition.js';
import { collectGarbage, sample, totalBytes, type SteppingClock, type Timed } from '../measure.js';
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
    bytes = totalBytes(await exposition.body(encoding));
  });

  const target = Buffer.allocUnsafe(built.length);
  const pieces = await exposition.body(encoding);
  collectGarbage();
  const copies = await sample(p.floor, 3, () => built.copy(target, 0));
  const concat = await sample(p.floor, 3, () => Buffer.concat(pieces));
  return { ours: { samples, bytes }, floor: { samples: copies, bytes: built.length, concat } };
}
