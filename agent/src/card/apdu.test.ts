import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fail, ok } from '@kiosk/protocol';
import { buildApdu, parseCommandApdu, parseResponse, transceive, type CommandApdu } from './apdu.ts';
import { fromHex, scriptedChannel, toHex } from './card.test-support.ts';

const hexOf = (command: CommandApdu): string => {
  const built = buildApdu(command);
  if (!built.ok) throw new Error(built.error.message);
  return toHex(built.value);
};

describe('buildApdu', () => {
  it('encodes the four short cases', () => {
    expect(hexOf({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 })).toBe('00200080');
    expect(hexOf({ cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, le: 0x20 })).toBe('00B0000020');
    expect(hexOf({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: fromHex('000A') })).toBe('00A4020C02000A');
    expect(hexOf({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: fromHex('3031'), le: 256 })).toBe('802A008002303100');
  });

  it.each([
    ['Le 0', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 0 }],
    ['Le 257', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 257 }],
    ['empty data', { cla: 0, ins: 0xa4, p1: 0, p2: 0, data: new Uint8Array(0) }],
    ['256 data bytes', { cla: 0, ins: 0xa4, p1: 0, p2: 0, data: new Uint8Array(256) }],
    ['P1 above a byte', { cla: 0, ins: 0xb0, p1: 0x100, p2: 0 }],
  ])('rejects %s with INPUT_INVALID', (_label, command) => {
    const built = buildApdu(command);
    expect(built.ok ? 'ok' : built.error.code).toBe('INPUT_INVALID');
  });
});

const byte = fc.integer({ min: 0, max: 255 });
const commandArb = fc.record(
  {
    cla: byte,
    ins: byte,
    p1: byte,
    p2: byte,
    data: fc.uint8Array({ minLength: 1, maxLength: 255 }),
    le: fc.integer({ min: 1, max: 256 }),
  },
  { requiredKeys: ['cla', 'ins', 'p1', 'p2'] },
);

describe('command APDU round trip', () => {
  it('parseCommandApdu(buildApdu(c)) gives c back for every short command', () => {
    fc.assert(
      fc.property(commandArb, (command) => {
        const built = buildApdu(command);
        expect(built.ok).toBe(true);
        if (!built.ok) return;
        const parsed = parseCommandApdu(built.value);
        expect(parsed).toEqual(ok(command));
      }),
    );
  });

  it('parseCommandApdu never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const parsed = parseCommandApdu(bytes);
        expect(typeof parsed.ok).toBe('boolean');
      }),
    );
  });
});

describe('parseResponse', () => {
  it.each([[''], ['90']])('treats %j (no status word) as CARD_MALFORMED_RESPONSE', (hex) => {
    const parsed = parseResponse(fromHex(hex));
    expect(parsed.ok ? 'ok' : parsed.error.code).toBe('CARD_MALFORMED_RESPONSE');
  });

  it('splits any response into data and SW, or returns a typed error, never throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const parsed = parseResponse(bytes);
        if (bytes.length < 2) {
          expect(parsed.ok ? 'ok' : parsed.error.code).toBe('CARD_MALFORMED_RESPONSE');
          return;
        }
        if (!parsed.ok) throw new Error('expected ok');
        expect(parsed.value.data).toEqual(bytes.slice(0, -2));
        expect(parsed.value.sw).toBe(bytes[bytes.length - 2]! * 256 + bytes[bytes.length - 1]!);
      }),
    );
  });
});

describe('transceive', () => {
  const readTwenty = fromHex('00B0000020');

  it('returns data and status word of a plain exchange', async () => {
    const channel = scriptedChannel([{ expect: '00B0000020', respond: 'CAFE 9000' }]);
    expect(await transceive(channel, readTwenty)).toEqual(ok({ data: fromHex('CAFE'), sw: 0x9000 }));
  });

  it('follows 61xx with GET RESPONSE and concatenates the parts, for any split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 256 }), { minLength: 1, maxLength: 5 }),
        fc.uint8Array({ maxLength: 20 }),
        async (parts, first) => {
          // First answer carries `first` + 61xx; each GET RESPONSE returns one part; the last ends with 9000.
          const steps = parts.map((part, i) => ({
            expect: `00C00000${toHex(Uint8Array.of(part.length & 0xff))}`,
            respond: toHex(part) + (i === parts.length - 1 ? '9000' : `61${toHex(Uint8Array.of(parts[i + 1]!.length & 0xff))}`),
          }));
          const channel = scriptedChannel([{ expect: '802A008000', respond: `${toHex(first)}61${toHex(Uint8Array.of(parts[0]!.length & 0xff))}` }, ...steps]);
          const response = await transceive(channel, { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, le: 256 });
          expect(response).toEqual(ok({ data: Uint8Array.from(Buffer.concat([first, ...parts])), sw: 0x9000 }));
          expect(channel.remaining).toBe(0);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('resends once with the Le the card names in 6Cxx', async () => {
    const channel = scriptedChannel([
      { expect: '00B0000020', respond: '6C05' },
      { expect: '00B0000005', respond: '0102030405 9000' },
    ]);
    expect(await transceive(channel, readTwenty)).toEqual(ok({ data: fromHex('0102030405'), sw: 0x9000 }));
  });

  it('returns 6Cxx as it is for a command without Le', async () => {
    const channel = scriptedChannel([{ expect: '00A4020C020018', respond: '6C05' }]);
    expect(await transceive(channel, fromHex('00A4020C020018'))).toEqual(ok({ data: new Uint8Array(0), sw: 0x6c05 }));
  });

  it('gives up on a card that announces more data forever', async () => {
    let calls = 0;
    const endless = {
      transmit: async () => {
        calls++;
        return ok(fromHex('AA6101'));
      },
    };
    const response = await transceive(endless, readTwenty);
    expect(response.ok ? 'ok' : response.error.code).toBe('CARD_MALFORMED_RESPONSE');
    expect(calls).toBeLessThan(100);
  });

  it('passes on driver failures and empty answers as typed errors', async () => {
    const removed = scriptedChannel([{ expect: '00B0000020', respond: fail('CARD_REMOVED') }]);
    const r1 = await transceive(removed, readTwenty);
    expect(r1.ok ? 'ok' : r1.error.code).toBe('CARD_REMOVED');
    const empty = scriptedChannel([{ expect: '00B0000020', respond: '' }]);
    const r2 = await transceive(empty, readTwenty);
    expect(r2.ok ? 'ok' : r2.error.code).toBe('CARD_MALFORMED_RESPONSE');
  });

  it('zeroes the wire buffer after sending (it may hold a PIN)', async () => {
    const seen: Uint8Array[] = [];
    const channel = {
      transmit: async (apdu: Uint8Array) => {
        seen.push(apdu);
        return ok(fromHex('9000'));
      },
    };
    await transceive(channel, { cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: fromHex('31323334') });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.every((b) => b === 0)).toBe(true);
  });
});
