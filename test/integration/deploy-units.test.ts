/**
 * The systemd units in deploy/ as a clinic installs them: `systemd-analyze verify` loads each one as the
 * service manager would and says what it would refuse or ignore (unknown keys, bad values, programs that
 * do not exist), so any output at all fails the check.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../realstack/support.ts';

const DEPLOY = join(REPO_ROOT, 'deploy');
const UNITS = readdirSync(DEPLOY).filter((f) => /\.(service|timer)$/.test(f));

/** What verify needs on the machine: itself, and every program the units start (it checks they exist). */
const NEEDED: Record<string, string> = {
  '/usr/bin/systemd-analyze': 'systemd',
  '/usr/bin/node': 'Node.js 20 at /usr/bin/node',
  '/usr/bin/cage': 'cage',
  '/usr/bin/chromium': 'chromium',
  '/bin/bash': 'bash',
};
const missing = Object.entries(NEEDED).filter(([path]) => {
  try {
    accessSync(path, constants.X_OK);
    return false;
  } catch {
    return true;
  }
});

function unitsDescribe(): typeof describe | ((name: string, body: () => void) => void) {
  if (missing.length === 0) return describe;
  const reason = `missing ${missing.map(([path, pkg]) => `${path} (${pkg})`).join(', ')}: run bash scripts/system-deps.sh as root`;
  if (process.env.CI === 'true') {
    return (name: string) =>
      describe(name, () => {
        it('needs systemd-analyze and the programs the units start', () => {
          throw new Error(`deploy units: CI=true and ${reason}`);
        });
      });
  }
  console.warn(`[integration] SKIPPED deploy units: ${reason}`);
  return describe.skip;
}

function verify(dir: string, units: string[]): { status: number | null; output: string } {
  // --man=no: the units document themselves with docs/operations.md, not man pages.
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...units.map((u) => join(dir, u))], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

unitsDescribe()('deploy/ systemd units', () => {
  it('holds the agent, the kiosk display and the daily backup (service + timer)', () => {
    expect(UNITS.sort()).toEqual(['myna-kiosk-agent.service', 'myna-kiosk-backup.service', 'myna-kiosk-backup.timer', 'myna-kiosk-display.service']);
  });

  it('systemd-analyze verify: no error and no warning', () => {
    expect(verify(DEPLOY, UNITS)).toEqual({ status: 0, output: '' });
  });

  it('the check sees a mistake: a misspelt key in a copy of the agent unit is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-units-'));
    try {
      for (const unit of UNITS) copyFileSync(join(DEPLOY, unit), join(dir, unit));
      const agent = join(dir, 'myna-kiosk-agent.service');
      writeFileSync(agent, readFileSync(agent, 'utf8').replace('ProtectSystem=strict', 'ProtectSystm=strict'));
      expect(verify(dir, UNITS).output).toContain("Unknown key 'ProtectSystm'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the agent runs as its own user with the hardening named in the issue, and restarts on failure', () => {
    const agent = readFileSync(join(DEPLOY, 'myna-kiosk-agent.service'), 'utf8');
    for (const line of [
      'User=myna-kiosk',
      'Restart=on-failure',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'ReadWritePaths=/var/lib/myna-kiosk',
      '--data-dir /var/lib/myna-kiosk',
    ]) {
      expect(agent).toContain(line);
    }
    const display = readFileSync(join(DEPLOY, 'myna-kiosk-display.service'), 'utf8');
    expect(display).toMatch(/^ExecStart=\/usr\/bin\/cage .*\/usr\/bin\/chromium .*--kiosk/m);
    expect(display).toContain('Restart=always');
    expect(display).toContain('WantedBy=graphical.target');
  });
});
