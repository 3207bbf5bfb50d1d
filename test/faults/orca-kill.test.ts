/**
 * The agent process SIGKILLed with 受付 still in its ORCA outbox (ORCA was down), restarted on the same data
 * folder with ORCA back: the 受付 whose ORCA patient was already known is sent, exactly once; the one that still
 * needed the patient's personal data (kept in memory only, so gone with the process) waits for the desk as
 * 要確認 "patient-unknown". Runs the compiled agent (npm run build) like the other fault suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { drive } from '../support/drive.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { orcaForTest, registrations } from '../support/orca.ts';
import { agentDbFile, RESTART_TEST_TIMEOUT_MS, spawnAgent, tempDir, type AgentProcess } from './support.ts';

const data = tempDir('orca-kill');
let mock: Awaited<ReturnType<typeof orcaForTest>>;
let agent: AgentProcess | undefined;
const WAIT = { timeout: 60_000, interval: 100 };

function outbox(sessionId: string): { state: string; reason: string | null } | undefined {
  const db = new Database(agentDbFile(data.path), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT state, reason FROM orca_outbox WHERE session_id = ?').get(sessionId) as { state: string; reason: string | null } | undefined;
  } finally {
    db.close();
  }
}

/** One PIN check-in on the given card, welcome to welcome; returns its session id. */
async function checkIn(scenario = 'pin-success'): Promise<string> {
  const kiosk = await TestKiosk.connect(agent!.url);
  try {
    await kiosk.step('welcome');
    await playScenario(agent!.url, scenario);
    await drive(kiosk, { auth: 'pin' });
    const { sessionId, step } = kiosk.latest!;
    expect(step).toBe('completed');
    await kiosk.command({ type: 'reset', reason: 'patient' });
    await playScenario(agent!.url, 'remove-card');
    return sessionId!;
  } finally {
    kiosk.close();
  }
}

const orcaArgs = () => ['--orca-url', mock.orca.url, '--orca-user', 'ormaster', '--orca-password-file', mock.passwordFile];

beforeAll(async () => {
  mock = await orcaForTest();
  agent = await spawnAgent({ dataDir: data.path, args: orcaArgs() });
}, RESTART_TEST_TIMEOUT_MS);
afterAll(async () => {
  await agent?.stop();
  await mock?.remove();
  data.remove();
});

describe('agent SIGKILLed with 受付 pending for ORCA', { timeout: RESTART_TEST_TIMEOUT_MS }, () => {
  it('sends the pending 受付 of a known patient after the restart, once; the one needing personal data becomes 要確認', async () => {
    const first = await checkIn();
    await expect.poll(() => outbox(first)?.state, WAIT).toBe('sent');
    mock.orca.finishVisits();
    await mock.orca.stop();
    const returning = await checkIn();
    const newcomer = await checkIn('expiring-certificate');
    expect(outbox(returning)?.state).toBe('pending');
    expect(outbox(newcomer)?.state).toBe('pending');

    const port = agent!.port;
    await agent!.kill9();
    await mock.orca.start();
    agent = await spawnAgent({ dataDir: data.path, port, args: orcaArgs() });
    await expect.poll(() => outbox(returning)?.state, WAIT).toBe('sent');
    await expect.poll(() => outbox(newcomer), WAIT).toEqual({ state: 'attention', reason: 'patient-unknown' });
    expect(registrations(mock.orca)).toBe(2);
    expect(mock.orca.acceptances).toHaveLength(2);
    expect(mock.orca.patients).toHaveLength(1);
  });
});
