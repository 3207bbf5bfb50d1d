/** `kiosk-agent probe` as clinic IT runs it: a separate process, the real binding, pcscd, the virtual card. */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReaderDriver } from '@kiosk/agent/drivers/types.ts';
import { TEST_PIN, testCaCertificatePath } from '@kiosk/mocks/card/index.ts';
import { EventLog, READERS, REPO_ROOT, insertCard, realstackDescribe, removeCard, startDriver, virtualCard } from './support.ts';

const describe = realstackDescribe('kiosk-agent probe');

function probe(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('node', ['agent/bin/kiosk-agent.js', 'probe', ...args], { cwd: REPO_ROOT, timeout: 50_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

describe('kiosk-agent probe', () => {
  // The test's own driver only watches for events; the probe process opens the card (SHARED mode).
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

  it('reports type, ATR, certificate and tries left as JSON without spending a try', async () => {
    const card = await virtualCard('expiring');
    const client = await insertCard(log, card);
    const { code, stdout } = await probe(['--json', '--trust', trust, '--reader', READERS[0]]);
    await removeCard(log, client);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
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
            errors: [],
          },
        },
      ],
    });
    expect(card.trace.some((t) => t.command.startsWith('00200080') && t.command.length > 8)).toBe(false);
  });

  it('--pin-stdin verifies the PIN and proves key possession; the PIN never appears in the output', async () => {
    const card = await virtualCard('valid');
    const client = await insertCard(log, card);
    const { code, stdout, stderr } = await probe(['--json', '--trust', trust, '--reader', READERS[0], '--pin-stdin'], `${TEST_PIN}\n`);
    await removeCard(log, client);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).readers[0].card).toMatchObject({ pinVerified: true, keyPossession: 'proven', pinTriesLeft: 3 });
    expect(stdout + stderr).not.toContain(TEST_PIN);
  });

  it('refuses to spend the last PIN try without --allow-last-try', async () => {
    const card = await virtualCard('valid');
    const client = await insertCard(log, card);
    const channel = await driver.openCard!(READERS[0]);
    if (!channel.ok) throw new Error(channel.error.code);
    const { openJpki } = await import('@kiosk/agent/card/jpki.ts');
    const jpki = openJpki(channel.value);
    await jpki.verifyPin('0000');
    await jpki.verifyPin('0000');
    await channel.value.close();
    const { code, stdout } = await probe(['--json', '--reader', READERS[0], '--pin-stdin'], `${TEST_PIN}\n`);
    await removeCard(log, client);
    expect(code).toBe(5);
    expect(JSON.parse(stdout).readers[0].card).toMatchObject({ pinTriesLeft: 1, errors: [{ step: 'pin', code: 'PIN_LAST_TRY_UNCONFIRMED' }] });
    expect(card.trace.filter((t) => t.command.startsWith('00200080') && t.command.length > 8)).toHaveLength(2);
  });

  it('exits 4 with a clear message when no reader matches', async () => {
    const { code, stderr } = await probe(['--reader', 'No Such Reader', '--wait', '500']);
    expect(code).toBe(4);
    expect(stderr).toContain('no card reader matching "No Such Reader"');
  });
});
