/**
 * The kiosk browser dropping its connection mid-check-in, and a second kiosk tab open on the same
 * agent. The agent owns the session: a client that (re)connects gets the full snapshot at once and
 * continues the same session; two tabs see and drive one session, never two.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive, TEST_PIN } from '../support/drive.ts';
import { readCheckIns, agentDbFile, tempDir } from './support.ts';

const data = tempDir('reconnect');
let agent: RunningAgent;

beforeAll(async () => {
  agent = await startDemo({ port: 0, dataDir: data.path, logger: silentLogger });
});
afterAll(async () => {
  await agent?.close();
  data.remove();
});
beforeEach(async (context) => {
  context.onTestFinished(async () => {
    const cleaner = await TestKiosk.connect(agent.url);
    await cleaner.command({ type: 'reset', reason: 'patient' });
    await playScenario(agent.url, 'remove-card');
    await cleaner.step('welcome');
    cleaner.close();
  });
});

const rowsOf = (sessionId: string) => readCheckIns(agentDbFile(data.path)).filter((r) => r.sessionId === sessionId);

describe('kiosk browser disconnect and reconnect', () => {
  it('restores the session from the snapshot after the socket drops at the PIN screen, and completes it once', async () => {
    const first = await TestKiosk.connect(agent.url);
    await playScenario(agent.url, 'pin-success');
    await drive(first, { auth: 'pin', until: ['pin'] });
    const before = first.latest!;
    first.close();

    const again = await TestKiosk.connect(agent.url);
    const restored = await again.waitFor(() => true);
    expect(restored).toMatchObject({ step: 'pin', sessionId: before.sessionId, auth: before.auth });
    expect(restored.seq).toBeGreaterThanOrEqual(before.seq);
    await drive(again, { auth: 'pin' });
    expect(again.latest).toMatchObject({ step: 'completed', sessionId: before.sessionId });
    expect(rowsOf(before.sessionId!)).toEqual([expect.objectContaining({ status: 'completed', queueNumber: again.latest!.queueNumber })]);
    again.close();
  });

  it('keeps the session when the browser drops at welcome and a card is placed while it is away', async () => {
    const first = await TestKiosk.connect(agent.url);
    await first.step('welcome');
    first.close();
    await playScenario(agent.url, 'pin-success');
    const again = await TestKiosk.connect(agent.url);
    const seen = await again.waitFor((s) => s.step === 'choose-auth');
    expect(seen.sessionId).not.toBeNull();
    again.close();
  });
});

describe('a second kiosk tab', () => {
  it('shows the same session on both tabs; a command from either moves both; one check-in row', async () => {
    const tabA = await TestKiosk.connect(agent.url);
    const tabB = await TestKiosk.connect(agent.url);
    await playScenario(agent.url, 'pin-success');
    const atA = await tabA.step('choose-auth');
    const atB = await tabB.step('choose-auth');
    expect(atB.sessionId).toBe(atA.sessionId);

    // Tab B chooses, tab A enters the PIN: still one session.
    expect((await tabB.command({ type: 'choose-auth', method: 'pin' })).ok).toBe(true);
    await tabA.step('pin');
    expect((await tabA.command({ type: 'submit-pin', pin: TEST_PIN })).ok).toBe(true);
    // The same PIN answer from the other tab after it was used is refused, not a second session.
    const late = await tabB.command({ type: 'submit-pin', pin: TEST_PIN });
    expect(late.ok).toBe(false);
    await drive(tabB, { auth: 'pin' });
    const done = await tabA.step('completed');
    expect(done.sessionId).toBe(atA.sessionId);
    expect(tabB.latest?.queueNumber).toBe(done.queueNumber);

    const sessions = new Set([...tabA.snapshots, ...tabB.snapshots].map((s) => s.sessionId).filter((id) => id !== null));
    expect([...sessions]).toEqual([atA.sessionId]);
    expect(rowsOf(atA.sessionId!)).toEqual([expect.objectContaining({ status: 'completed' })]);
    const completedEvents = [...tabA.events, ...tabB.events].filter((e) => e.type === 'completed');
    expect(completedEvents).toHaveLength(2); // one event, delivered to each tab
    tabA.close();
    tabB.close();
  });

  it('a "no card" pressed on two tabs at once begins one session', async () => {
    await playScenario(agent.url, 'face-success');
    const tabA = await TestKiosk.connect(agent.url);
    const tabB = await TestKiosk.connect(agent.url);
    // The card of face-success starts a session by itself; reset to welcome with the card off first.
    await tabA.command({ type: 'reset', reason: 'patient' });
    await playScenario(agent.url, 'remove-card');
    await tabA.step('welcome');
    const replies = await Promise.all([tabA.command({ type: 'manual-path' }), tabB.command({ type: 'manual-path' })]);
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    const a = await tabA.waitFor((s) => s.sessionId !== null);
    const b = await tabB.waitFor((s) => s.sessionId !== null);
    expect(b.sessionId).toBe(a.sessionId);
    const all = readCheckIns(agentDbFile(data.path));
    expect(all.filter((r) => r.status === 'in-progress').map((r) => r.sessionId)).toEqual([a.sessionId]);
    tabA.close();
    tabB.close();
  });
});
