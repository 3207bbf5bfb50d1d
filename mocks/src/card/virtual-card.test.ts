import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHA256_DIGEST_INFO_PREFIX } from '@kiosk/agent/card/constants.ts';
import { FilePinCounters, MemoryPinCounters } from './counters.ts';
import type { PinCounterStore } from './counters.ts';
import { cardImage, createVirtualCard, PROFILE_IDS, TEST_PIN, TEST_SIGN_PASSWORD } from './profiles.ts';
import type { ProfileId } from './profiles.ts';
import { VirtualMyNumberCard, virtualChannel } from './virtual-card.ts';

const NOW = new Date('2026-01-15T03:00:00Z');

const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const SELECT_TEXT_AP = '00A4040C0AD3921000310001010408';
const selectEf = (fid: string): string => `00A4020C02${fid}`;
const VERIFY_QUERY = '00200080';
const verify = (pin: string): string => `00200080${pin.length.toString(16).padStart(2, '0')}${Buffer.from(pin, 'ascii').toString('hex')}`;

/** Sends hex APDUs in order; returns the last response's data and SW (hex). */
function send(card: VirtualMyNumberCard, ...commands: string[]): { data: Buffer; sw: string } {
  let response: Uint8Array = new Uint8Array(0);
  for (const command of commands) response = card.transmit(Buffer.from(command, 'hex'));
  const bytes = Buffer.from(response);
  return { data: bytes.subarray(0, -2), sw: bytes.subarray(-2).toString('hex').toUpperCase() };
}

/** Reads a whole EF in 256-byte chunks until 6B00, like a driver that ignores the DER length. */
function readWholeEf(card: VirtualMyNumberCard, fid: string): Buffer {
  send(card, selectEf(fid));
  const chunks: Buffer[] = [];
  for (let offset = 0; ;) {
    const { data, sw } = send(card, `00B0${offset.toString(16).padStart(4, '0')}00`);
    if (sw === '6B00') return Buffer.concat(chunks);
    expect(sw).toBe('9000');
    chunks.push(data);
    offset += data.length;
  }
}

const digestInfo = (message: string): Buffer =>
  Buffer.concat([SHA256_DIGEST_INFO_PREFIX, Buffer.from(forge.md.sha256.create().update(message).digest().getBytes(), 'binary')]);

const signCommand = (data: Buffer): string => `802A0080${data.length.toString(16).padStart(2, '0')}${data.toString('hex')}00`;

function certificateOf(ef: Buffer): forge.pki.Certificate {
  // EF 000A carries filler after the DER: trim to the TLV length (30 82 LL LL).
  const length = ef.readUInt16BE(2) + 4;
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(ef.subarray(0, length).toString('binary'))));
}

async function card(profile: ProfileId, counters: PinCounterStore = new MemoryPinCounters()): Promise<VirtualMyNumberCard> {
  return createVirtualCard({ profile, now: NOW, counters });
}

beforeAll(async () => {
  // First run on a machine generates the RSA keys (about a second each); later runs read the cache.
  await Promise.all(PROFILE_IDS.map((profile) => cardImage(profile, NOW)));
}, 180_000);

describe('SELECT', () => {
  it('selects the JPKI AP and the text AP by full AID, refuses unknown AIDs with 6A82', async () => {
    const c = await card('valid');
    expect(send(c, SELECT_JPKI).sw).toBe('9000');
    expect(send(c, SELECT_TEXT_AP).sw).toBe('9000');
    expect(send(c, '00A4040C0AD392F000260100000002').sw).toBe('6A82');
    expect(send(c, '00A4040C05D392F00026').sw).toBe('6A82');
  });

  it('answers 6A82 to the JPKI AID on a card that is not a My Number card', async () => {
    const c = await card('not-jpki');
    expect(send(c, SELECT_JPKI).sw).toBe('6A82');
    expect(send(c, SELECT_TEXT_AP).sw).toBe('6A82');
  });

  it('selects EFs only inside an AP, and only existing ones', async () => {
    const c = await card('valid');
    expect(send(c, selectEf('000A')).sw).toBe('6A82');
    expect(send(c, '00A4000C').sw).toBe('6A86');
    expect(send(c, SELECT_JPKI, selectEf('000A')).sw).toBe('9000');
    expect(send(c, selectEf('0001')).sw).toBe('6A82');
    expect(send(c, '00A4020C0100').sw).toBe('6700');
  });
});

