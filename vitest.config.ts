import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers on loopback and a real Prometheus: keep files in separate forks so a
    // stuck socket in one file cannot hold another.
    pool: 'forks',
  },
});
