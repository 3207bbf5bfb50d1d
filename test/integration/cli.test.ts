/**
 * The kiosk-agent binary as an operator runs it, each command a child process on a temp data folder:
 * start-up refused beyond loopback without TLS and device tokens, `staff add` with the password on
 * stdin, `records purge` with and without --dry-run, one agent per data folder, the exit on an
 * uncaught error, and backup / restore beside a running agent.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createCheckInStore } from '@kiosk/agent/storage/checkins.ts';
import { openDatabase } from '@kiosk/agent/storage/db.ts';
import { lockState } from '@kiosk/agent/storage/data-folder.ts';
import { REPO_ROOT } from '../realstack/support.ts';
import { agentDbFile, readCheckIns, spawnAgent, tempDir } from '../faults/support.ts';
import { StaffClient } from '../support/staff-harness.ts';

/** The compiled CLI starts in under a second; a loaded machine stretches that. */
const CLI_TIMEOUT_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/** Runs `kiosk-agent ARGS` with `stdin` piped in; the data folder comes only from the arguments. */
function runCli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.KIOSK_DATA_DIR;
  delete env.KIOSK_RETENTION_DAYS;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'agent/bin/kiosk-agent.js'), ...args], { cwd: REPO_ROOT, env, timeout: CLI_TIMEOUT_MS });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let data: ReturnType<typeof tempDir>;
beforeEach(() => {
  data = tempDir('cli');
});
afterEach(() => data.remove());

describe('kiosk-agent start beyond loopback', { timeout: 2 * CLI_TIMEOUT_MS }, () => {
  it('--host 0.0.0.0 without TLS files: refuses to start, says why, exits non-zero', async () => {
    await expect(spawnAgent({ dataDir: data.path, args: ['--host', '0.0.0.0'] })).rejects.toThrow(
      /exited \(1\) before it was ready; stderr: kiosk-agent: could not start: Refusing to listen on 0\.0\.0\.0: listening beyond loopback needs TLS \(--tls-cert and --tls-key\)/,
    );
  });

  it('--host 0.0.0.0 with TLS files but no registered kiosk device: refuses and names the command to run', async () => {
    writeFileSync(join(data.path, 'cert.pem'), 'not read before the token check');
    writeFileSync(join(data.path, 'key.pem'), 'not read before the token check');
    const args = ['--host', '0.0.0.0', '--tls-cert', join(data.path, 'cert.pem'), '--tls-key', join(data.path, 'key.pem')];
    await expect(spawnAgent({ dataDir: data.path, args })).rejects.toThrow(
      /exited \(1\) before it was ready; .*needs at least one kiosk device token \("kiosk-agent staff device add NAME"\)/,
    );
  });
});

describe('kiosk-agent staff add', { timeout: 3 * CLI_TIMEOUT_MS }, () => {
  it('reads the password from stdin; the account is listed and can sign in to the console', async () => {
    const password = 'a long enough test password';
    const added = await runCli(['staff', 'add', 'desk9', '--password-stdin', '--data-dir', data.path], `${password}\n`);
    expect(added).toMatchObject({ code: 0, stdout: 'Account "desk9" created.\n' });
    const listed = await runCli(['staff', 'list', '--data-dir', data.path]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n').map((line) => line.split('\t')[0])).toContain('desk9');

    const agent = await startDemo({ port: 0, dataDir: data.path, logger: silentLogger });
    try {
      const staff = await StaffClient.login(agent.url, 'desk9', password);
      expect((await staff.get('/staff/api/board')).status).toBe(200);
      await expect(StaffClient.login(agent.url, 'desk9', `${password}!`)).rejects.toThrow(/401/);
    } finally {
      await agent.close();
    }
  });
});

describe('kiosk-agent records purge', { timeout: 3 * CLI_TIMEOUT_MS }, () => {
  /** "  checkins      1" lines → { checkins: 1 } */
  const counts = (stdout: string) => Object.fromEntries([...stdout.matchAll(/^ {2}(\S+) +(\d+)$/gm)].map((m) => [m[1], Number(m[2])]));

  it('--dry-run reports the old rows and keeps them; without it they are gone and recent ones stay', async () => {
    const db = openDatabase(agentDbFile(data.path));
    const store = createCheckInStore(db);
    for (const [sessionId, ageDays] of [
      ['old-1', 120],
      ['recent-1', 1],
    ] as const) {
      const at = new Date(Date.now() - ageDays * DAY_MS);
      store.beginCheckIn({ sessionId, startedAt: at, origin: 'card' });
      expect(store.completeCheckIn(sessionId, { at, newPatient: false }).ok).toBe(true);
    }
    db.close();
    const sessions = () => readCheckIns(agentDbFile(data.path)).map((r) => r.sessionId);

    const dry = await runCli(['records', 'purge', '--dry-run', '--data-dir', data.path]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Would purge records before \S+ \(90 days\):/);
    expect(counts(dry.stdout)).toMatchObject({ checkins: 1, checkin_queue: 1, consents: 0 });
    expect(sessions()).toEqual(['old-1', 'recent-1']);

    const real = await runCli(['records', 'purge', '--data-dir', data.path]);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^Purged records before \S+ \(90 days\):/);
    expect(counts(real.stdout)).toMatchObject({ checkins: 1, checkin_queue: 1 });
    expect(sessions()).toEqual(['recent-1']);
  });
});

