/**
 * The 資格確認端末's face folder misbehaving, at the agent level: the whole agent on the oqs driver,
 * temp folders, and the mock terminal writing the files. What the kiosk and staff see, and that
 * nothing crashes:
 * - a face result in Shift_JIS, and one written slowly in pieces (adopted only once complete);
 * - malformed, binary and oversized files: rejected with a driver error, no session disturbed;
 * - the face folder gone (share unmounted: simulated by renaming it) and back, idle and mid-session;
 * - a burst of 100 face files with nobody at the kiosk: 100 walk-ins for staff, kiosk untouched.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '@kiosk/agent/app.ts';
import { systemClock } from '@kiosk/agent/clock.ts';
import type { OqsDriver } from '@kiosk/agent/drivers/oqs/index.ts';
import type { DriverEvent } from '@kiosk/agent/flow/ports.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createStaffBoard, type StaffBoardModel } from '@kiosk/agent/staff/board.ts';
import { INSTITUTION_CODE } from '@kiosk/mocks/terminal/fixtures.ts';
import { startMockTerminal, type MockTerminal } from '@kiosk/mocks/terminal/terminal.ts';
import { TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { sleep, tempDir } from './support.ts';

const share = tempDir('oqs-share');
const data = tempDir('oqs-data');
let terminal: MockTerminal;
let agent: RunningAgent;
let board: StaffBoardModel;
const driverEvents: DriverEvent[] = [];
/** Folder checks run every 2 s by default: everything below waits in that rhythm. */
const FOLDER_TIMEOUT_MS = 15_000;

const oqs = () => agent.driver as OqsDriver;

async function until(check: () => boolean, label: string, timeoutMs = FOLDER_TIMEOUT_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await sleep(50);
  }
}

/** A patient presses start, the terminal writes the face result; the check-in runs to completion. */
async function faceCheckIn(write: () => Promise<string>): Promise<TestKiosk> {
  const kiosk = await TestKiosk.connect(agent.url);
  await kiosk.step('welcome', FOLDER_TIMEOUT_MS);
  expect((await kiosk.command({ type: 'start' })).ok).toBe(true);
  await kiosk.step('face');
  // The terminal stamps results to the second; one from the session's own second is ambiguous and goes
  // to staff review (binding rule "same-second"). A real face authentication takes seconds anyway.
  await sleep(1100);
  await write();
  await drive(kiosk, { auth: 'face', until: ['completed', 'staff', 'error', 'fallback'] });
  return kiosk;
}

beforeAll(async () => {
  terminal = await startMockTerminal({ dir: share.path, delayMs: 20, pollMs: 50 });
  agent = await startAgent({
    port: 0,
    driver: 'oqs',
    dataDir: data.path,
    logger: silentLogger,
    oqs: { faceDir: terminal.faceDir, reqDir: terminal.reqDir, resDir: terminal.resDir, institutionCode: INSTITUTION_CODE },
  });
  agent.driver.subscribe((e) => driverEvents.push(e));
  board = createStaffBoard({ flow: agent.flow, db: agent.db, clock: systemClock });
});
afterAll(async () => {
  board?.close();
  await agent?.close();
  await terminal?.stop();
  share.remove();
  data.remove();
});