describe('READ BINARY', () => {
  it('reads the token label of each token type', async () => {
    const labels: [ProfileId, string][] = [
      ['valid', 'JPKIAPICCTOKEN2'],
      ['juki', 'JPKIAPICCTOKEN'],
      ['android', 'JPKIAPGPSETOKEN'],
    ];
    for (const [profile, label] of labels) {
      const { data, sw } = send(await card(profile), SELECT_JPKI, selectEf('0006'), '00B0000020');
      expect(sw).toBe('9000');
      expect(data).toHaveLength(32);
      expect(data.toString('ascii')).toBe(label.padEnd(32, ' '));
    }
  });

  it('returns min(Le, remaining) bytes, 256 for Le=00, and 6B00 at or past the end', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI);
    const ef = readWholeEf(c, '000A');
    expect(ef.length).toBe(2048);
    expect(ef.subarray(0, 2).toString('hex')).toBe('3082');
    // Filler after the DER object is kept in the EF image.
    expect(ef.subarray(ef.readUInt16BE(2) + 4).every((b) => b === 0xff)).toBe(true);
    expect(send(c, '00B0000004').data.toString('hex')).toBe(ef.subarray(0, 4).toString('hex'));
    expect(send(c, '00B0000000').data).toHaveLength(256);
    expect(send(c, '00B007F020').data).toHaveLength(16);
    expect(send(c, '00B007FF00').data).toHaveLength(1);
    expect(send(c, '00B0080001').sw).toBe('6B00');
    expect(send(c, '00B0100001').sw).toBe('6B00');
  });

  it('refuses reads without a current EF, of a non-binary EF, and without Le', async () => {
    const c = await card('valid');
    expect(send(c, SELECT_JPKI, '00B0000004').sw).toBe('6986');
    expect(send(c, selectEf('0018'), '00B0000004').sw).toBe('6981');
    expect(send(c, selectEf('0006'), '00B00000').sw).toBe('6700');
  });

  it('reads by SFI (P1 = 80|SFI), which also selects the EF', async () => {
    const c = await card('valid');
    expect(send(c, SELECT_JPKI, '00B0860004').data.toString('ascii')).toBe('JPKI');
    expect(send(c, '00B0000004').data.toString('ascii')).toBe('JPKI');
  });

  it('holds an auth certificate with the real profile, issued by the test CA', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI);
    const cert = certificateOf(readWholeEf(c, '000A'));
    const ca = certificateOf(readWholeEf(c, '000B'));
    expect(cert.subject.attributes.map((a) => a.shortName)).toEqual(['C', 'CN']);
    expect(cert.subject.getField('CN').value).toHaveLength(23);
    expect(cert.serialNumber).toBe('7e57c001');
    expect(cert.validity.notAfter.toISOString()).toBe('2028-01-15T14:59:59.000Z');
    const keyUsage = cert.getExtension('keyUsage') as { critical: boolean; digitalSignature: boolean; keyCertSign: boolean };
    expect(keyUsage).toMatchObject({ critical: true, digitalSignature: true, keyCertSign: false });
    expect(cert.getExtension('extKeyUsage')).toMatchObject({ clientAuth: true });
    expect(forge.pki.verifyCertificateChain(forge.pki.createCaStore([ca]), [cert], { validityCheckDate: NOW })).toBe(true);
    expect((cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
  });

  it('guards the text AP 個人番号 file with its own PIN', async () => {
    const c = await card('valid');
    expect(send(c, SELECT_TEXT_AP, selectEf('0001'), '00B0000011').sw).toBe('6982');
    const { data, sw } = send(c, selectEf('0011'), verify(TEST_PIN), selectEf('0001'), '00B0000011');
    expect(sw).toBe('9000');
    expect(data.subarray(0, 3).toString('hex')).toBe('ff100c');
    expect(data.subarray(15).toString('hex')).toBe('ffff');
  });

  it('android token: EF 000A is readable only after the auth PIN', async () => {
    const c = await card('android');
    expect(send(c, SELECT_JPKI, selectEf('000A'), '00B0000004').sw).toBe('6982');
    expect(send(c, selectEf('0018'), verify(TEST_PIN), selectEf('000A'), '00B0000004').sw).toBe('9000');
  });
});

