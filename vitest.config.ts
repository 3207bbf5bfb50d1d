import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources: the workspace packages export them under the "source" condition.
const conditions = ['source', ...defaultServerConditions];

// The pcsclite binding crashes inside worker threads, so every project runs in forked processes.
// The unit tests share their forks' module cache (isolate: false): they start no agent, DOM or
// browser, none needs a freshly loaded module (they also pass in shuffled order), and loading the
// same modules afresh for each of their files was most of their time (94 s → 40 s here). The other
// projects start agents, DOMs and browsers, and stay isolated.
// Two workers even on a 2-core machine (vitest's default is cores - 1): the suites mostly wait on
// sockets, timers, pcscd and Chromium, so a second fork roughly halves the wall time.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      'kiosk-ui/vitest.config.ts',
      {
        extends: true,
        test: { name: 'unit', include: ['protocol/src/**/*.test.ts', 'agent/src/**/*.test.ts', 'mocks/src/**/*.test.ts'], environment: 'node', isolate: false },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'realstack', include: ['test/realstack/**/*.test.ts'], environment: 'node', testTimeout: 60_000, fileParallelism: false },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      // Each file has its own agent and browser: the languages and the idle test run side by side.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
