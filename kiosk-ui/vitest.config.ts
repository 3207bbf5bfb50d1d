import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The UI test project. Run alone with `npx vitest run --config kiosk-ui/vitest.config.ts`;
 * the root config can list the same entry as project "ui".
 */
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  test: {
    name: 'ui',
    root,
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    environment: 'happy-dom',
    setupFiles: [resolve(root, 'src/test/setup.ts')],
    pool: 'forks',
    // Rendering is fast, but a loaded 2-core runner can stretch a test past the 5 s default.
    testTimeout: 30_000,
  },
});
