/**
 * The kiosk, the desk and ORCA together: the demonstration agent on the mock reader with --orca-* settings
 * pointing at the mock ORCA. Check-ins completed on the kiosk and at the desk land in ORCA as 受付; the staff
 * board shows each one's ORCA state and takes orca-resend / orca-cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueEntry, StaffBoard } from '@kiosk/protocol';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { capturedLogger, ORCA_PASSWORD, ORCA_USER, orcaForTest, outboxRow, registrations } from '../support/orca.ts';
import { StaffClient, STAFF_PASSWORD, STAFF_USER } from '../support/staff-harness.ts';

const WAIT = { timeout: 15_000, interval: 50 };

let agent: RunningAgent;
let mock: Awaited<ReturnType<typeof orcaForTest>>;
let staff: StaffClient;
let logs: string[];

beforeAll(async () => {
  mock = await orcaForTest();
  const captured = capturedLogger();
  logs = captured.lines;
  agent = await startDemo({ port: 0, dataDir: ':memory:', logger: captured.logger, orca: mock.settings });
  await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, new Date());
  staff = await StaffClient.login(agent.url);
});
afterAll(async () => {
  await agent?.close();
  await mock?.remove();
});

/** One check-in on the kiosk, from welcome back to welcome; returns its session id. */
async function checkIn(scenario: string, auth: 'pin' | 'face' = 'pin'): Promise<string> {
  const kiosk = await TestKiosk.connect(agent.url);
  try {
    await playScenario(agent.url, scenario);
    await drive(kiosk, { auth });
    const { sessionId, step } = kiosk.latest!;
    expect(step).toBe('completed');
    await kiosk.command({ type: 'reset', reason: 'patient' });
    await playScenario(agent.url, 'remove-card');
    await kiosk.step('welcome');
    return sessionId!;
  } finally {
    kiosk.close();
  }
}

const board = async (): Promise<StaffBoard> => ((await (await staff.get('/staff/api/board')).json()) as { data: StaffBoard }).data;
const entry = async (sessionId: string): Promise<QueueEntry | undefined> => (await board()).queue.find((q) => q.sessionId === sessionId);
const action = async (body: unknown) => (await staff.post('/staff/api/actions', body)).json() as Promise<{ ok: boolean; error?: { code: string } }>;

describe('check-ins land in ORCA', { timeout: 60_000 }, () => {
  it('first visit on the kiosk: the new patient is registered once and one 受付 sent; the board says 送信済み', async () => {
    const s = await checkIn('pin-success');
    await expect.poll(async () => (await entry(s))?.orca?.state, WAIT).toBe('sent');
    expect(mock.orca.patients).toHaveLength(1);
    expect(mock.orca.patients[0]).toMatchObject({ kana: 'シケン\u3000タロウ', birthDate: '1980-04-01', sex: '1' });
    expect(mock.orca.acceptances).toHaveLength(1);
    expect((await entry(s))?.orca).toMatchObject({ patientId: mock.orca.patients[0]!.patientId, acceptanceId: '00001', actions: ['orca-cancel'] });
  });

  it('the same patient again: one more 受付 with the same 患者番号, no second registration', async () => {
    mock.orca.finishVisits();
    const s = await checkIn('pin-success');
    await expect.poll(() => outboxRow(agent.db, s)?.state, WAIT).toBe('sent');
    expect(mock.orca.patients).toHaveLength(1);
    expect(mock.orca.acceptances.map((a) => a.patientId)).toEqual([mock.orca.patients[0]!.patientId, mock.orca.patients[0]!.patientId]);
  });

  it('ORCA stopped while patients check in: the kiosk is unaffected; after the start every 受付 arrives once, in order', async () => {
    await mock.orca.stop();
    const started = Date.now();
    const sessions = [await checkIn('expiring-certificate'), await checkIn('face-only-card', 'face')];
    expect(Date.now() - started).toBeLessThan(20_000);
    await expect.poll(async () => (await entry(sessions[0]!))?.orca?.state, WAIT).toBe('pending');
    const before = registrations(mock.orca);
    await mock.orca.start();
    for (const s of sessions) await expect.poll(() => outboxRow(agent.db, s)?.state, WAIT).toBe('sent');
    expect(registrations(mock.orca) - before).toBe(2);
    expect(mock.orca.acceptances.slice(-2).map((a) => a.acceptanceId)).toEqual(sessions.map((s) => outboxRow(agent.db, s)!.acceptance_id));
  });

  it('a desk completion (manual entry with the insurance numbers) is sent to the patient ORCA already knows', async () => {
    mock.orca.finishVisits();
    // The insurance of the valid card's synthetic person (mocks/src/driver/qualification.ts).
    const insured = mock.orca.patients[0]!.insurances[0]!;
    const saved = (await (
      await staff.post('/staff/api/manual-entry', {
        documents: ['shikaku_kakuninsho'],
        insurerNumber: insured.insurerNumber,
        symbol: 'テスト',
        number: insured.number.normalize('NFKC'),
        branch: '00',
        printedExpiry: { shikaku_kakuninsho: '2099-12-31' },
      })
    ).json()) as { ok: boolean; data: { saved: { sessionId: string } } };
    expect(saved.ok).toBe(true);
    const s = saved.data.saved.sessionId;
    await expect.poll(() => outboxRow(agent.db, s)?.state, WAIT).toBe('sent');
    expect(outboxRow(agent.db, s)?.patient_id).toBe(mock.orca.patients[0]!.patientId);
  });

  it('staff actions: orca-cancel cancels the 受付 in ORCA; bad requests are typed errors', async () => {
    const s = (await board()).queue.find((q) => q.orca?.state === 'sent')!.sessionId;
    const count = mock.orca.acceptances.length;
    expect(await action({ type: 'orca-cancel', sessionId: s })).toMatchObject({ ok: true });
    await expect.poll(async () => (await entry(s))?.orca?.state, WAIT).toBe('cancelled');
    expect(mock.orca.acceptances).toHaveLength(count - 1);
    expect(await action({ type: 'orca-cancel', sessionId: s })).toMatchObject({ ok: false, error: { code: 'INPUT_NOT_ALLOWED_NOW' } });
    expect(await action({ type: 'orca-resend', sessionId: s, orcaPatientId: '12a' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await action({ type: 'take-over', sessionId: s, orcaPatientId: '12' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await action({ type: 'orca-resend' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });

  it('the ORCA password is in no log line, no page and no board', async () => {
    const base64 = Buffer.from(`${ORCA_USER}:${ORCA_PASSWORD}`).toString('base64');
    const pages = [JSON.stringify(await board()), await (await fetch(`${agent.url}/healthz`)).text()];
    for (const text of [...logs, ...pages]) {
      expect(text).not.toContain(ORCA_PASSWORD);
      expect(text).not.toContain(base64);
    }
    expect(logs.some((l) => l.includes('"event":"orca-reception"'))).toBe(true);
    expect(logs.some((l) => l.includes('"event":"orca-sent"'))).toBe(true);
  });
});
