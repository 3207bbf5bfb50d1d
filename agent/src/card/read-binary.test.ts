import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ok, type Result } from '@kiosk/protocol';
import { parseCommandApdu } from './apdu.ts';
import { readDerFile } from './read-binary.ts';
import { fromHex, scriptedChannel, toHex } from './card.test-support.ts';

/** An EF holding a DER SEQUENCE of `contentLength` bytes followed by FF filler. */
function derFile(contentLength: number, filler = 16): { der: Uint8Array; ef: Uint8Array } {
  const header =
    contentLength < 0x80 ? [0x30, contentLength] : contentLength <= 0xff ? [0x30, 0x81, contentLength] : [0x30, 0x82, contentLength >> 8, contentLength & 0xff];
  const der = Uint8Array.from([...header, ...Array.from({ length: contentLength }, (_, i) => i % 251)]);
  return { der, ef: Uint8Array.from([...der, ...new Uint8Array(filler).fill(0xff)]) };
}

/** A card that serves READ BINARY from `ef`, answering at most `cap` bytes per APDU (fewer than asked is legal). */
function efChannel(ef: Uint8Array, cap = 256) {
  const reads: Array<{ offset: number; le: number }> = [];
  return {
    reads,
    async transmit(apdu: Uint8Array): Promise<Result<Uint8Array>> {
      const command = parseCommandApdu(apdu);
      if (!command.ok || command.value.ins !== 0xb0 || command.value.le === undefined) return ok(fromHex('6D00'));
      const offset = (command.value.p1 << 8) | command.value.p2;
      reads.push({ offset, le: command.value.le });
      if (offset >= ef.length) return ok(fromHex('6B00'));
      const data = ef.subarray(offset, offset + Math.min(command.value.le, cap));
      return ok(Uint8Array.from(Buffer.concat([data, fromHex('9000')])));
    },
  };
}

describe('readDerFile', () => {
  it('reads a header, then 256-byte chunks from where the header ended, and trims the filler', async () => {
    const { der, ef } = derFile(596); // 600 bytes with its 4-byte header
    const hexAt = (from: number, to: number) => toHex(ef.subarray(from, to));
    const channel = scriptedChannel([
      { expect: '00B0000007', respond: `${hexAt(0, 7)}9000` },
      { expect: '00B0000700', respond: `${hexAt(7, 263)}9000` },
      { expect: '00B0010700', respond: `${hexAt(263, 519)}9000` },
      { expect: '00B0020751', respond: `${hexAt(519, 600)}9000` },
    ]);
    expect(await readDerFile(channel)).toEqual(ok(der));
    expect(channel.remaining).toBe(0);
  });

  it('needs a single APDU when the object fits in the header read', async () => {
    const channel = scriptedChannel([{ expect: '00B0000007', respond: '0403AABBCCFFFF9000' }]);
    expect(await readDerFile(channel)).toEqual(ok(fromHex('0403AABBCC')));
  });

  // The cap stays above the 7-byte header read: the header must arrive in one answer.
  it('returns the exact object for any size and any per-APDU cap of the card', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 8, max: 256 }), fc.integer({ min: 0, max: 40 }), async (size, cap, filler) => {
        const { der, ef } = derFile(size, filler);
        const channel = efChannel(ef, cap);
        const read = await readDerFile(channel);
        expect(read.ok && toHex(read.value)).toBe(toHex(der));
        // Each read starts where the previous answer ended and never asks past the object.
        expect(channel.reads.every(({ offset, le }) => offset + le <= Math.max(7, der.length))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    ['a file shorter than its header says (6B00)', derFile(596).ef.subarray(0, 300), 'CARD_UNSUPPORTED_TOKEN'],
    ['an object larger than an EF can be', fromHex('30 83 01 00 00 00 00'), 'CARD_MALFORMED_RESPONSE'],
    ['a header cut short', fromHex('30 82'), 'CARD_MALFORMED_RESPONSE'],
  ])('fails with a typed error on %s', async (_label, ef, code) => {
    const read = await readDerFile(efChannel(ef));
    expect(read.ok ? 'ok' : read.error.code).toBe(code);
  });

  it('stops when the card answers 9000 without data instead of looping', async () => {
    const channel = scriptedChannel([
      { expect: '00B0000007', respond: '30820100000000 9000' },
      { expect: '00B00007FD', respond: '9000' },
    ]);
    const read = await readDerFile(channel);
    expect(read.ok ? 'ok' : read.error.code).toBe('CARD_MALFORMED_RESPONSE');
  });

  it('passes on access refusal', async () => {
    const channel = scriptedChannel([{ expect: '00B0000007', respond: '6982' }]);
    const read = await readDerFile(channel);
    expect(read.ok ? 'ok' : read.error.code).toBe('CARD_SECURITY_STATUS');
  });
});
