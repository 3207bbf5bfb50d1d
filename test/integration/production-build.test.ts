/**
 * The production agent as installed: compiled JavaScript run by plain node, with no TypeScript loader
 * and no import of the mocks anywhere in what it ships (the linter holds the sources; this holds dist/).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../realstack/support.ts';

const agentDir = join(REPO_ROOT, 'agent');
const dist = join(agentDir, 'dist');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}

/** Every module specifier of a compiled file: static imports, re-exports and dynamic imports of literals. */
const specifiers = (source: string): string[] => [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

beforeAll(() => {
  // npm test builds first; a developer running this file alone gets the same build.
  if (!existsSync(join(dist, 'cli', 'main.js'))) execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
}, 180_000);

describe('the production agent', () => {
  it('depends on neither the mocks nor a TypeScript loader, and its CLI runs dist/', () => {
    const pkg = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; bin: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('@kiosk/mocks');
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    const bin = readFileSync(join(agentDir, pkg.bin['kiosk-agent']!), 'utf8');
    expect(specifiers(bin)).toEqual(['../dist/cli/main.js']);
  });

  it('compiled, imports no mock, test helper or loader', () => {
    const files = jsFiles(dist);
    expect(files.length).toBeGreaterThan(50);
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('@kiosk/mocks') || s === 'tsx' || s.startsWith('tsx/') || /\.test-support(\.|$)/.test(s) || s.endsWith('.ts'))
        .map((s) => `${file.slice(dist.length + 1)} → ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('kiosk-agent start without a driver or with the mock exits 2 and says what to run', () => {
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, [join(agentDir, 'bin/kiosk-agent.js'), 'start', ...args], { encoding: 'utf8', stdio: 'pipe' });
        return { code: 0, err: '' };
      } catch (error) {
        const e = error as { status: number; stderr: string };
        return { code: e.status, err: e.stderr };
      }
    };
    expect(run([])).toMatchObject({ code: 2, err: expect.stringContaining('--driver') });
    expect(run(['--driver', 'mock'])).toMatchObject({ code: 2, err: expect.stringContaining('npm start') });
  });
});
