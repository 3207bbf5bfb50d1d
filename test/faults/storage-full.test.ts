/**
 * The data folder fills up (or stops taking writes) while the kiosk is in use. The agent must never
 * show a queue number it did not store: a failed write routes the patient to staff with reason
 * 'storage-unavailable' (error STORAGE_UNAVAILABLE), new check-ins are refused the same way, the staff
 * board raises the alert, and the check-ins stored before the failure are intact.
 *
 * The disk really fills: the data folder is a 1 MiB tmpfs (needs root/CAP_SYS_ADMIN; this sandbox and
 * CI run as root). Where mounting is impossible the test falls back to PRAGMA query_only on the agent's
 * own connection, which makes every write fail with SQLITE_READONLY; it says which one it used.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { systemClock } from '@kiosk/agent/clock.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createStaffBoard, type StaffBoardModel } from '@kiosk/agent/staff/board.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { agentDbFile, readCheckIns, tempDir } from './support.ts';

const root = tempDir('storage');
const dataDir = join(root.path, 'data');
let mounted = false;
let agent: RunningAgent;
let board: StaffBoardModel;
const filler = join(dataDir, 'filler.bin');

function tryMountTmpfs(): boolean {
  mkdirSync(dataDir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dataDir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Makes the next writes fail: fills the tmpfs to the last byte, or switches the connection to query-only. */
function breakStorage(): void {
  if (!mounted) {
    agent.db.pragma('query_only = ON');
    return;
  }
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0xa5);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  // Less than a chunk may be left: fill it byte-wise-ish until nothing at all fits.
  for (const size of [4096, 512, 1]) {
    try {
      for (;;) writeSync(fd, chunk.subarray(0, size));
    } catch {
      // ENOSPC at this size; try smaller.
    }
  }
  closeSync(fd);
}

function repairStorage(): void {
  if (mounted) rmSync(filler, { force: true });
  else agent.db.pragma('query_only = OFF');
}

beforeAll(async () => {
  mounted = tryMountTmpfs();
  console.warn(
    `[faults] storage failure simulated by ${mounted ? 'a full 1 MiB tmpfs (SQLITE_FULL)' : 'PRAGMA query_only (SQLITE_READONLY): tmpfs mount not permitted'}`,
  );
  agent = await startDemo({ port: 0, dataDir, logger: silentLogger });
  // The board migrates its own table: create it while writes still work, as the agent does at start.
  board = createStaffBoard({ flow: agent.flow, db: agent.db, clock: systemClock });
});
afterAll(async () => {
  board?.close();
  await agent?.close();
  if (mounted) execFileSync('umount', ['-l', dataDir]);
  root.remove();
});

async function resetKiosk(kiosk: TestKiosk): Promise<void> {
  await kiosk.command({ type: 'reset', reason: 'patient' });
  await playScenario(agent.url, 'remove-card');
  await kiosk.step('welcome');
}

describe('storage unavailable (disk full / read-only)', () => {
  const acknowledged: { sessionId: string; queueNumber: number }[] = [];

  it('stores check-ins while the disk has room', async () => {
    const kiosk = await TestKiosk.connect(agent.url);
    for (let i = 0; i < 2; i++) {
      await playScenario(agent.url, 'pin-success');
      await drive(kiosk, { auth: 'pin' });
      acknowledged.push({ sessionId: kiosk.latest!.sessionId!, queueNumber: kiosk.latest!.queueNumber! });
      await resetKiosk(kiosk);
    }
    kiosk.close();
    expect(acknowledged.map((a) => a.queueNumber)).toEqual([1, 2]);
  });

  it('a session in progress when the disk fills goes to staff without a queue number', async () => {
    const kiosk = await TestKiosk.connect(agent.url);
    await playScenario(agent.url, 'pin-success');
    await drive(kiosk, { auth: 'pin', until: ['result'] });
    breakStorage();
    await drive(kiosk, { auth: 'pin', until: ['staff', 'completed'] });
    expect(kiosk.latest).toMatchObject({ step: 'staff', staff: { reason: 'storage-unavailable' }, error: { code: 'STORAGE_UNAVAILABLE' } });
    expect(kiosk.latest?.queueNumber).toBeUndefined();
    expect(kiosk.events.some((e) => e.type === 'completed')).toBe(false);
    expect(board.board().alerts).toContainEqual(expect.objectContaining({ kind: 'storage-unavailable', sessionId: kiosk.latest!.sessionId, live: true }));
    await resetKiosk(kiosk);
    kiosk.close();
  });

  it('refuses a new check-in with the storage-unavailable staff route, and keeps serving', async () => {
    const kiosk = await TestKiosk.connect(agent.url);
    await playScenario(agent.url, 'pin-success');
    const routed = await kiosk.waitFor((s) => s.step === 'staff' || s.step === 'choose-auth');
    expect(routed).toMatchObject({ step: 'staff', staff: { reason: 'storage-unavailable' }, error: { code: 'STORAGE_UNAVAILABLE' } });
    expect(board.board().alerts).toContainEqual(expect.objectContaining({ kind: 'storage-unavailable', sessionId: routed.sessionId }));
    expect((await fetch(`${agent.url}/healthz`)).ok).toBe(true);
    await resetKiosk(kiosk);
    kiosk.close();
  });

  it('takes check-ins again once space is freed; the rows stored before the failure are intact', async () => {
    repairStorage();
    const kiosk = await TestKiosk.connect(agent.url);
    await playScenario(agent.url, 'pin-success');
    await drive(kiosk, { auth: 'pin' });
    expect(kiosk.latest?.queueNumber).toBe(3);
    acknowledged.push({ sessionId: kiosk.latest!.sessionId!, queueNumber: 3 });
    await resetKiosk(kiosk);
    kiosk.close();

    const rows = readCheckIns(agentDbFile(dataDir));
    for (const a of acknowledged) expect(rows.find((r) => r.sessionId === a.sessionId)).toMatchObject({ status: 'completed', queueNumber: a.queueNumber });
    expect(rows.filter((r) => r.status === 'completed')).toHaveLength(acknowledged.length);
  });
});
