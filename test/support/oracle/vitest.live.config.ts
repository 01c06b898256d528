// `npm run test:oracle-live`: the tests that need a real Oracle database. Kept out of the default
// suite (which must never skip a test) and run only on machines that have Oracle; they read
// ORACLE_TEST_CONNECT_STRING, ORACLE_TEST_USER and ORACLE_TEST_PASSWORD (see docs/oracle.md).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['test/**/*.live.ts'],
    environment: 'node',
    // A real Data Pump export of a small schema takes seconds to minutes.
    testTimeout: 900_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