describe('VERIFY', () => {
  it('reports tries without spending one, decrements on wrong PINs, 63C0 at zero, then 6984', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('0018'));
    expect(send(c, VERIFY_QUERY).sw).toBe('63C3');
    expect(send(c, VERIFY_QUERY).sw).toBe('63C3');
    expect(send(c, verify('0000')).sw).toBe('63C2');
    expect(send(c, verify('1111')).sw).toBe('63C1');
    expect(send(c, verify('2222')).sw).toBe('63C0');
    expect(send(c, VERIFY_QUERY).sw).toBe('63C0');
    expect(send(c, verify(TEST_PIN)).sw).toBe('6984');
    expect(send(c, verify('9999')).sw).toBe('6984');
  });

  it('a correct PIN answers 9000 and resets the counter', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('0018'));
    expect(send(c, verify('0000')).sw).toBe('63C2');
    expect(send(c, verify('0001')).sw).toBe('63C1');
    expect(send(c, verify(TEST_PIN)).sw).toBe('9000');
    expect(send(c, VERIFY_QUERY).sw).toBe('63C3');
  });

  it('needs a current PIN EF (6986) unless P2 names it by SFI', async () => {
    const c = await card('valid');
    expect(send(c, SELECT_JPKI, verify(TEST_PIN)).sw).toBe('6986');
    expect(send(c, selectEf('000A'), verify(TEST_PIN)).sw).toBe('6986');
    expect(send(c, '002000980431323334').sw).toBe('9000');
    expect(send(c, '00200080043132333400').sw).toBe('6700');
  });

  it('pin-locked profile: query 63C0, VERIFY 6984 even with the right PIN', async () => {
    const c = await card('pin-locked');
    expect(send(c, SELECT_JPKI, selectEf('0018'), VERIFY_QUERY).sw).toBe('63C0');
    expect(send(c, verify(TEST_PIN)).sw).toBe('6984');
  });

  it('face-only profile: there is no auth PIN EF, and the key can never be used', async () => {
    const c = await card('face-only');
    expect(send(c, SELECT_JPKI, selectEf('0018')).sw).toBe('6A82');
    expect(send(c, '002000980431323334').sw).toBe('6A88');
    expect(send(c, selectEf('000A'), '00B0000004').sw).toBe('9000');
    expect(send(c, selectEf('0017'), signCommand(digestInfo('x'))).sw).toBe('6982');
  });

  it('counters persist across card instances of the same profile sharing a store', async () => {
    const counters = new MemoryPinCounters();
    send(await card('valid', counters), SELECT_JPKI, selectEf('0018'), verify('0000'));
    const again = await card('valid', counters);
    expect(send(again, SELECT_JPKI, selectEf('0018'), VERIFY_QUERY).sw).toBe('63C2');
    // Another profile and another store are separate cards.
    expect(send(await card('expiring', counters), SELECT_JPKI, selectEf('0018'), VERIFY_QUERY).sw).toBe('63C3');
    expect(send(await card('valid'), SELECT_JPKI, selectEf('0018'), VERIFY_QUERY).sw).toBe('63C3');
  });

  it('counters in a JSON file survive a new store (another process)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kiosk-counters-')), 'counters.json');
    send(await card('valid', new FilePinCounters(path)), SELECT_JPKI, selectEf('0018'), verify('0000'), verify('0000'));
    expect(send(await card('valid', new FilePinCounters(path)), SELECT_JPKI, selectEf('0018'), VERIFY_QUERY).sw).toBe('63C1');
  });
});

