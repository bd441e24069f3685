import { defineConfig } from 'vitest/config';

/**
 * The long tests, run by `npm run test:e2e` (and by .ci/run, after `npm test`): whole runs of the
 * pipeline and the CLI against the demo, the fake AWS endpoint or the hostile corpus, the live fault
 * matrix, and the 4,000-policy differential test. `npm test` runs everything else, in under 2 minutes
 * on 2 cores.
 */
export const E2E_TESTS = [
  'test/pipeline/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/collect/live/faults.test.ts',
  'test/collect/live/fault-matrix.test.ts',
  'test/collect/live/region-give-up.test.ts',
  'test/analyze/policy/differential.test.ts',
  // 60,000 evidence files written and read back: loadEvidence's work counted at 10,000 buckets.
  'test/evidence/evidence-store.test.ts',
];

export const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks',
} as const;

export default defineConfig({
  test: { ...shared, include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...E2E_TESTS] },
});
