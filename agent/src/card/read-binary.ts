import { fail, ok, type Result } from '@kiosk/protocol';
import { transceive, type ApduTransmitter } from './apdu.ts';
import { checkStatus } from './status-words.ts';
import { derLength } from './tlv.ts';

/** P1-P2 carries a 15-bit offset (bit 8 of P1 would mean the SFI form). */
const MAX_OFFSET = 0x7fff;
/** Short Le: 256 bytes (sent as 00) per APDU. */
export const MAX_CHUNK = 256;
/** Enough for any header: tag (up to 3 bytes) + 84-form length. 7 is what jpki/myna reads. */
const HEADER_BYTES = 7;

/** One READ BINARY of the current EF: up to `length` (1–256) bytes from `offset`. The card may return fewer. */
export async function readBinary(channel: ApduTransmitter, offset: number, length: number): Promise<Result<Uint8Array>> {
  if (offset < 0 || offset > MAX_OFFSET) return fail('CARD_MALFORMED_RESPONSE', 'Read offset beyond what READ BINARY can address', { offset });
  const response = await transceive(channel, { cla: 0x00, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le: length });
  if (!response.ok) return response;
  const status = checkStatus(response.value.sw);
  return status.ok ? ok(response.value.data) : status;
}

/**
 * Reads the DER object stored in the current EF: a short header read gives the total length, then
 * ≤256-byte chunks follow, each starting where the card's last answer ended. The EF's filler after the
 * object is cut off.
 */
export async function readDerFile(channel: ApduTransmitter): Promise<Result<Uint8Array>> {
  const header = await readBinary(channel, 0, HEADER_BYTES);
  if (!header.ok) return header;
  const total = derLength(header.value);
  if (!total.ok) return total;
  if (total.value > MAX_OFFSET + 1) return fail('CARD_MALFORMED_RESPONSE', 'The object is larger than an EF can be', { length: total.value });

  const content = new Uint8Array(total.value);
  let filled = Math.min(header.value.length, total.value);
  content.set(header.value.subarray(0, filled));
  while (filled < total.value) {
    const chunk = await readBinary(channel, filled, Math.min(MAX_CHUNK, total.value - filled));
    if (!chunk.ok) return chunk;
    // No data with 9000 would loop forever; the file is shorter than its header says.
    if (chunk.value.length === 0) return fail('CARD_MALFORMED_RESPONSE', 'The file ended before its declared length', { offset: filled });
    const usable = chunk.value.subarray(0, total.value - filled);
    content.set(usable, filled);
    filled += usable.length;
  }
  return ok(content);
}
