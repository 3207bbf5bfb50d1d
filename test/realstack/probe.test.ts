/**
 * `kiosk-agent probe` as clinic IT runs it: a separate process with the real binding, pcscd and the
 * virtual card (the compiled CLI, as installed). Processes start slowly on a loaded runner, so those tests get generous timeouts; the last-try guard
 * runs in-process through the same probe() over the real pcsc driver.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReaderDriver } from '@kiosk/agent/flow/ports.ts';
import { openJpki } from '@kiosk/agent/card/jpki.ts';
import { loadTrustAnchors } from '@kiosk/agent/card/certificates.ts';
import { systemClock } from '@kiosk/agent/clock.ts';
import { probe } from '@kiosk/agent/cli/probe.ts';
import { loadTestCa, TEST_PIN, testCaCertificatePath, virtualChannel } from '@kiosk/mocks/card/index.ts';
import { EventLog, READERS, REPO_ROOT, insertCard, realstackDescribe, removeCard, startDriver, virtualCard } from './support.ts';

const describe = realstackDescribe('kiosk-agent probe');
const PROCESS_TIMEOUT_MS = 150_000;

function probeProcess(args: string[], stdin?: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const options = { cwd: REPO_ROOT, timeout: PROCESS_TIMEOUT_MS - 5_000, env: { ...process.env, ...env } };
    const child = execFile('node', ['agent/bin/kiosk-agent.js', 'probe', ...args], options, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

const pinVerifies = (trace: { command: string }[]) => trace.filter((t) => t.command.startsWith('00200080') && t.command.length > 8);

describe('kiosk-agent probe', () => {
  let driver: ReaderDriver;
  let log: EventLog;
  let trust: string;

  beforeAll(async () => {
    ({ driver, log } = await startDriver());
    trust = await testCaCertificatePath();
  });
  afterAll(async () => {
    await driver?.stop();
  });

  it('--json --pin-stdin: type, ATR, certificate, tries, PIN and key proof; the PIN never appears in the output', { timeout: PROCESS_TIMEOUT_MS }, async () => {
    const card = await virtualCard('expiring');
    const client = await insertCard(log, card);
    const { code, stdout, stderr } = await probeProcess(['--json', '--trust', trust, '--reader', READERS[0], '--pin-stdin'], `${TEST_PIN}\n`);
    await removeCard(log, client);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      service: 'ok',
      readers: [
        {
          name: READERS[0],
          state: 'present',
          card: {
            atr: card.atrHex,
            kind: 'my-number-card',
            tokenLabel: 'JPKIAPICCTOKEN2',
            certificate: { serialHex: '7e57c002', chain: 'trusted', status: 'expiring', keyUsageOk: true },
            pinTriesLeft: 3,
            pinVerified: true,
            keyPossession: 'proven',
            errors: [],
          },
        },
      ],
    });
    expect(pinVerifies(card.trace)).toHaveLength(1);
    expect(stdout + stderr).not.toContain(TEST_PIN);
  });

  it('exits 4 with a clear message when no reader matches', { timeout: PROCESS_TIMEOUT_MS }, async () => {
    const { code, stderr } = await probeProcess(['--reader', 'No Such Reader', '--wait', '500']);
    expect(code).toBe(4);
    expect(stderr).toContain('no card reader matching "No Such Reader"');
  });

  it('exits 3 with a clear message when pcscd cannot be reached (the client pointed at a socket nobody serves)', { timeout: PROCESS_TIMEOUT_MS }, async () => {
    // libpcsclite takes the daemon's socket from PCSCLITE_CSOCK_NAME (default /run/pcscd/pcscd.comm): the shared pcscd stays up.
    const nowhere = join(mkdtempSync(join(tmpdir(), 'kiosk-no-pcscd-')), 'pcscd.comm');
    const { code, stdout, stderr } = await probeProcess(['--json', '--wait', '500'], undefined, { PCSCLITE_CSOCK_NAME: nowhere });
    expect(code, stderr).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ service: 'unavailable', readers: [] });
    expect(stderr).toContain('PC/SC is not available: pcscd is not running');
  });

  it("exits 2 naming the readers when --reader matches several and is nobody's exact name", { timeout: PROCESS_TIMEOUT_MS }, async () => {
    const { code, stdout, stderr } = await probeProcess(['--json', '--reader', 'virtual pcd']);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`--reader "virtual pcd" matches 2 readers ("${READERS[0]}", "${READERS[1]}")`);
    expect(JSON.parse(stdout)).toMatchObject({ service: 'ok', readers: [], ambiguousReader: [...READERS] });
  });

  it(
    '--allow-last-try: the right PIN on a card with one try left verifies, proves the key and restores the counter',
    { timeout: PROCESS_TIMEOUT_MS },
    async () => {
      const card = await virtualCard('valid');
      // Two wrong PINs before the card is placed (the card keeps its counter): one try left.
      const before = openJpki(virtualChannel(card));
      await before.verifyPin('0000');
      await before.verifyPin('0000');
      expect(await before.pinTriesLeft()).toEqual({ ok: true, value: 1 });
      card.clearTrace();
      const client = await insertCard(log, card);
      const { code, stdout, stderr } = await probeProcess(
        ['--json', '--trust', trust, '--reader', READERS[0], '--pin-stdin', '--allow-last-try'],
        `${TEST_PIN}\n`,
      );
      await removeCard(log, client);
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout).readers[0].card).toMatchObject({ pinTriesLeft: 1, pinVerified: true, keyPossession: 'proven', errors: [] });
      expect(pinVerifies(card.trace)).toHaveLength(1);
      expect(await openJpki(virtualChannel(card)).pinTriesLeft()).toEqual({ ok: true, value: 3 });
    },
  );

  it('--trust given twice: both anchors are used (each of two cards chains to one of them)', { timeout: PROCESS_TIMEOUT_MS }, async () => {
    const untrustedCa = join(mkdtempSync(join(tmpdir(), 'kiosk-trust-')), 'untrusted-ca.pem');
    writeFileSync(untrustedCa, (await loadTestCa('untrusted-ca')).certPem);
    const clients = [await insertCard(log, await virtualCard('valid'), 0), await insertCard(log, await virtualCard('wrong-issuer'), 1)];
    const { code, stdout, stderr } = await probeProcess(['--json', '--trust', trust, '--trust', untrustedCa]);
    await removeCard(log, clients[0]!, 0);
    await removeCard(log, clients[1]!, 1);
    expect(code, stderr).toBe(0);
    const readers = JSON.parse(stdout).readers as { name: string; card: { certificate: { serialHex: string; chain: string } } }[];
    expect(readers.map((r) => [r.name, r.card.certificate.serialHex, r.card.certificate.chain])).toEqual([
      [READERS[0], '7e57c001', 'trusted'],
      [READERS[1], '7e57c005', 'trusted'],
    ]);
  });

  it('refuses to spend the last PIN try without --allow-last-try', async () => {
    const card = await virtualCard('valid');
    const client = await insertCard(log, card);
    const channel = await driver.openCard!(READERS[0]);
    if (!channel.ok) throw new Error(channel.error.code);
    const jpki = openJpki(channel.value);
    await jpki.verifyPin('0000');
    await jpki.verifyPin('0000');
    await channel.value.close();
    const anchors = loadTrustAnchors([]);
    if (!anchors.ok) throw new Error(anchors.error.code);
    const refused = await probe(driver, { anchors: anchors.value, pin: TEST_PIN, allowLastTry: false, clock: systemClock });
    await removeCard(log, client);
    expect(refused.readers[0]?.card).toMatchObject({ pinTriesLeft: 1, errors: [{ step: 'pin', code: 'PIN_LAST_TRY_UNCONFIRMED' }] });
    expect(pinVerifies(card.trace)).toHaveLength(2);
  });
});
