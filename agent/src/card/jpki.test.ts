import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '@kiosk/protocol';
import { JPKI_AID, SHA256_DIGEST_INFO_PREFIX, TEXT_AP_AID, TOKEN_LABELS } from './constants.ts';
import { openJpki } from './jpki.ts';
import { scriptedChannel, toHex, type ScriptStep } from './card.test-support.ts';

const SELECT_AP = `00A4040C0A${toHex(JPKI_AID)}`;
const ok9000 = '9000';
const selectEf = (fid: string): ScriptStep => ({ expect: `00A4020C02${fid}`, respond: ok9000 });
const selectAp: ScriptStep = { expect: SELECT_AP, respond: ok9000 };
const label = (text: string, pad = 0x20) => toHex(Uint8Array.from(Buffer.concat([Buffer.from(text, 'ascii'), Buffer.alloc(32 - text.length, pad)])));
const code = (result: Result<unknown>) => (result.ok ? 'ok' : result.error.code);

describe('identify', () => {
  it.each([
    ...Object.entries(TOKEN_LABELS).map(([token, kind]) => [token, 0x20, kind] as const),
    ['JPKIAPICCTOKEN2', 0x00, 'my-number-card'] as const,
    ['SOMEOTHERTOKEN', 0x20, 'other'] as const,
    ['constructor', 0x20, 'other'] as const,
  ])('reads token %s (padding %i) as %s', async (token, pad, kind) => {
    const channel = scriptedChannel([selectAp, selectEf('0006'), { expect: '00B0000020', respond: `${label(token, pad)}9000` }]);
    const card = openJpki(channel);
    expect(await card.identify()).toEqual(ok({ kind, tokenLabel: token }));
    expect(card.apduCount).toBe(3);
  });

  it.each(['6A82', '6D00', '6E00'])('calls a card refusing the JPKI AP with %s CARD_NOT_MYNUMBER', async (sw) => {
    const result = await openJpki(scriptedChannel([{ expect: SELECT_AP, respond: sw }])).identify();
    expect(result.ok ? null : [result.error.code, result.error.details?.sw]).toEqual(['CARD_NOT_MYNUMBER', sw]);
  });

  it('calls a JPKI AP without token file CARD_NOT_MYNUMBER', async () => {
    const result = await openJpki(scriptedChannel([selectAp, { expect: '00A4020C020006', respond: '6A82' }])).identify();
    expect(code(result)).toBe('CARD_NOT_MYNUMBER');
  });

  it('keeps reader failures as they are', async () => {
    const result = await openJpki(scriptedChannel([{ expect: SELECT_AP, respond: fail('CARD_REMOVED') }])).identify();
    expect(code(result)).toBe('CARD_REMOVED');
  });
});

describe('certificates', () => {
  it('reads EF 000A and EF 000B trimmed to their DER length, selecting the AP once', async () => {
    const channel = scriptedChannel([
      selectAp,
      selectEf('000A'),
      { expect: '00B0000007', respond: '3005 0102030405 9000' },
      selectEf('000B'),
      { expect: '00B0000007', respond: '3003 AABBCC FFFF 9000' },
    ]);
    const card = openJpki(channel);
    expect(await card.readAuthCertificate()).toEqual(ok(Uint8Array.of(0x30, 0x05, 1, 2, 3, 4, 5)));
    expect(await card.readAuthCaCertificate()).toEqual(ok(Uint8Array.of(0x30, 0x03, 0xaa, 0xbb, 0xcc)));
    expect(card.apduCount).toBe(5);
    expect(channel.remaining).toBe(0);
  });

  it('reports a missing certificate file', async () => {
    const result = await openJpki(scriptedChannel([selectAp, { expect: '00A4020C02000A', respond: '6A82' }])).readAuthCertificate();
    expect(code(result)).toBe('CARD_FILE_NOT_FOUND');
  });
});

describe('pinTriesLeft', () => {
  it.each([
    ['63C3', ok(3)],
    ['63C1', ok(1)],
    ['63C0', ok(0)],
    ['6984', ok(0)],
    ['9000', ok(3)],
  ])('reads %s from the empty VERIFY as %j', async (sw, expected) => {
    const channel = scriptedChannel([selectAp, selectEf('0018'), { expect: '00200080', respond: sw }]);
    expect(await openJpki(channel).pinTriesLeft()).toEqual(expected);
  });

  it('reports other status words as errors', async () => {
    const channel = scriptedChannel([selectAp, selectEf('0018'), { expect: '00200080', respond: '6A86' }]);
    expect(code(await openJpki(channel).pinTriesLeft())).toBe('CARD_UNSUPPORTED_TOKEN');
  });

  it('calls a card without the auth PIN file (顔認証マイナンバーカード) a card with no PIN, for counting and for VERIFY', async () => {
    const noPinFile = () => scriptedChannel([selectAp, { expect: '00A4020C020018', respond: '6A82' }]);
    expect(code(await openJpki(noPinFile()).pinTriesLeft())).toBe('PIN_NOT_AVAILABLE');
    expect(code(await openJpki(noPinFile()).verifyPin('1234'))).toBe('PIN_NOT_AVAILABLE');
  });
});

