import { fail, ok, type Result } from '@kiosk/protocol';

/** One BER-TLV object. `tag` holds the tag bytes as one number (FF10, DF21, 7F21, 30…), as card specs write them. */
export interface Tlv {
  tag: number;
  constructed: boolean;
  /** Tag + length bytes. */
  headerLength: number;
  value: Uint8Array;
}

export interface TlvHeader {
  tag: number;
  constructed: boolean;
  headerLength: number;
  valueLength: number;
}

/** Longest tag we accept (3 bytes) and longest length field (83 xx xx xx): more than any card file needs. */
const MAX_TAG_BYTES = 3;
const MAX_LENGTH_BYTES = 3;

const malformed = <T>(message: string, offset: number): Result<T> => fail('CARD_MALFORMED_RESPONSE', message, { offset });

/**
 * Reads a tag and length at `offset`. Lenient where the card is non-canonical: high-tag-number form is
 * accepted for numbers below 31 (FF 10, DF 21) and long-form lengths may be non-minimal (81 05).
 */
export function readTlvHeader(bytes: Uint8Array, offset = 0): Result<TlvHeader> {
  let position = offset;
  const first = bytes[position++];
  if (first === undefined) return malformed('TLV ends before its tag', offset);
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let more = true;
    while (more) {
      const next = bytes[position++];
      if (next === undefined) return malformed('TLV ends inside its tag', offset);
      if (position - offset > MAX_TAG_BYTES) return malformed('TLV tag is too long', offset);
      tag = tag * 0x100 + next;
      more = (next & 0x80) !== 0;
    }
  }
  const lengthByte = bytes[position++];
  if (lengthByte === undefined) return malformed('TLV ends before its length', offset);
  let valueLength = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    // 80 is BER's indefinite length: never used by card files, and unbounded.
    if (count === 0 || count > MAX_LENGTH_BYTES) return malformed('Unsupported TLV length form', offset);
    valueLength = 0;
    for (let i = 0; i < count; i++) {
      const next = bytes[position++];
      if (next === undefined) return malformed('TLV ends inside its length', offset);
      valueLength = valueLength * 0x100 + next;
    }
  }
  return ok({ tag, constructed: (first & 0x20) !== 0, headerLength: position - offset, valueLength });
}

/** Reads one complete TLV at `offset`; `next` is the offset just after it. */
export function readTlv(bytes: Uint8Array, offset = 0): Result<{ tlv: Tlv; next: number }> {
  const header = readTlvHeader(bytes, offset);
  if (!header.ok) return header;
  const { tag, constructed, headerLength, valueLength } = header.value;
  const start = offset + headerLength;
  if (start + valueLength > bytes.length) return malformed('TLV value is longer than the data', offset);
  return ok({ tlv: { tag, constructed, headerLength, value: bytes.subarray(start, start + valueLength) }, next: start + valueLength });
}

/** True when everything from `offset` on is 00 or FF: the filler card EFs carry after their objects. */
function isFiller(bytes: Uint8Array, offset: number): boolean {
  return bytes.subarray(offset).every((b) => b === 0x00 || b === 0xff);
}

/** Reads consecutive TLVs until the end of the data or trailing filler. */
export function readTlvs(bytes: Uint8Array): Result<Tlv[]> {
  const list: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length && !isFiller(bytes, offset)) {
    const read = readTlv(bytes, offset);
    if (!read.ok) return read;
    list.push(read.value.tlv);
    offset = read.value.next;
  }
  return ok(list);
}

/** Total length (header + value) of the DER/BER object whose first bytes are `header`, e.g. 30 82 06 21 → 1573. */
export function derLength(header: Uint8Array): Result<number> {
  const read = readTlvHeader(header);
  return read.ok ? ok(read.value.headerLength + read.value.valueLength) : read;
}
