/**
 * The お知らせ + card path on the real PC/SC stack: the whole agent on pcsc+oqs, the virtual My Number
 * card through pcscd + vpcd, and the mock 資格確認端末's folders. A card and its PIN prove identity only;
 * the patient shows the 資格情報のお知らせ at the desk, staff enter its numbers, the 一件照会 through the
 * terminal answers, and its answer decides: a number on the kiosk while the patient is there, or a
 * staff case without one. Every kind of answer, including none; and the card alone (--driver pcsc, no terminal).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ManualEntryResult, StaffBoard } from '@kiosk/protocol';
import { startAgent, type RunningAgent } from '@kiosk/agent/app.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import { testCaCertificatePem, VpcdCardClient } from '@kiosk/mocks/card/index.ts';
import { INSTITUTION_CODE, INSURERS, type ScenarioName } from '@kiosk/mocks/terminal/fixtures.ts';
import { startMockTerminal, type MockTerminal } from '@kiosk/mocks/terminal/terminal.ts';
import { TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { StaffClient, STAFF_PASSWORD, STAFF_USER } from '../support/staff-harness.ts';
import { realstackDescribe, virtualCard } from './support.ts';

const describe = realstackDescribe('the お知らせ + card path on pcscd + vpcd');
const READER_TIMEOUT_MS = 20_000;
/** The agent gives up on the terminal after this; the desk then decides by the documents alone. */
const INQUIRY_TIMEOUT_MS = 1_500;

/** The number staff type decides which answer the mock terminal gives (its fixtures hold one person). */
const ANSWERS: Record<string, ScenarioName | 'no-answer'> = {
  '1001': 'shaho-family',
  '1002': 'invalid',
  '1003': 'new-qualification',
  '1004': 'not-found',
  '1005': 'multiple',
  '1006': 'error-header',
  '1007': 'no-answer',
};

describe('the お知らせ + card path on pcscd + vpcd', () => {
  const share = mkdtempSync(join(tmpdir(), 'kiosk-honest-'));
  let terminal: MockTerminal;
  let agent: RunningAgent;
  let kiosk: TestKiosk;
  let staff: StaffClient;

  beforeAll(async () => {
    terminal = await startMockTerminal({ dir: share, delayMs: 20, pollMs: 50, answerFor: ({ number }) => ANSWERS[number] ?? 'not-found' });
    agent = await startAgent({
      port: 0,
      driver: 'pcsc+oqs',
      dataDir: join(share, 'data'),
      logger: silentLogger,
      trustPems: [await testCaCertificatePem()],
      oqs: {
        faceDir: terminal.faceDir,
        reqDir: terminal.reqDir,
        resDir: terminal.resDir,
        institutionCode: INSTITUTION_CODE,
        inquiryTimeoutMs: INQUIRY_TIMEOUT_MS,
      },
    });
    await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, new Date());
    staff = await StaffClient.login(agent.url);
    kiosk = await TestKiosk.connect(agent.url);
    await kiosk.waitFor((s) => s.reader.readers.some((r) => r.driver === 'pcsc' && r.state === 'empty'), READER_TIMEOUT_MS);
  });
  afterAll(async () => {
    kiosk?.close();
    await agent?.close();
    await terminal?.stop();
    rmSync(share, { recursive: true, force: true });
  });

  /** Card on the kiosk's reader, PIN: the kiosk hands the patient to the desk with no insurance on screen. */
  async function cardAtDesk(): Promise<{ card: VpcdCardClient; sessionId: string }> {
    await kiosk.step('welcome', READER_TIMEOUT_MS);
    const card = new VpcdCardClient(await virtualCard('valid'), { slot: 0 });
    const inserted = await card.insert();
    if (!inserted.ok) throw new Error(inserted.error.message);
    await drive(kiosk, { auth: 'pin', until: ['staff'] });
    const waiting = kiosk.latest!;
    expect(waiting).toMatchObject({ step: 'staff', staff: { reason: 'insurance-pending' } });
    expect(waiting.patient).toBeUndefined();
    expect(waiting.eligibility).toBeUndefined();
    const board = (await (await staff.get('/staff/api/board')).json()) as { data: StaffBoard };
    expect(board.data.alerts).toContainEqual(expect.objectContaining({ sessionId: waiting.sessionId, kind: 'insurance-pending' }));
    return { card, sessionId: waiting.sessionId! };
  }

  async function oshirase(sessionId: string, number: string): Promise<{ status: number; result: ManualEntryResult }> {
    const response = await staff.post('/staff/api/manual-entry', {
      sessionId,
      documents: ['myna_card', 'shikaku_joho_oshirase'],
      insurerNumber: INSURERS.shaho,
      number,
      birthDate: '1980-04-01',
      lookup: true,
    });
    return { status: response.status, result: ((await response.json()) as { data: ManualEntryResult }).data };
  }

  it('a valid answer: the kiosk, still with the patient, shows the one queue number; a second completion is refused', async () => {
    const { card, sessionId } = await cardAtDesk();
    try {
      const { result } = await oshirase(sessionId, '1001');
      expect(result.lookup).toMatchObject({ outcome: 'valid' });
      const queueNumber = result.saved!.queueNumber!;
      expect(queueNumber).toBeGreaterThan(0);
      const shown = await kiosk.waitFor((s) => s.step === 'completed');
      expect(shown).toMatchObject({ sessionId, queueNumber });
      expect(shown.patient).toBeUndefined();
      const again = await staff.post('/staff/api/manual-entry', { sessionId, documents: ['myna_card', 'shikaku_joho_oshirase'] });
      expect(again.status).toBe(409);
    } finally {
      await card.remove();
    }
  });

  it.each([
    ['1002', 'invalid'],
    ['1005', 'multiple'],
  ] as const)('answer %s → %s: no number; the desk keeps the case and the kiosk, shown no result, returns to welcome', async (number, outcome) => {
    const { card, sessionId } = await cardAtDesk();
    try {
      const { result } = await oshirase(sessionId, number);
      expect(result.lookup).toMatchObject({ outcome });
      expect(result.decision).toMatchObject({ decision: 'rejected', patientGuidance: 'desk-confirms-insurance' });
      expect(result.saved!.queueNumber).toBeUndefined();
      await kiosk.waitFor((s) => s.step === 'welcome' && s.sessionId === null);
      const seen = kiosk.snapshots.filter((s) => s.sessionId === sessionId);
      expect(seen.some((s) => s.step === 'completed' || s.queueNumber !== undefined || s.eligibility !== undefined)).toBe(false);
    } finally {
      await card.remove();
    }
  });

  it.each([
    ['1003', 'invalid-new-qualification', 'card-with-notice-new-insurer-pending', 'right after a change of insurer: the お知らせ is the proof'],
    ['1004', 'not-found', 'card-with-notice-new-insurer-pending', 'the new insurer has not registered the patient yet'],
    ['1006', 'error', 'card-with-notice-fallback', 'the terminal refuses: the online check is unavailable'],
    ['1007', 'unavailable', 'card-with-notice-fallback', 'no answer in time: the online check is unavailable'],
  ] as const)('answer %s → %s (%s, %s): the desk checks the photo and the notice, the kiosk shows the number', async (number, outcome, reason, _why) => {
    const { card, sessionId } = await cardAtDesk();
    try {
      const started = Date.now();
      const { result } = await oshirase(sessionId, number);
      expect(result.lookup).toEqual({ outcome });
      expect(result.decision).toMatchObject({ decision: 'conditional', reasons: [reason], staffChecks: ['enter-insurance-from-notice', 'visual-photo-check'] });
      const shown = await kiosk.waitFor((s) => s.step === 'completed');
      expect(shown).toMatchObject({ sessionId, queueNumber: result.saved!.queueNumber });
      expect(shown.patient).toBeUndefined();
      if (outcome === 'unavailable') expect(Date.now() - started).toBeGreaterThanOrEqual(INQUIRY_TIMEOUT_MS - 100);
    } finally {
      await card.remove();
    }
  });
});

