import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The load and memory tests: minutes of CPU-bound work on a busy 2-core machine, so they run
 * on their own (`npm run test:load`, vitest.load.config.ts), after `npm test`, in CI as well.
 */
export const LOAD_TESTS = ['test/hardening/load.test.ts'];

/** What both runs share. */
export const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Real servers on loopback and a real Prometheus: keep files in separate forks so a
  // stuck socket in one file cannot hold another.
  pool: 'forks',
  // Vitest's default on two cores is one worker, and most of the suite's time is spent waiting
  // on sockets, timeouts and Retry-After: two files at once halve the wall time. Every test
  // that runs against a clock is written to pass on a machine busier than this makes it.
  maxWorkers: 2,
} as const;

export default defineConfig({
  test: {
    ...shared,
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...LOAD_TESTS],
  },
});
