import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CardChannel, ReaderDriver } from '@kiosk/agent/flow/ports.ts';
import { openJpki } from '@kiosk/agent/card/jpki.ts';
import { checkCertificate, loadTrustAnchors, proveKeyPossession, type TrustAnchor } from '@kiosk/agent/card/certificates.ts';
import { JPKI_AID, TEXT_AP_AID } from '@kiosk/agent/card/constants.ts';
import { toHex } from '@kiosk/agent/card/hex.ts';
import { TEST_PIN, testCaCertificatePem } from '@kiosk/mocks/card/index.ts';
import type { ProfileId } from '@kiosk/mocks/card/index.ts';
import { EventLog, READERS, insertCard, realstackDescribe, removeCard, startDriver, virtualCard } from './support.ts';

const describe = realstackDescribe('My Number card profiles through pcscd + vpcd');

describe('My Number card profiles through pcscd + vpcd', () => {
  let driver: ReaderDriver;
  let log: EventLog;
  let anchors: TrustAnchor[];
  const now = new Date();

  beforeAll(async () => {
    ({ driver, log } = await startDriver());
    const loaded = loadTrustAnchors([await testCaCertificatePem()]);
    if (!loaded.ok) throw new Error(loaded.error.code);
    anchors = loaded.value;
  });
  afterAll(async () => {
    await driver?.stop();
  });

  /** Inserts a card of the profile, runs `body` on an open channel, then removes the card. */
  async function withCard<T>(profile: ProfileId, body: (channel: CardChannel) => Promise<T>) {
    const card = await virtualCard(profile, now);
    const client = await insertCard(log, card);
    const channel = await driver.openCard!(READERS[0]);
    if (!channel.ok) throw new Error(channel.error.code);
    try {
      return { result: await body(channel.value), card };
    } finally {
      await channel.value.close();
      await removeCard(log, client);
    }
  }

  /** `tries`: the auth PIN's tries left, or the error code when the card has no PIN. */
  const cases: { profile: ProfileId; kind: string; serial: string; chain?: string; status?: string; tries: number | 'PIN_NOT_AVAILABLE' }[] = [
    { profile: 'valid', kind: 'my-number-card', serial: '7e57c001', chain: 'trusted', status: 'valid', tries: 3 },
    { profile: 'expiring', kind: 'my-number-card', serial: '7e57c002', chain: 'trusted', status: 'expiring', tries: 3 },
    { profile: 'grace', kind: 'my-number-card', serial: '7e57c003', chain: 'trusted', status: 'grace', tries: 3 },
    { profile: 'expired', kind: 'my-number-card', serial: '7e57c004', chain: 'trusted', status: 'expired', tries: 3 },
    { profile: 'wrong-issuer', kind: 'my-number-card', serial: '7e57c005', chain: 'untrusted', status: 'valid', tries: 3 },
    { profile: 'pin-locked', kind: 'my-number-card', serial: '7e57c006', chain: 'trusted', status: 'valid', tries: 0 },
    { profile: 'juki', kind: 'juki-card', serial: '7e57c007', chain: 'trusted', status: 'valid', tries: 3 },
    { profile: 'android', kind: 'android', serial: '7e57c008', tries: 3 },
    // 顔認証マイナンバーカード: the certificate reads without a PIN, and there is no PIN to count.
    { profile: 'face-only', kind: 'my-number-card', serial: '7e57c009', chain: 'trusted', status: 'valid', tries: 'PIN_NOT_AVAILABLE' },
    // Registration and loss live in the qualification registry: on the card they are ordinary valid cards.
    { profile: 'unregistered', kind: 'my-number-card', serial: '7e57c00b', chain: 'trusted', status: 'valid', tries: 3 },
    { profile: 'lost', kind: 'my-number-card', serial: '7e57c00c', chain: 'trusted', status: 'valid', tries: 3 },
  ];

  it.each(cases)('$profile: identify, certificate chain and expiry, tries left', async ({ profile, kind, serial, chain, status, tries }) => {
    const { result } = await withCard(profile, async (channel) => {
      const card = openJpki(channel);
      const identity = await card.identify();
      const cert = await card.readAuthCertificate();
      const check = cert.ok ? checkCertificate(cert.value, { anchors, now }) : cert;
      return { identity, cert, check, tries: await card.pinTriesLeft() };
    });
    expect(result.identity).toMatchObject({ ok: true, value: { kind } });
    expect(result.tries).toMatchObject(typeof tries === 'number' ? { ok: true, value: tries } : { ok: false, error: { code: tries } });
    if (chain) expect(result.check).toMatchObject({ ok: true, value: { serialHex: serial, chain, status, keyUsageOk: true } });
    else expect(result.cert).toMatchObject({ ok: false, error: { code: 'CARD_SECURITY_STATUS' } }); // Android: PIN first
  });

  it('android: the certificate is read after the PIN, chains to the test CA, and the key proves possession', async () => {
    const { result, card } = await withCard('android', async (channel) => {
      const jpki = openJpki(channel);
      const identity = await jpki.identify();
      const verified = await jpki.verifyPin(TEST_PIN);
      const cert = await jpki.readAuthCertificate();
      const check = cert.ok ? checkCertificate(cert.value, { anchors, now }) : cert;
      const proof = cert.ok ? await proveKeyPossession(jpki, cert.value) : cert;
      return { identity, verified, check, proof };
    });
    expect(result.identity).toMatchObject({ ok: true, value: { kind: 'android', tokenLabel: 'JPKIAPGPSETOKEN' } });
    expect(result.verified.ok).toBe(true);
    expect(result.check).toMatchObject({ ok: true, value: { serialHex: '7e57c008', chain: 'trusted', status: 'valid', keyUsageOk: true } });
    expect(result.proof.ok).toBe(true);
    // Through pcscd the card saw VERIFY before any read of EF 000A.
    const commands = card.trace.map((t) => t.command);
    const verifyAt = commands.findIndex((c) => c.startsWith('0020008004'));
    expect(verifyAt).toBeGreaterThanOrEqual(0);
    expect(verifyAt).toBeLessThan(commands.indexOf('00A4020C02000A'));
  });

  it('not-jpki: a non-JPKI card is CARD_NOT_MYNUMBER', async () => {
    const { result } = await withCard('not-jpki', (channel) => openJpki(channel).identify());
    expect(result).toMatchObject({ ok: false, error: { code: 'CARD_NOT_MYNUMBER' } });
  });

  it('a wrong PIN spends one try, the right one resets the counter', async () => {
    const { result } = await withCard('valid', async (channel) => {
      const card = openJpki(channel);
      const wrong = await card.verifyPin('9999');
      const afterWrong = await card.pinTriesLeft();
      const right = await card.verifyPin(TEST_PIN);
      return { wrong, afterWrong, right };
    });
    expect(result.wrong).toMatchObject({ ok: false, error: { code: 'PIN_INCORRECT', details: { triesLeft: 2 } } });
    expect(result.afterWrong).toEqual({ ok: true, value: 2 });
    expect(result.right.ok).toBe(true);
  });

  it('locks the card: the third wrong PIN answers 63C0, the next VERIFY 6984 → PIN_BLOCKED', async () => {
    const { result, card } = await withCard('valid', async (channel) => {
      const jpki = openJpki(channel);
      const attempts = [];
      for (let i = 0; i < 4; i++) attempts.push(await jpki.verifyPin('0000'));
      return { attempts, tries: await jpki.pinTriesLeft() };
    });
    expect(result.attempts.map((a) => (a.ok ? 'ok' : `${a.error.code}:${a.error.details?.triesLeft ?? ''}`))).toEqual([
      'PIN_INCORRECT:2',
      'PIN_INCORRECT:1',
      'PIN_BLOCKED:0',
      'PIN_BLOCKED:0',
    ]);
    const verifyResponses = card.trace.filter((t) => t.command.startsWith('00200080')).map((t) => t.response.slice(-4));
    expect(verifyResponses.slice(2, 4)).toEqual(['63C0', '6984']);
    expect(result.tries).toEqual({ ok: true, value: 0 });
  });

  it('full read + PIN + sign never selects the 券面事項入力補助AP nor reads a My Number file', async () => {
    const { result, card } = await withCard('valid', async (channel) => {
      const jpki = openJpki(channel);
      const identity = await jpki.identify();
      const cert = await jpki.readAuthCertificate();
      const tries = await jpki.pinTriesLeft();
      const verified = await jpki.verifyPin(TEST_PIN);
      const proof = cert.ok ? await proveKeyPossession(jpki, cert.value) : cert;
      return { identity, cert, tries, verified, proof };
    });
    expect([result.identity.ok, result.cert.ok, result.tries.ok, result.verified.ok, result.proof.ok]).toEqual([true, true, true, true, true]);
    const commands = card.trace.map((t) => t.command);
    const selectByName = commands.filter((c) => c.startsWith('00A404'));
    expect(selectByName.length).toBeGreaterThan(0);
    expect(selectByName.every((c) => c.includes(toHex(JPKI_AID)))).toBe(true);
    expect(commands.some((c) => c.includes(toHex(TEXT_AP_AID)))).toBe(false);
    // Every EF selected is a JPKI EF the agent needs: token, auth cert (+CA), auth PIN, auth key.
    const efs = new Set(commands.filter((c) => c.startsWith('00A4020C02')).map((c) => c.slice(10, 14)));
    expect([...efs].every((ef) => ['0006', '000A', '000B', '0018', '0017'].includes(ef))).toBe(true);
  });
});