describe('the card alone on pcscd + vpcd (--driver pcsc, no 資格確認端末)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-pcsc-only-'));
  let agent: RunningAgent;
  let kiosk: TestKiosk;
  let staff: StaffClient;

  beforeAll(async () => {
    agent = await startAgent({ port: 0, driver: 'pcsc', dataDir: dir, logger: silentLogger, trustPems: [await testCaCertificatePem()] });
    await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, new Date());
    staff = await StaffClient.login(agent.url);
    kiosk = await TestKiosk.connect(agent.url);
    await kiosk.waitFor((s) => s.reader.readers.some((r) => r.state === 'empty'), READER_TIMEOUT_MS);
  });
  afterAll(async () => {
    kiosk?.close();
    await agent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no eligibility and no person; the desk finishes it with the お知らせ (no 一件照会 to make): one number, on the kiosk', async () => {
    await kiosk.step('welcome', READER_TIMEOUT_MS);
    const card = new VpcdCardClient(await virtualCard('valid'), { slot: 0 });
    const inserted = await card.insert();
    if (!inserted.ok) throw new Error(inserted.error.message);
    try {
      await drive(kiosk, { auth: 'pin', until: ['staff'] });
      const waiting = kiosk.latest!;
      expect(waiting).toMatchObject({ step: 'staff', staff: { reason: 'insurance-pending' } });
      expect(kiosk.snapshots.some((s) => s.patient !== undefined || s.eligibility !== undefined)).toBe(false);
      const sessionId = waiting.sessionId!;
      const board = (await (await staff.get('/staff/api/board')).json()) as { data: StaffBoard };
      expect(board.data.alerts).toContainEqual(expect.objectContaining({ sessionId, kind: 'insurance-pending' }));

      const entry = {
        sessionId,
        documents: ['myna_card', 'shikaku_joho_oshirase'],
        insurerNumber: INSURERS.shaho,
        number: '1001',
        birthDate: '1980-04-01',
        lookup: true,
      };
      const saved = (await (await staff.post('/staff/api/manual-entry', entry)).json()) as { data: ManualEntryResult };
      // Without the terminal there is no online check: the card + お知らせ fallback, with the staff checks.
      expect(saved.data.lookup).toEqual({ outcome: 'unavailable' });
      expect(saved.data.decision).toMatchObject({ decision: 'conditional', staffChecks: ['enter-insurance-from-notice', 'visual-photo-check'] });
      const queueNumber = saved.data.saved!.queueNumber!;
      expect(await kiosk.waitFor((s) => s.step === 'completed')).toMatchObject({ sessionId, queueNumber });
      expect((await staff.post('/staff/api/manual-entry', entry)).status).toBe(409);
    } finally {
      await card.remove();
    }
  });
});
