/**
 * Reader faults through the real PC/SC stack: the whole agent on the pcsc driver, pcscd + vpcd, and
 * the virtual My Number card (needs KIOSK_REALSTACK=1; scripts/test.sh brings the stack up).
 *
 * vpcd's readers ("Virtual PCD 00 00" and "00 01") exist as long as pcscd runs: there is no way to
 * unplug one alone. "Reader gone and back" is therefore the smart-card service going down and coming
 * back (both readers vanish, then reappear), which is also what a USB reader unplug looks like to the
 * flow (status without that reader). "Two readers, one removed" is a card taken off one of two readers.
 *
 * The agent runs as a clinic would start it, with no eligibility source: a card read proves identity
 * only, so each check-in ends at the desk ('insurance-pending') with no patient and no copay on screen.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '@kiosk/agent/app.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { testCaCertificatePem, VpcdCardClient } from '@kiosk/mocks/card/index.ts';
import { TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { pcscStack, READERS, virtualCard } from '../realstack/support.ts';
import { agentDbFile, readCheckIns, realstackDescribe, tempDir } from './support.ts';

const describe = realstackDescribe('faults: pcscd + vpcd');
/** pcscd polls card presence every 400 ms; a service restart takes a few seconds. */
const READER_TIMEOUT_MS = 20_000;

describe('faults: pcscd + vpcd', () => {
  const data = tempDir('pcsc');
  let agent: RunningAgent;
  let kiosk: TestKiosk;
  const clients: VpcdCardClient[] = [];

  async function place(slot: 0 | 1, options: { disconnectAfter?: number } = {}): Promise<VpcdCardClient> {
    const client = new VpcdCardClient(await virtualCard('valid'), { slot });
    if (options.disconnectAfter !== undefined) client.disconnectAfter(options.disconnectAfter);
    const inserted = await client.insert();
    if (!inserted.ok) throw new Error(inserted.error.message);
    clients.push(client);
    return client;
  }

  const readersReady = (count: number) =>
    kiosk.waitFor((s) => s.reader.service === 'ok' && s.reader.readers.filter((r) => r.state !== 'unavailable').length === count, READER_TIMEOUT_MS);

  /** PIN, proof of possession, then the desk: never an eligibility result the card cannot give. */
  async function checkInAtDesk(): Promise<void> {
    await drive(kiosk, { auth: 'pin', until: ['staff'] });
    const handed = kiosk.latest!;
    expect(handed).toMatchObject({ step: 'staff', staff: { reason: 'insurance-pending' } });
    expect(handed.patient).toBeUndefined();
    expect(handed.eligibility).toBeUndefined();
    expect(handed.queueNumber).toBeUndefined();
    expect(agent.flow.staffAction({ type: 'take-over', sessionId: handed.sessionId!, staffId: 'desk' })).toEqual({ ok: true, value: undefined });
    await kiosk.step('welcome', READER_TIMEOUT_MS);
    expect(readCheckIns(agentDbFile(data.path)).find((r) => r.sessionId === handed.sessionId)).toMatchObject({
      status: 'staff',
      staffReason: 'insurance-pending',
    });
  }

  beforeAll(async () => {
    agent = await startAgent({ port: 0, driver: 'pcsc', dataDir: data.path, logger: silentLogger, trustPems: [await testCaCertificatePem()] });
    kiosk = await TestKiosk.connect(agent.url);
    await readersReady(2);
  });
  afterAll(async () => {
    for (const client of clients) await client.remove();
    kiosk?.close();
    await agent?.close();
    data.remove();
  });

  it('the card disconnecting mid-read: card-removed, a clean welcome, then the same card reads and checks in', async () => {
    await kiosk.step('welcome', READER_TIMEOUT_MS);
    const dying = await place(0, { disconnectAfter: 4 });
    const cut = await kiosk.waitFor((s) => s.sessionId !== null, READER_TIMEOUT_MS);
    const back = await kiosk.waitFor((s) => s.step === 'welcome' && s.seq > cut.seq, READER_TIMEOUT_MS);
    expect(back.sessionId).toBeNull();
    expect(kiosk.events).toContainEqual(expect.objectContaining({ type: 'reset', sessionId: cut.sessionId, reason: 'card-removed' }));
    expect(dying.inserted).toBe(false);
    const row = readCheckIns(agentDbFile(data.path)).find((r) => r.sessionId === cut.sessionId);
    expect(row).toMatchObject({ status: 'abandoned', endReason: 'card-removed', queueNumber: null });

    const again = await place(0);
    await checkInAtDesk();
    await again.remove();
    await kiosk.waitFor((s) => s.step === 'welcome', READER_TIMEOUT_MS);
  });

  it('two readers: a card placed on and taken off the other reader does not end the session on this one', async () => {
    await kiosk.step('welcome', READER_TIMEOUT_MS);
    const patient = await place(1);
    const session = await kiosk.waitFor((s) => s.step === 'choose-auth' && s.sessionId !== null, READER_TIMEOUT_MS);
    const bystander = await place(0);
    await kiosk.waitFor((s) => s.reader.readers.find((r) => r.name === READERS[0])?.state === 'present', READER_TIMEOUT_MS);
    await bystander.remove();
    await kiosk.waitFor((s) => s.reader.readers.find((r) => r.name === READERS[0])?.state === 'empty', READER_TIMEOUT_MS);
    expect(kiosk.latest).toMatchObject({ sessionId: session.sessionId, step: 'choose-auth' });
    await checkInAtDesk();
    expect(kiosk.events).toContainEqual(expect.objectContaining({ type: 'staff-needed', sessionId: session.sessionId, reason: 'insurance-pending' }));
    await patient.remove();
    await kiosk.waitFor((s) => s.step === 'welcome', READER_TIMEOUT_MS);
  });

  it('pcscd stopped mid-session: manual path; started again: back to welcome, and a card checks in', async () => {
    const card = await place(0);
    const session = await kiosk.waitFor((s) => s.step === 'choose-auth', READER_TIMEOUT_MS);
    await pcscStack('stop');
    const down = await kiosk.waitFor((s) => s.step === 'fallback', READER_TIMEOUT_MS);
    expect(down).toMatchObject({ fallback: { reason: 'reader-service-down' }, reader: { service: 'unavailable' } });
    expect(down.sessionId).not.toBe(session.sessionId);
    expect(readCheckIns(agentDbFile(data.path)).find((r) => r.sessionId === session.sessionId)?.status).not.toBe('in-progress');
    await card.remove(); // the socket died with pcscd's vpcd

    await pcscStack('start');
    await pcscStack('wait');
    const up = await kiosk.waitFor((s) => s.step === 'welcome' && s.reader.service === 'ok', READER_TIMEOUT_MS);
    expect(up.notices).toContain('reader-restored');
    expect(up.reader.readers.map((r) => r.name)).toEqual([...READERS]);
    await place(0);
    await checkInAtDesk();
  });
});
