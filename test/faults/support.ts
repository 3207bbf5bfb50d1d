/**
 * Helpers for the fault suite: the agent CLI as a child process (so it can be SIGKILLed), temp
 * folders, and a read-only look at the agent's records.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { DayCheckIn } from '@kiosk/agent/storage/records.ts';
import { REPO_ROOT } from '../realstack/support.ts';

export { realstackDescribe } from '../realstack/support.ts';

/** Generous: the compiled agent starts in well under a second, but a saturated 2-core runner can stretch it to tens. */
const START_TIMEOUT_MS = 60_000;
/** For tests that restart the agent: two starts plus the check-ins around them. */
export const RESTART_TEST_TIMEOUT_MS = 400_000;

export interface AgentProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit signal/code once the process is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** SIGKILL and wait until the process is gone (no cleanup, like a power cut of the process). */
  kill9(): Promise<void>;
  /** SIGTERM: the agent's own orderly shutdown. */
  stop(): Promise<void>;
  /** What the process printed so far. */
  output(): { stdout: string; stderr: string };
}

/**
 * Starts the demonstration agent (`kiosk-mock demo`, the agent's start options on the mock reader) on the given data folder and resolves once it prints "listening on".
 * Pass the port of a previous run to restart on the same address, as a real kiosk expects.
 */
export function spawnAgent(options: {
  dataDir: string;
  port?: number;
  args?: string[];
  /** Options for node itself, before the script (e.g. --import of a test hook). */
  nodeArgs?: string[];
  logLevel?: string;
}): Promise<AgentProcess> {
  const args = [
    ...(options.nodeArgs ?? []),
    join(REPO_ROOT, 'mocks/bin/kiosk-mock.js'),
    'demo',
    '--port',
    String(options.port ?? 0),
    '--data-dir',
    options.dataDir,
    '--log-level',
    options.logLevel ?? 'silent',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stdout = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`agent did not start within ${START_TIMEOUT_MS / 1000} s; stderr: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1]!;
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        exited,
        async kill9() {
          child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
        output: () => ({ stdout, stderr }),
      });
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`agent exited (${String(how)}) before it was ready; stderr: ${stderr}`));
    });
  });
}

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `kiosk-faults-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export type CheckInRow = Pick<DayCheckIn, 'sessionId' | 'status' | 'interrupted' | 'queueNumber' | 'staffReason' | 'endReason'>;

/** The check-in rows of an agent database, read through a separate read-only connection. */
export function readCheckIns(dbFile: string): CheckInRow[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT session_id, status, interrupted, queue_number, staff_reason, end_reason FROM checkins ORDER BY started_at, session_id')
      .all() as {
      session_id: string;
      status: CheckInRow['status'];
      interrupted: number;
      queue_number: number | null;
      staff_reason: CheckInRow['staffReason'];
      end_reason: string | null;
    }[];
    return rows.map((r) => ({
      sessionId: r.session_id,
      status: r.status,
      interrupted: r.interrupted === 1,
      queueNumber: r.queue_number,
      staffReason: r.staff_reason,
      endReason: r.end_reason,
    }));
  } finally {
    db.close();
  }
}

export const agentDbFile = (dataDir: string): string => join(dataDir, 'kiosk.sqlite');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * What must survive any kill: every check-in whose queue number the kiosk showed is completed with that
 * number, none is left in progress, and no number was issued twice. Returns the rows for further checks.
 */
export function expectAcknowledgedKept(dataDir: string, acknowledged: ReadonlyMap<string, number>): CheckInRow[] {
  const rows = readCheckIns(agentDbFile(dataDir));
  for (const [sessionId, queueNumber] of acknowledged) {
    expect(
      rows.find((r) => r.sessionId === sessionId),
      `acknowledged ${sessionId}`,
    ).toMatchObject({ status: 'completed', queueNumber });
  }
  expect(rows.filter((r) => r.status === 'in-progress')).toEqual([]);
  const numbers = rows.flatMap((r) => (r.queueNumber === null ? [] : [r.queueNumber]));
  expect(new Set(numbers).size).toBe(numbers.length);
  return rows;
}
