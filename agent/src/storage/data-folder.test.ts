import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataFolderLock, LOCK_FILE, lockState, readLastBackup, recordLastBackup, type LockOwner } from './data-folder.ts';

let dir: string;
const releases: (() => void)[] = [];
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-lock-'));
});
afterEach(() => {
  for (const release of releases.splice(0)) release();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const take = () => {
  const taken = acquireDataFolderLock(dir);
  if (taken.ok) releases.push(taken.lock.release);
  return taken;
};
const writeLock = (owner: Partial<LockOwner>) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ since: '2026-01-01T00:00:00.000Z', ...owner }));
const lockPid = () => (JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockOwner).pid;
/** A pid that no process has any more. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;
/** A live process that is not this one. */
const liveChild = () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
};

describe('the data folder lock (kiosk.lock)', () => {
  it('is taken with this pid, refused to a second taker naming the holder, and free again once released', () => {
    const first = take();
    expect(first.ok).toBe(true);
    expect(lockPid()).toBe(process.pid);
    expect(lockState(dir)).toMatchObject({ state: 'held', owner: { pid: process.pid } });

    expect(take()).toEqual({ ok: false, heldBy: expect.objectContaining({ pid: process.pid }) });

    releases.pop()!();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(lockState(dir)).toEqual({ state: 'free' });
    expect(take().ok).toBe(true);
  });

  it('another live process holding it: refused, naming that pid; the lock is left alone', () => {
    const pid = liveChild();
    writeLock({ pid });
    expect(take()).toEqual({ ok: false, heldBy: expect.objectContaining({ pid }) });
    expect(lockPid()).toBe(pid);
  });

  it('a stale lock (its process is dead) is taken over', () => {
    const pid = deadPid();
    writeLock({ pid });
    expect(lockState(dir)).toMatchObject({ state: 'stale', owner: { pid } });
    expect(take().ok).toBe(true);
    expect(lockPid()).toBe(process.pid);
  });

  it('a lock cut short (not JSON) is stale and taken over', () => {
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    expect(lockState(dir)).toEqual({ state: 'stale' });
    expect(take().ok).toBe(true);
  });

  it.runIf(existsSync('/proc/self/stat'))(
    'a live pid that is another process than the one that wrote the lock (reused after a crash or a reboot) is stale',
    () => {
      // pid 1 is alive, but the lock says it was written in another boot…
      writeLock({ pid: 1, bootId: 'another-boot' });
      expect(lockState(dir)).toMatchObject({ state: 'stale' });
      // …this process is alive, but the lock's process started at another time.
      writeLock({ pid: process.pid, startTime: '1' });
      expect(lockState(dir)).toMatchObject({ state: 'stale' });
      expect(take().ok).toBe(true);
    },
  );

  it('goes with the process when it exits without releasing it (process.exit, as the crash handler does)', () => {
    const script = `import { acquireDataFolderLock } from ${JSON.stringify(new URL('./data-folder.ts', import.meta.url).pathname)};
      const taken = acquireDataFolderLock(${JSON.stringify(dir)});
      process.stdout.write(String(taken.ok));
      process.exit(3);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: child.status, stdout: child.stdout }).toEqual({ status: 3, stdout: 'true' });
    expect(lockState(dir)).toEqual({ state: 'free' });
  });
});

describe('the last backup note', () => {
  it('is read back as written; none or a damaged one reads as no backup', () => {
    expect(readLastBackup(dir)).toBeUndefined();
    recordLastBackup(dir, { at: '2026-03-01T18:30:00.000Z', file: '/var/backups/myna-kiosk/kiosk-2026-03-02.sqlite' });
    expect(readLastBackup(dir)).toEqual({ at: '2026-03-01T18:30:00.000Z', file: '/var/backups/myna-kiosk/kiosk-2026-03-02.sqlite' });
    writeFileSync(join(dir, 'last-backup.json'), '{"at":');
    expect(readLastBackup(dir)).toBeUndefined();
  });
});
