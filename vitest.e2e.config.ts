import { defineConfig } from 'vitest/config';
import { E2E_TESTS, shared } from './vitest.config.js';

// Whole runs: the hostile corpus alone takes over a minute. Their hooks get more time than unit tests'.
export default defineConfig({
  test: { ...shared, include: E2E_TESTS, hookTimeout: 300_000, testTimeout: 120_000 },
});
