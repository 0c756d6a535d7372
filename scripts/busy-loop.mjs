#!/usr/bin/env node
/**
 * Keeps one core busy for scripts/loaded-runs.mjs, and stops by itself: at its deadline, when
 * its parent goes away (its IPC channel closes, or the process is no longer its parent), or on
 * any signal. It spins in 50 ms slices and yields between them so those checks run even though
 * it is CPU-bound.
 *
 *   node scripts/busy-loop.mjs <seconds> <parent pid>
 *
 * The parent's pid is given rather than read at start: a parent killed while this process was
 * still starting would otherwise be missed (the orphan's parent, read then, is already init).
 */
const seconds = Number(process.argv[2]);
const parent = Number(process.argv[3]);
if (!(seconds > 0) || !Number.isInteger(parent) || parent <= 0) {
  process.stderr.write('busy-loop: give the hard time limit in seconds and the parent pid, e.g. `node scripts/busy-loop.mjs 600 1234`\n');
  process.exit(2);
}

const deadline = Date.now() + seconds * 1000;
const SLICE_MS = 50;
/** Started with an IPC channel (loaded-runs does): its closing is the parent's death, however it died. */
const watched = process.connected === true;

process.on('disconnect', () => process.exit(0));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(0));

let sink = 0;
function spin() {
  const sliceEnd = Date.now() + SLICE_MS;
  while (Date.now() < sliceEnd) {
    for (let i = 0; i < 10_000; i++) sink = (sink * 31 + i) % 1_000_003;
  }
  if (Date.now() >= deadline || process.ppid !== parent || (watched && !process.connected)) process.exit(0);
  setImmediate(spin);
}
spin();
