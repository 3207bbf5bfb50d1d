import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = dirname(fileURLToPath(import.meta.url));

/** Every HTML entry that exists: the patient kiosk always, the staff console once it is added. */
function pages(): Record<string, string> {
  const candidates = { index: 'index.html', staff: 'staff.html' };
  return Object.fromEntries(
    Object.entries(candidates)
      .map(([name, file]) => [name, resolve(root, file)] as const)
      .filter(([, path]) => existsSync(path)),
  );
}

export default defineConfig({
  root,
  plugins: [react()],
  // The workspace packages export their TypeScript sources under the "source" condition (dist/ otherwise).
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    rolldownOptions: { input: pages() },
  },
});
