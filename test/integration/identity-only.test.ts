/**
 * The honest card path end to end: a card and its PIN prove who the patient is, no source answers for
 * the certificate, so the desk confirms the insurance (資格情報のお知らせ + 一件照会 through the terminal) from
 * the alert, and the patient gets one queue number — on the kiosk while still there — and never two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffBoard } from '@kiosk/protocol';
import { startAgent, type RunningAgent } from '@kiosk/agent/app.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import { createDemoSetup } from '@kiosk/mocks/demo/index.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { StaffClient, STAFF_PASSWORD, STAFF_USER, TERMINAL_1234 } from '../support/staff-harness.ts';

const oshirase = (sessionId: string) => ({
  sessionId,
  documents: ['myna_card', 'shikaku_joho_oshirase'],
  insurerNumber: '06139984',
  number: '1234',
  birthDate: '1980-04-01',
  lookup: true,
});

let agent: RunningAgent;
let kiosk: TestKiosk;
let staff: StaffClient;

beforeAll(async () => {
  // The mock reader and virtual cards, but no certificate source: what a clinic on --driver pcsc+oqs has.
  const demo = await createDemoSetup();
  agent = await startAgent({ port: 0, dataDir: ':memory:', logger: silentLogger, driverSetup: { ...demo, eligibility: { insuranceNumbers: TERMINAL_1234 } } });
  await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, new Date());
  staff = await StaffClient.login(agent.url);
  kiosk = await TestKiosk.connect(agent.url);
});
afterAll(async () => {
  kiosk?.close();
  await agent?.close();
});

describe('identity verified, insurance at the desk', () => {
  it('ends at the desk with an alert; the desk confirms the insurance and the kiosk shows the one number', async () => {
    await playScenario(agent.url, 'pin-success');
    await drive(kiosk, { auth: 'pin', until: ['staff'] });
    const waiting = kiosk.latest!;
    expect(waiting).toMatchObject({ step: 'staff', staff: { reason: 'insurance-pending' } });
    expect(waiting.patient).toBeUndefined();
    const sessionId = waiting.sessionId!;
    const board = (await (await staff.get('/staff/api/board')).json()) as { data: StaffBoard };
    expect(board.data.alerts).toContainEqual(expect.objectContaining({ sessionId, kind: 'insurance-pending' }));

    const saved = (await (await staff.post('/staff/api/manual-entry', oshirase(sessionId))).json()) as { data: { saved: { queueNumber: number } } };
    const queueNumber = saved.data.saved.queueNumber;
    expect(queueNumber).toBeGreaterThan(0);
    const shown = await kiosk.waitFor((s) => s.step === 'completed');
    expect(shown).toMatchObject({ sessionId, queueNumber });
    expect(shown.patient).toBeUndefined();

    const again = await staff.post('/staff/api/manual-entry', oshirase(sessionId));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ ok: false, error: { code: 'INPUT_NOT_ALLOWED_NOW', details: { queueNumber } } });
  });
});