describe('資格確認端末 face folder faults (oqs driver)', () => {
  it('reads a face result written in Shift_JIS', async () => {
    const kiosk = await faceCheckIn(() => terminal.writeFace('shift-jis'));
    expect(kiosk.latest?.step).toBe('completed');
    expect(kiosk.events).toContainEqual(expect.objectContaining({ type: 'eligibility', outcome: 'valid', source: 'face' }));
    await kiosk.command({ type: 'reset', reason: 'completed' });
    kiosk.close();
  });

  it('adopts a slowly written file only once complete: no parse error on the partial file', async () => {
    const errorsBefore = driverEvents.filter((e) => e.type === 'error').length;
    const kiosk = await faceCheckIn(() => terminal.writeFace('shaho-family', { slowly: true, pieceDelayMs: 250 }));
    expect(kiosk.latest?.step).toBe('completed');
    expect(driverEvents.filter((e) => e.type === 'error').length).toBe(errorsBefore);
    await kiosk.command({ type: 'reset', reason: 'completed' });
    kiosk.close();
  });

  it('rejects malformed, binary and oversized files with a driver error, and keeps serving', async () => {
    const kiosk = await TestKiosk.connect(agent.url);
    await kiosk.step('welcome');
    const errorsBefore = driverEvents.filter((e) => e.type === 'error').length;
    await writeFile(
      join(terminal.faceDir, 'OQSsiquc01res_face_truncated_20250101090000.xml'),
      '<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader><ProcessExecutionTime>2025',
    );
    await writeFile(
      join(terminal.faceDir, 'OQSsiquc01res_face_binary_20250101090001.xml'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)),
    );
    await writeFile(
      join(terminal.faceDir, 'OQSsiquc01res_face_huge_20250101090002.xml'),
      `<?xml version="1.0" encoding="UTF-8"?><XmlMsg>${'<x>あ</x>'.repeat(200_000)}</XmlMsg>`,
    );
    await until(() => driverEvents.filter((e) => e.type === 'error').length >= errorsBefore + 3, 'three rejections');
    const rejected = driverEvents.filter((e) => e.type === 'error').slice(errorsBefore);
    for (const e of rejected) if (e.type === 'error') expect(e.error.code).toMatch(/^OQS_|^INPUT_/);
    expect(kiosk.latest).toMatchObject({ step: 'welcome', sessionId: null });
    expect((await fetch(`${agent.url}/healthz`)).ok).toBe(true);
    kiosk.close();

    // The next patient is not affected, and the rejected files are not retried forever.
    const next = await faceCheckIn(() => terminal.writeFace('shaho-family'));
    expect(next.latest?.step).toBe('completed');
    await next.command({ type: 'reset', reason: 'completed' });
    next.close();
    expect(driverEvents.filter((e) => e.type === 'error').length).toBe(errorsBefore + 3);
  });

  it('the face folder disappearing sends the kiosk to the manual path and staff see terminal-down; it comes back to welcome', async () => {
    const kiosk = await TestKiosk.connect(agent.url);
    await kiosk.step('welcome');
    const away = `${terminal.faceDir}.unmounted`;
    await rename(terminal.faceDir, away);
    const down = await kiosk.waitFor((s) => s.step === 'fallback', FOLDER_TIMEOUT_MS);
    expect(down).toMatchObject({ fallback: { reason: 'oqs-unavailable' }, reader: { driver: 'oqs', service: 'unavailable' } });
    expect(board.board().alerts).toContainEqual(expect.objectContaining({ id: 'system:terminal-down', kind: 'terminal-down' }));
    // The patient can still check in by the manual path while the terminal is away.
    expect((await kiosk.command({ type: 'manual-path' })).ok).toBe(true);
    await kiosk.waitFor((s) => s.sessionId !== null && s.fallback?.reason === 'oqs-unavailable');
    await kiosk.command({ type: 'reset', reason: 'patient' });

    await rename(away, terminal.faceDir);
    const back = await kiosk.waitFor((s) => s.step === 'welcome' && s.reader.service === 'ok', FOLDER_TIMEOUT_MS);
    expect(back.notices).toContain('reader-restored');
    expect(board.board().alerts.some((a) => a.kind === 'terminal-down')).toBe(false);
    kiosk.close();
  });

  it('the face folder disappearing while a patient waits for the face result: manual path, then welcome', async () => {
    const kiosk = await TestKiosk.connect(agent.url);
    await kiosk.step('welcome');
    await kiosk.command({ type: 'start' });
    const waiting = await kiosk.step('face');
    const away = `${terminal.faceDir}.unmounted`;
    await rename(terminal.faceDir, away);
    const down = await kiosk.waitFor((s) => s.step === 'fallback', FOLDER_TIMEOUT_MS);
    expect(down.fallback?.reason).toBe('oqs-unavailable');
    expect(down.sessionId).not.toBe(waiting.sessionId);
    await rename(away, terminal.faceDir);
    await kiosk.waitFor((s) => s.step === 'welcome', FOLDER_TIMEOUT_MS);
    kiosk.close();
  });

  it('a burst of 100 face files with nobody at the kiosk: 100 walk-ins for staff, the kiosk stays at welcome', async () => {
    const kiosk = await TestKiosk.connect(agent.url);
    await kiosk.step('welcome');
    const before = oqs().staff.list().length;
    const names = await Promise.all(Array.from({ length: 100 }, (_, i) => terminal.writeFace(i % 2 === 0 ? 'shaho-family' : 'shift-jis')));
    expect(new Set(names).size).toBe(100);
    await until(() => oqs().staff.list().length >= before + 100, '100 walk-ins', 60_000);
    const items = oqs().staff.list().slice(-100);
    expect(items.every((item) => item.kind === 'walk-in')).toBe(true);
    expect(new Set(items.map((item) => item.fileName))).toEqual(new Set(names));
    expect(kiosk.latest).toMatchObject({ step: 'welcome', sessionId: null });
    expect((await fetch(`${agent.url}/healthz`)).ok).toBe(true);
    kiosk.close();
  });
});