describe('one agent per data folder (kiosk.lock)', { timeout: 4 * CLI_TIMEOUT_MS }, () => {
  it('a second agent on the folder exits 2 naming the first one’s pid; after a kill -9 the stale lock is taken over', async () => {
    const first = await spawnAgent({ dataDir: data.path });
    try {
      await expect(spawnAgent({ dataDir: data.path })).rejects.toThrow(
        new RegExp(
          `exited \\(2\\) before it was ready; stderr: kiosk-agent: the data folder ${data.path} is in use by the process with pid ${first.child.pid}`,
        ),
      );
    } finally {
      await first.kill9();
    }
    expect(JSON.parse(readFileSync(join(data.path, 'kiosk.lock'), 'utf8'))).toMatchObject({ pid: first.child.pid });
    const next = await spawnAgent({ dataDir: data.path });
    expect(JSON.parse(readFileSync(join(data.path, 'kiosk.lock'), 'utf8'))).toMatchObject({ pid: next.child.pid });
    await next.stop();
    expect(await next.exited).toBe(0); // its own shutdown, not the signal's default action (which leaves the lock)
    expect(existsSync(join(data.path, 'kiosk.lock'))).toBe(false);
  });
});

describe('a start that fails leaves the data folder free', () => {
  it('refused beyond loopback without TLS: the lock is gone, the next start on the folder works', async () => {
    await expect(startDemo({ port: 0, dataDir: data.path, host: '0.0.0.0', logger: silentLogger })).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0/);
    expect(lockState(data.path)).toEqual({ state: 'free' });
    const agent = await startDemo({ port: 0, dataDir: data.path, logger: silentLogger });
    await agent.close();
  });
});

describe('the agent never lingers broken', { timeout: 3 * CLI_TIMEOUT_MS }, () => {
  /** A test hook for node --import: on SIGUSR2 it throws (or rejects) in the running agent, with personal data in the message. */
  const hook = (kind: 'throw' | 'reject') => {
    const file = join(data.path, 'crash-hook.mjs');
    const raise = kind === 'throw' ? 'throw error' : 'Promise.reject(error)';
    writeFileSync(file, `process.on('SIGUSR2', () => setImmediate(() => { const error = new TypeError('山田太郎 12345678'); ${raise}; }));\n`);
    return file;
  };

  it.each(['throw', 'reject'] as const)('an uncaught error (%s): one fatal line without the message, exit 1, the lock released', async (kind) => {
    const agent = await spawnAgent({ dataDir: data.path, nodeArgs: ['--import', hook(kind)], logLevel: 'info' });
    agent.child.kill('SIGUSR2');
    expect(await agent.exited).toBe(1);
    const { stdout, stderr } = agent.output();
    const fatal = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.level === 60);
    expect(fatal).toEqual([
      expect.objectContaining({ event: 'crash', origin: kind === 'throw' ? 'uncaughtException' : 'unhandledRejection', errorType: 'TypeError' }),
    ]);
    expect(`${stdout}${stderr}`).not.toMatch(/山田|12345678/);
    expect(existsSync(join(data.path, 'kiosk.lock'))).toBe(false);
  });
});

describe('kiosk-agent backup and restore beside a running agent', { timeout: 6 * CLI_TIMEOUT_MS }, () => {
  const sessionsIn = (file: string) => readCheckIns(file).map((r) => r.sessionId);
  const seed = (sessionId: string) => {
    const db = openDatabase(agentDbFile(data.path));
    const store = createCheckInStore(db);
    store.beginCheckIn({ sessionId, startedAt: new Date(), origin: 'card' });
    db.close();
  };

  it('backs up while the agent runs; restore is refused until it stops, then brings the backup back', async () => {
    seed('before-backup');
    let agent = await spawnAgent({ dataDir: data.path });
    const copy = join(data.path, '..', `${data.path.split('/').pop()}-copy.sqlite`);
    try {
      expect(await runCli(['backup', '--data-dir', data.path, '--out', copy])).toMatchObject({ code: 0 });
      expect(sessionsIn(copy)).toEqual(['before-backup']);
      // The agent writes after the backup: a staff account.
      expect((await runCli(['staff', 'add', 'desk1', '--password-stdin', '--data-dir', data.path], 'a long enough password\n')).code).toBe(0);

      const refused = await runCli(['restore', '--from', copy, '--data-dir', data.path]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`in use by the process with pid ${agent.child.pid}`);
    } finally {
      await agent.stop();
    }
    const restored = await runCli(['restore', '--from', copy, '--data-dir', data.path]);
    expect(restored).toMatchObject({ code: 0, stdout: expect.stringContaining('The database it replaced is kept in') });
    expect((await runCli(['staff', 'list', '--data-dir', data.path])).stdout).not.toContain('desk1');
    agent = await spawnAgent({ dataDir: data.path });
    await agent.stop();
    expect(sessionsIn(agentDbFile(data.path))).toEqual(['before-backup']);
    rmSync(copy, { force: true });
  });

  it("deploy/myna-kiosk-backup.service's command runs as written (paths moved to temp folders)", async () => {
    seed('s1');
    const unit = readFileSync(join(REPO_ROOT, 'deploy/myna-kiosk-backup.service'), 'utf8');
    const exec = /^ExecStart=\/usr\/bin\/node \/opt\/myna-kiosk\/agent\/bin\/kiosk-agent\.js (.+)$/m.exec(unit);
    expect(exec).not.toBeNull();
    const backups = join(data.path, 'backups');
    const args = exec![1]!.replaceAll('/var/lib/myna-kiosk', data.path).replaceAll('/var/backups/myna-kiosk', backups).split(' ');
    const r = await runCli(args);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(backups)).toEqual([expect.stringMatching(/^kiosk-\d{4}-\d{2}-\d{2}\.sqlite$/)]);
  });
});
