/**
 * The agent's data folder: the database, the lock that says which agent uses the folder, and the note
 * of the last backup. One agent per folder: two writing the same records would hand out the same queue
 * numbers, and a restore under a running agent would be overwritten by it.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const DATABASE_FILE = 'kiosk.sqlite';
export const LOCK_FILE = 'kiosk.lock';
const LAST_BACKUP_FILE = 'last-backup.json';

export const databaseFile = (dataDir: string): string => join(dataDir, DATABASE_FILE);

const LockOwnerSchema = z.object({
  pid: z.number().int().positive(),
  since: z.string(),
  /** Linux: the boot and the process's start time, so a pid reused after a reboot or a crash is not taken for the agent. */
  bootId: z.string().optional(),
  startTime: z.string().optional(),
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;

/** free: no lock; held: a live process holds it; stale: its process is gone (or the file is unreadable), the next agent takes it over. */
export type LockState = { state: 'free' } | { state: 'held'; owner: LockOwner } | { state: 'stale'; owner?: LockOwner };

export interface DataFolderLock {
  readonly file: string;
  /** Removes the lock (only while it is still this process's). Also done when the process exits. */
  release(): void;
}

export type LockResult = { ok: true; lock: DataFolderLock } | { ok: false; heldBy: LockOwner };

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const bootId = (): string | undefined => readText('/proc/sys/kernel/random/boot_id')?.trim();

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot); the command name before it may hold spaces. */
function startTimeOf(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function alive(owner: LockOwner): boolean {
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists under another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTime = startTimeOf(owner.pid);
  return !(owner.startTime && startTime && owner.startTime !== startTime);
}

export function lockState(dataDir: string): LockState {
  const text = readText(join(dataDir, LOCK_FILE));
  if (text === undefined) return { state: 'free' };
  let owner: LockOwner | undefined;
  try {
    const parsed = LockOwnerSchema.safeParse(JSON.parse(text));
    if (parsed.success) owner = parsed.data;
  } catch {
    // A lock cut short by a power cut: nobody can be holding it.
  }
  if (!owner) return { state: 'stale' };
  return alive(owner) ? { state: 'held', owner } : { state: 'stale', owner };
}

/**
 * Takes the data folder for this process: creates kiosk.lock with this pid, or takes over a stale one.
 * Refused while another live process (or this one) holds it.
 */
export function acquireDataFolderLock(dataDir: string, now: Date = new Date()): LockResult {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const boot = bootId();
  const startTime = startTimeOf(process.pid);
  const owner: LockOwner = { pid: process.pid, since: now.toISOString(), ...(boot ? { bootId: boot } : {}), ...(startTime ? { startTime } : {}) };
  for (;;) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const state = lockState(dataDir);
      if (state.state === 'held') return { ok: false, heldBy: state.owner };
      // Stale: the process that wrote it is gone. Removed and created again with 'wx', so of two agents
      // starting at once only one gets it.
      try {
        unlinkSync(file);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(owner)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    break;
  }
  const release = () => {
    process.off('exit', release);
    const current = lockState(dataDir);
    if (current.state !== 'free' && current.owner?.pid === process.pid) unlinkSync(file);
  };
  // process.exit() (the crash handler, a signal's shutdown) runs no finally blocks: the lock goes with the process.
  process.on('exit', release);
  return { ok: true, lock: { file, release } };
}

/** What an operator reads when a second agent (or a restore) finds the folder taken. */
export function inUseMessage(dataDir: string, owner: LockOwner): string {
  return `the data folder ${dataDir} is in use by the process with pid ${owner.pid} (since ${owner.since}; ${join(dataDir, LOCK_FILE)}): stop that agent first (systemctl stop myna-kiosk-agent)`;
}

/** startAgent's refusal when the data folder is taken; `kiosk-agent start` exits 2 with its message. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(inUseMessage(dataDir, owner));
    this.name = 'DataFolderInUseError';
  }
}

/**
 * Why this process must not open the folder's database, if it must not: it runs as another user than the
 * folder's owner. SQLite creates the -wal and -shm files as whoever opens the database, and files root
 * left there cannot be written by the agent's user: the agent would then fail to start.
 */
export function foreignUser(dataDir: string): string | undefined {
  const uid = process.getuid?.();
  let owner: number;
  try {
    owner = statSync(dataDir).uid;
  } catch {
    return undefined;
  }
  if (uid === undefined || uid === owner) return undefined;
  return `this process runs as uid ${uid}, the data folder ${dataDir} belongs to uid ${owner}: run it as the folder's owner (sudo -u myna-kiosk ...)`;
}

const LastBackupSchema = z.object({ at: z.string(), file: z.string() });
export type LastBackup = z.infer<typeof LastBackupSchema>;

/** Notes the backup just made, for `kiosk-agent doctor` (written whole, then renamed into place). */
export function recordLastBackup(dataDir: string, backup: LastBackup): void {
  const file = join(dataDir, LAST_BACKUP_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(backup)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export function readLastBackup(dataDir: string): LastBackup | undefined {
  const text = readText(join(dataDir, LAST_BACKUP_FILE));
  if (text === undefined) return undefined;
  try {
    const parsed = LastBackupSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
