/**
 * The agent process killed with SIGKILL in the middle of check-ins, then restarted on the same data
 * folder and port. What must hold after every kill:
 * - every check-in acknowledged to the kiosk (completed, with a queue number) is still in the records;
 * - the session that was cut off is marked interrupted (status 'interrupted', interrupted = 1) and the
 *   staff board shows an 'agent-restarted' alert for it;
 * - the kiosk reconnects by itself and lands on welcome: the flow does not resume a half-done session
 *   (the card must be read again), queue numbers continue without reuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { FlowSnapshot } from '@kiosk/protocol';
import { systemClock } from '@kiosk/agent/clock.ts';
import { createStaffBoard } from '@kiosk/agent/staff/board.ts';
import { createFakeFlow } from '@kiosk/agent/staff/staff.test-support.ts';
import { openDatabase } from '@kiosk/agent/storage/db.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { checkInWithPin, drive } from '../support/drive.ts';
import { agentDbFile, expectAcknowledgedKept, RESTART_TEST_TIMEOUT_MS, spawnAgent, tempDir, type AgentProcess } from './support.ts';

const data = tempDir('kill');
let agent: AgentProcess | undefined;
/** Queue numbers the kiosk was shown, by session: the acknowledged check-ins. */
const acknowledged = new Map<string, number>();
/** Sessions that were in progress when the agent was killed. */
const cutOff: string[] = [];

async function completeOne(url: string): Promise<void> {
  const kiosk = await TestKiosk.connect(url);
  await checkInWithPin(kiosk, url, (sessionId, queueNumber) => acknowledged.set(sessionId, queueNumber));
  await kiosk.step('welcome');
  kiosk.close();
}

/** Drives a check-in to `step`, then kills the agent without warning. */
async function killAt(step: FlowSnapshot['step']): Promise<void> {
  const kiosk = await TestKiosk.connect(agent!.url);
  await playScenario(agent!.url, 'pin-success');
  await drive(kiosk, { auth: 'pin', until: [step] });
  expect(kiosk.latest?.step).toBe(step);
  cutOff.push(kiosk.latest!.sessionId!);
  await agent!.kill9();
  kiosk.close();
}

/** Restarts on the same folder and port; a reconnecting kiosk (as the UI is) must come back by itself. */
async function restart(): Promise<FlowSnapshot> {
  const port = agent!.port;
  const url = agent!.url;
  const kiosk = io(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 300 });
  const connects: number[] = [];
  kiosk.on('connect', () => connects.push(Date.now()));
  const snapshotAfterRestart = new Promise<FlowSnapshot>((resolve) => {
    kiosk.on('flow:snapshot', (s: FlowSnapshot) => {
      if (connects.length > 0) resolve(s);
    });
  });
  agent = await spawnAgent({ dataDir: data.path, port });
  const first = await snapshotAfterRestart;
  kiosk.close();
  return first;
}

function assertRecords(): void {
  const rows = expectAcknowledgedKept(data.path, acknowledged);
  for (const sessionId of cutOff) {
    expect(
      rows.find((r) => r.sessionId === sessionId),
      `cut off ${sessionId}`,
    ).toMatchObject({ status: 'interrupted', interrupted: true, endReason: 'agent-restarted' });
  }
}

beforeAll(async () => {
  agent = await spawnAgent({ dataDir: data.path });
}, RESTART_TEST_TIMEOUT_MS);
afterAll(async () => {
  await agent?.stop();
  data.remove();
});

describe('agent killed with SIGKILL during a check-in', { timeout: RESTART_TEST_TIMEOUT_MS }, () => {
  it('at choose-auth (session begun, nothing read yet): completed rows kept, the session interrupted, kiosk back at welcome', async () => {
    await completeOne(agent!.url);
    await completeOne(agent!.url);
    await killAt('choose-auth');
    const first = await restart();
    expect(first).toMatchObject({ step: 'welcome', sessionId: null });
    assertRecords();
  });

  it('at the result screen (eligibility answered, not yet completed)', async () => {
    await killAt('result');
    expect((await restart()).step).toBe('welcome');
    assertRecords();
  });

  it('right after the queue number was shown: the acknowledged check-in survives', async () => {
    const kiosk = await TestKiosk.connect(agent!.url);
    await playScenario(agent!.url, 'pin-success');
    await drive(kiosk, { auth: 'pin' });
    acknowledged.set(kiosk.latest!.sessionId!, kiosk.latest!.queueNumber!);
    await agent!.kill9();
    kiosk.close();
    expect((await restart()).step).toBe('welcome');
    assertRecords();
    // Numbering continues after the restarts without reusing a number.
    await completeOne(agent!.url);
    assertRecords();
    expect(Math.max(...acknowledged.values())).toBe(acknowledged.size);
  });

  it('staff see one agent-restarted alert per interrupted session', async () => {
    await agent!.stop();
    agent = undefined;
    const db = openDatabase(agentDbFile(data.path));
    const board = createStaffBoard({ flow: createFakeFlow(), db, clock: systemClock });
    try {
      const alerts = board.board().alerts.filter((a) => a.kind === 'agent-restarted');
      expect(alerts.map((a) => a.sessionId).sort()).toEqual([...cutOff].sort());
      expect(alerts.every((a) => a.actions.includes('dismiss'))).toBe(true);
    } finally {
      board.close();
      db.close();
    }
  });
});
