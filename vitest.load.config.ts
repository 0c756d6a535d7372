import { defineConfig } from 'vitest/config';
import { LOAD_TESTS, shared } from './vitest.config.js';

/** `npm run test:load`: only the load and memory tests, which `npm test` leaves out. */
export default defineConfig({
  test: {
    ...shared,
    include: LOAD_TESTS,
  },
});