describe('verifyPin', () => {
  it.each(['123', '12345', '12a4', '', ' 1234', '１２３４', '12.4'])('refuses %j with PIN_FORMAT without sending anything', async (pin) => {
    const channel = scriptedChannel([]);
    const card = openJpki(channel);
    expect(code(await card.verifyPin(pin))).toBe('PIN_FORMAT');
    expect(channel.sent).toEqual([]);
    expect(card.apduCount).toBe(0);
  });

  it.each([
    ['9000', 'ok', undefined],
    ['63C2', 'PIN_INCORRECT', 2],
    ['63C1', 'PIN_INCORRECT', 1],
    ['63C0', 'PIN_BLOCKED', 0],
    ['6984', 'PIN_BLOCKED', 0],
  ])('maps VERIFY answer %s to %s', async (sw, expectedCode, triesLeft) => {
    const channel = scriptedChannel([selectAp, selectEf('0018'), { expect: '0020008004 31323334', respond: sw }]);
    const result = await openJpki(channel).verifyPin('1234');
    expect(code(result)).toBe(expectedCode);
    if (!result.ok) expect(result.error.details?.triesLeft).toBe(triesLeft);
  });

  it('leaves no PIN digits in the buffers it handed to the driver', async () => {
    const handed: Uint8Array[] = [];
    const channel = {
      reader: 'r',
      atr: '',
      close: async () => {},
      transmit: async (apdu: Uint8Array) => {
        handed.push(apdu);
        return ok(Uint8Array.of(0x90, 0));
      },
    };
    expect(await openJpki(channel).verifyPin('4321')).toEqual(ok(undefined));
    expect(handed.map(toHex).some((hex) => hex.includes('34333231'))).toBe(false);
  });
});

describe('signDigestInfo', () => {
  const digestInfo = Uint8Array.from(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, Buffer.alloc(32, 0xab)]));
  const signCommand = `802A008033${toHex(digestInfo)}00`;
  const signature = 'EE'.repeat(256);

  it('selects the key EF and sends COMPUTE DIGITAL SIGNATURE with the DigestInfo', async () => {
    const channel = scriptedChannel([selectAp, selectEf('0017'), { expect: signCommand, respond: `${signature}9000` }]);
    const result = await openJpki(channel).signDigestInfo(digestInfo);
    expect(result.ok && toHex(result.value)).toBe(signature);
  });

  it('collects a signature announced with 61xx', async () => {
    const channel = scriptedChannel([
      selectAp,
      selectEf('0017'),
      { expect: signCommand, respond: '6100' },
      { expect: '00C0000000', respond: `${signature}9000` },
    ]);
    const card = openJpki(channel);
    const result = await card.signDigestInfo(digestInfo);
    expect(result.ok && toHex(result.value)).toBe(signature);
    expect(card.apduCount).toBe(4);
  });

  it.each([
    ['6982', 'CARD_SECURITY_STATUS'],
    ['9000', 'CARD_MALFORMED_RESPONSE'],
  ])('reports %s as %s', async (sw, expectedCode) => {
    const channel = scriptedChannel([selectAp, selectEf('0017'), { expect: signCommand, respond: sw }]);
    expect(code(await openJpki(channel).signDigestInfo(digestInfo))).toBe(expectedCode);
  });
});

describe('a whole PIN session', () => {
  it('sends exactly the JPKI APDUs of the reference, and never the text AP', async () => {
    const digestInfo = Uint8Array.from(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, Buffer.alloc(32, 1)]));
    const channel = scriptedChannel([
      selectAp,
      selectEf('0006'),
      { expect: '00B0000020', respond: `${label('JPKIAPICCTOKEN2')}9000` },
      selectEf('000A'),
      { expect: '00B0000007', respond: '3003010203FFFF9000' },
      selectEf('0018'),
      { expect: '00200080', respond: '63C3' },
      selectEf('0018'),
      { expect: '002000800431323334', respond: '9000' },
      selectEf('0017'),
      { expect: `802A008033${toHex(digestInfo)}00`, respond: `${'01'.repeat(256)}9000` },
    ]);
    const card = openJpki(channel);
    expect(code(await card.identify())).toBe('ok');
    expect(code(await card.readAuthCertificate())).toBe('ok');
    expect(await card.pinTriesLeft()).toEqual(ok(3));
    expect(await card.verifyPin('1234')).toEqual(ok(undefined));
    expect(code(await card.signDigestInfo(digestInfo))).toBe('ok');
    expect(channel.remaining).toBe(0);
    expect(card.apduCount).toBe(11);
    expect(channel.sent.some((apdu) => apdu.includes(toHex(TEXT_AP_AID)))).toBe(false);
  });
});
