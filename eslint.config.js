// Lint: typescript-eslint's recommended rules, no import cycles, and the layering of the agent as
// filesystem zones (import-x/no-restricted-paths), so a wrong-way import fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const agent = './agent/src';
const compositionRoot = ['app.ts', 'composition.ts', 'server.ts', 'cli'];

/** Each zone: files under `target` may not import from `from` (minus `except`, relative to `from`). */
const layers = [
  // Pure layers: the card layer and the rules take their inputs as arguments and import no other layer.
  { target: `${agent}/card`, from: agent, except: ['./card', './rules'], message: 'card/ is pure: it imports only the (pure) rules.' },
  { target: `${agent}/rules`, from: agent, except: ['./rules'], message: 'rules/ is pure: it imports no other layer.' },
  // The flow sees only its ports, the pure layers and the clock/logger.
  {
    target: `${agent}/flow`,
    from: agent,
    except: ['./flow', './card', './rules', './clock.ts', './logger.ts'],
    message: 'flow/ imports only card/, rules/ and its own ports.',
  },
  // Adapters implement ports: they never reach up into transport, staff or the composition root, and see only the flow's ports.
  ...['drivers', 'storage', 'orca'].flatMap((layer) => [
    {
      target: `${agent}/${layer}`,
      from: agent,
      except: [...new Set([`./${layer}`, './storage', './card', './rules', './flow', './clock.ts', './logger.ts'])],
      message: `${layer}/ sits below transport, staff and the composition root.`,
    },
    { target: `${agent}/${layer}`, from: `${agent}/flow`, except: ['./ports.ts'], message: `${layer}/ may use only the flow's ports (flow/ports.ts).` },
  ]),
  // Transport, staff, security and records sit below the composition root and the CLI.
  ...['transport', 'staff', 'security', 'records'].flatMap((layer) =>
    compositionRoot.map((top) => ({ target: `${agent}/${layer}`, from: `${agent}/${top}`, message: `${layer}/ sits below the composition root and the CLI.` })),
  ),
  // Production never imports the mocks or the tests.
  { target: './agent', from: ['./mocks', './test', './bench'], message: 'Production code never imports mocks/, test/ or bench/.' },
  // The mock world stands in for the hardware and the online services: it sees the agent only through the ports
  // (and the pure card and rules layers, for constants and dates). Only the demo composition wires it to the agent.
  ...['driver', 'card', 'orca'].map((part) => ({
    target: `./mocks/src/${part}`,
    from: agent,
    except: ['./flow/ports.ts', './card', './rules', './clock.ts'],
    message: 'mocks/ depend only on the ports; the demo composition (mocks/src/demo) wires them to the agent.',
  })),
  { target: './protocol', from: ['./agent', './mocks', './kiosk-ui', './test', './bench'], message: 'protocol/ imports nothing of the project.' },
  // The UIs speak only the protocol.
  { target: './kiosk-ui/src', from: ['./agent', './mocks', './test', './bench'], message: 'The UIs import only @kiosk/protocol.' },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test/artifacts/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js'], conditionNames: ['import', 'node', 'default'] })] },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layers }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['kiosk-ui/src/**/*.tsx', 'kiosk-ui/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // One owner of the schema: tables and indexes are defined only in agent/src/storage/schema.ts.
  {
    files: ['agent/src/**/*.ts', 'mocks/src/**/*.ts'],
    ignores: ['agent/src/storage/schema.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['TemplateElement[value.raw', 'Literal[value'].map((node) => ({
          selector: `${node}=/\\b(CREATE|ALTER|DROP)\\s+(TABLE|INDEX)\\b/i]`,
          message: 'Tables and indexes belong to the one schema (agent/src/storage/schema.ts): add a migration there.',
        })),
      ],
    },
  },
  // Test helpers (one naming scheme: NAME.test-support.ts, beside the tests) never reach production code.
  {
    files: ['agent/src/**/*.ts', 'mocks/src/**/*.ts', 'protocol/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test-support.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/*.test-support.ts'], message: 'Test helpers are for tests only.' }] }] },
  },
  // Tests and their helpers may reach across layers to build what they test.
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/*.test-support.ts', 'kiosk-ui/src/test/**'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
  prettier,
);
