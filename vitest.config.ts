import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tracing would try to export to the network; the tests are offline.
    env: { OPENAI_AGENTS_DISABLE_TRACING: '1' },
  },
});