describe('VERIFY of the signature password (JPKI EF 001B, 5 tries)', () => {
  const WRONG = 'ZZZ999';

  it('reports 5 tries without spending one, counts wrong passwords down to 63C0, then answers 6984 even to the right one', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('001B'));
    expect(send(c, VERIFY_QUERY).sw).toBe('63C5');
    expect(send(c, VERIFY_QUERY).sw).toBe('63C5');
    expect([1, 2, 3, 4, 5].map(() => send(c, verify(WRONG)).sw)).toEqual(['63C4', '63C3', '63C2', '63C1', '63C0']);
    expect(send(c, VERIFY_QUERY).sw).toBe('63C0');
    expect(send(c, verify(TEST_SIGN_PASSWORD)).sw).toBe('6984');
    expect(send(c, verify(WRONG)).sw).toBe('6984');
  });

  it('compares bytes (the password is sent uppercase): lowercase is wrong; the right one answers 9000 and resets the counter', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('001B'));
    expect(send(c, verify(TEST_SIGN_PASSWORD.toLowerCase())).sw).toBe('63C4');
    expect(send(c, verify(WRONG)).sw).toBe('63C3');
    expect(send(c, verify(TEST_SIGN_PASSWORD)).sw).toBe('9000');
    expect(send(c, VERIFY_QUERY).sw).toBe('63C5');
    // By SFI without selecting the EF first (P2 = 80|1B).
    expect(send(c, SELECT_JPKI, verify(TEST_SIGN_PASSWORD).replace(/^00200080/, '0020009B')).sw).toBe('9000');
  });

  it('keeps its own counter beside the auth PIN, persisted per profile like the auth PIN', async () => {
    const counters = new MemoryPinCounters();
    const first = await card('valid', counters);
    expect(send(first, SELECT_JPKI, selectEf('001B'), verify(WRONG), verify(WRONG)).sw).toBe('63C3');
    expect(send(first, selectEf('0018'), VERIFY_QUERY).sw).toBe('63C3');
    // The same card again (a new instance of the profile on the same store) still has 3 tries left.
    expect(send(await card('valid', counters), SELECT_JPKI, selectEf('001B'), VERIFY_QUERY).sw).toBe('63C3');
    // Another profile, or another store, is another card.
    expect(send(await card('expiring', counters), SELECT_JPKI, selectEf('001B'), VERIFY_QUERY).sw).toBe('63C5');
    expect(send(await card('valid'), SELECT_JPKI, selectEf('001B'), VERIFY_QUERY).sw).toBe('63C5');
  });

  it('a blocked password stays blocked on the next instance of the profile', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kiosk-counters-')), 'counters.json');
    const wrongs = Array.from({ length: 5 }, () => verify(WRONG));
    expect(send(await card('valid', new FilePinCounters(path)), SELECT_JPKI, selectEf('001B'), ...wrongs).sw).toBe('63C0');
    const again = await card('valid', new FilePinCounters(path));
    expect(send(again, SELECT_JPKI, selectEf('001B'), verify(TEST_SIGN_PASSWORD)).sw).toBe('6984');
    expect(send(again, selectEf('0018'), verify(TEST_PIN)).sw).toBe('9000');
  });

  it('face-only profile: no signature password either (6A82)', async () => {
    expect(send(await card('face-only'), SELECT_JPKI, selectEf('001B')).sw).toBe('6A82');
  });
});

describe('COMPUTE DIGITAL SIGNATURE', () => {
  it('refuses to sign before VERIFY (6982)', async () => {
    const c = await card('valid');
    expect(send(c, SELECT_JPKI, selectEf('0017'), signCommand(digestInfo('challenge'))).sw).toBe('6982');
  });

  it('signs a DigestInfo with PKCS#1 v1.5; the signature verifies with the certificate key', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI);
    const cert = certificateOf(readWholeEf(c, '000A'));
    const { data, sw } = send(c, selectEf('0018'), verify(TEST_PIN), selectEf('0017'), signCommand(digestInfo('challenge')));
    expect(sw).toBe('9000');
    expect(data).toHaveLength(256);
    const digest = forge.md.sha256.create().update('challenge').digest().getBytes();
    expect((cert.publicKey as forge.pki.rsa.PublicKey).verify(digest, data.toString('binary'))).toBe(true);
    // Same key by SFI (P2 = 80|17), deterministic padding → same bytes.
    expect(send(c, signCommand(digestInfo('challenge')).replace(/^802A0080/, '802A0097')).data.equals(data)).toBe(true);
  });

  it('loses the verified state on AP re-selection and on reset', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('0018'), verify(TEST_PIN));
    expect(send(c, SELECT_JPKI, selectEf('0017'), signCommand(digestInfo('a'))).sw).toBe('6982');
    send(c, selectEf('0018'), verify(TEST_PIN));
    c.reset();
    expect(send(c, SELECT_JPKI, selectEf('0017'), signCommand(digestInfo('a'))).sw).toBe('6982');
  });

  it('checks CLA, P1, the key EF and the input length', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('0018'), verify(TEST_PIN), selectEf('0017'));
    expect(send(c, signCommand(digestInfo('a')).replace(/^80/, '00')).sw).toBe('6E00');
    expect(send(c, signCommand(digestInfo('a')).replace(/^802A00/, '802A01')).sw).toBe('6A86');
    expect(send(c, signCommand(Buffer.alloc(246, 1))).sw).toBe('6700');
    expect(send(c, signCommand(Buffer.alloc(245, 1))).sw).toBe('9000');
    expect(send(c, selectEf('000A'), signCommand(digestInfo('a'))).sw).toBe('6981');
  });
});

