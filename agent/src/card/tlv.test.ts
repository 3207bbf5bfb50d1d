import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ok } from '@kiosk/protocol';
import { derLength, readTlv, readTlvs } from './tlv.ts';
import { fromHex, toHex } from './card.test-support.ts';

/** A small BER encoder for tests: tag bytes as given, length in the shortest form unless `lengthBytes` forces long form. */
function encodeTlv(tagBytes: Uint8Array, value: Uint8Array, lengthBytes = 0): Uint8Array {
  const n = value.length;
  const size = lengthBytes || (n < 0x80 ? 0 : n <= 0xff ? 1 : n <= 0xffff ? 2 : 3);
  const length = size === 0 ? [n] : [0x80 | size, ...Array.from({ length: size }, (_, i) => (n >> (8 * (size - 1 - i))) & 0xff)];
  return Uint8Array.from(Buffer.concat([tagBytes, Uint8Array.from(length), value]));
}

const tagNumber = (bytes: Uint8Array): number => bytes.reduce((acc, b) => acc * 256 + b, 0);

/**
 * Tags in every form cards use: one byte (not xx11111), two bytes (incl. non-minimal FF 10, DF 21), three bytes.
 * Not 00: BER's end-of-contents, never a data object, and an empty one ("00 00") is the EFs' trailing filler.
 */
const tagArb = fc.oneof(
  fc
    .integer({ min: 1, max: 255 })
    .filter((b) => (b & 0x1f) !== 0x1f)
    .map((b) => Uint8Array.of(b)),
  fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 0x7f })).map(([cls, n]) => Uint8Array.of((cls << 5) | 0x1f, n)),
  fc
    .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0x80, max: 0xff }), fc.integer({ min: 0, max: 0x7f }))
    .map(([cls, a, b]) => Uint8Array.of((cls << 5) | 0x1f, a, b)),
);

describe('readTlv', () => {
  it('reads the non-minimal private tags of the card (FF 10, DF 21)', () => {
    const file = fromHex('FF 10 0C 353337363836363737313838 FF FF');
    const read = readTlv(file);
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.tlv.tag).toBe(0xff10);
    expect(read.value.tlv.constructed).toBe(true);
    expect(Buffer.from(read.value.tlv.value).toString('ascii')).toBe('537686677188');
    expect(read.value.next).toBe(15);
    const inner = readTlvs(fromHex('DF 21 02 000E DF 25 01 31'));
    expect(inner.ok && inner.value.map((t) => t.tag)).toEqual([0xdf21, 0xdf25]);
  });

  it.each([
    ['81 xx', '04 81 80', 0x80, 3],
    ['82 xx xx', '04 82 01 00', 0x100, 4],
    ['83 xx xx xx', '04 83 01 00 00', 0x10000, 5],
    ['non-minimal 81 05', '04 81 05', 5, 3],
  ])('reads long-form length %s', (_label, header, length, headerLength) => {
    const bytes = Uint8Array.from(Buffer.concat([fromHex(header), new Uint8Array(length)]));
    const read = readTlv(bytes);
    expect(read.ok && [read.value.tlv.value.length, read.value.tlv.headerLength]).toEqual([length, headerLength]);
  });

  it.each([
    ['empty', ''],
    ['tag only', '30'],
    ['cut in the tag', 'FF'],
    ['cut in the length', '30 82 01'],
    ['indefinite length', '30 80 00 00'],
    ['four length bytes', '30 84 00 00 00 01 00'],
    ['four tag bytes', 'FF 81 82 03 00'],
    ['value shorter than length', '04 05 01 02'],
  ])('returns CARD_MALFORMED_RESPONSE for %s', (_label, hex) => {
    const read = readTlv(fromHex(hex));
    expect(read.ok ? 'ok' : read.error.code).toBe('CARD_MALFORMED_RESPONSE');
  });

  it('round-trips any encoded sequence of TLVs, with trailing filler', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ tag: tagArb, value: fc.uint8Array({ maxLength: 300 }), longForm: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom('', 'FFFF', '0000'),
        (items, filler) => {
          // Long-form with fewer bytes than the length needs is not a valid encoding: let the encoder pick then.
          const encoded = items.map(({ tag, value, longForm }) => encodeTlv(tag, value, longForm && value.length < 256 ** longForm ? longForm : 0));
          const bytes = Uint8Array.from(Buffer.concat([...encoded, fromHex(filler)]));
          const read = readTlvs(bytes);
          if (!read.ok) throw new Error(read.error.message);
          expect(read.value.map((t) => `${t.tag}:${toHex(t.value)}`)).toEqual(items.map((i) => `${tagNumber(i.tag)}:${toHex(i.value)}`));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(typeof readTlvs(bytes).ok).toBe('boolean');
        expect(typeof derLength(bytes).ok).toBe('boolean');
      }),
    );
  });
});

describe('derLength', () => {
  it.each([
    ['30 82 06 21', 1573],
    ['30 82 06 21 30 82 05', 1573],
    ['30 81 9A', 157],
    ['30 10', 18],
    ['30 83 01 00 00', 0x10005],
    ['FF 20 65', 104],
  ])('%s → %i', (hex, total) => {
    expect(derLength(fromHex(hex))).toEqual(ok(total));
  });

  it('needs the whole header', () => {
    const short = derLength(fromHex('30 82 06'));
    expect(short.ok ? 'ok' : short.error.code).toBe('CARD_MALFORMED_RESPONSE');
  });
});