describe('command dispatch', () => {
  it('answers 6D00 to unknown INS, 6E00 to unknown CLA, 6881/6882 to channels and SM, 6700 to bad lengths', async () => {
    const c = await card('valid');
    expect(send(c, '00CA5F5100').sw).toBe('6D00');
    expect(send(c, 'A0A4040C0AD392F000260100000001').sw).toBe('6E00');
    expect(send(c, 'FFCA000000').sw).toBe('6E00');
    expect(send(c, '01A4040C0AD392F000260100000001').sw).toBe('6881');
    expect(send(c, '0CA4040C0AD392F000260100000001').sw).toBe('6882');
    expect(send(c, '00A4').sw).toBe('6700');
    expect(send(c, '00A4040C0AD392F0').sw).toBe('6700');
    expect(send(c, '00B0000000000100').sw).toBe('6700');
  });

  it('records every exchange in the trace as uppercase hex', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('0006'));
    expect(c.trace).toEqual([
      { command: SELECT_JPKI, response: '9000' },
      { command: selectEf('0006'), response: '9000' },
    ]);
    c.clearTrace();
    expect(c.trace).toEqual([]);
  });

  it('reports the profile ATR', async () => {
    expect((await card('valid')).atrHex).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
    expect((await card('juki')).atrHex).toBe('3BE000FF8131FE4514');
  });
});

describe('virtualChannel', () => {
  it('transmits to the card and reports CARD_REMOVED after N APDUs', async () => {
    const c = await card('valid');
    const channel = virtualChannel(c, { reader: 'Test Reader', removeAfterApdus: 2 });
    expect(channel).toMatchObject({ reader: 'Test Reader', atr: c.atrHex, removed: false });
    const first = await channel.transmit(Buffer.from(SELECT_JPKI, 'hex'));
    expect(first.ok && Buffer.from(first.value).toString('hex')).toBe('9000');
    expect((await channel.transmit(Buffer.from(selectEf('000A'), 'hex'))).ok).toBe(true);
    const third = await channel.transmit(Buffer.from('00B0000004', 'hex'));
    expect(third.ok ? 'ok' : third.error.code).toBe('CARD_REMOVED');
    expect(channel.removed).toBe(true);
    expect(c.trace).toHaveLength(2);
  });

  it('can be removed on demand, and opening a channel powers the card up', async () => {
    const c = await card('valid');
    send(c, SELECT_JPKI, selectEf('0018'), verify(TEST_PIN));
    const channel = virtualChannel(c);
    await channel.transmit(Buffer.from(SELECT_JPKI, 'hex'));
    const sign = await channel.transmit(Buffer.from(`802A0097${signCommand(digestInfo('a')).slice(8)}`, 'hex'));
    expect(sign.ok && Buffer.from(sign.value.subarray(-2)).toString('hex')).toBe('6982');
    channel.remove();
    const after = await channel.transmit(Buffer.from(SELECT_JPKI, 'hex'));
    expect(after.ok ? 'ok' : after.error.code).toBe('CARD_REMOVED');
  });
});
