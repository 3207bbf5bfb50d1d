import { fail, ok, type Result } from '@kiosk/protocol';
import type { CardChannel } from './types.ts';
import { swHex } from './hex.ts';

/** A short command APDU (ISO 7816-4). Extended length is deliberately unsupported (see myna-card-apdu.md §5). */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data, 1–255 bytes (Lc). Absent for cases 1 and 2. */
  data?: Uint8Array;
  /** Expected response length 1–256 (256 is encoded as 00). Absent for cases 1 and 3. */
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  /** SW1 SW2 as one number, e.g. 0x9000. */
  sw: number;
}

/** The part of a CardChannel the card layer needs; lets wrappers (counting, scripting) stand in. */
export type ApduTransmitter = Pick<CardChannel, 'transmit'>;

const isByte = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xff;

/** Builds the wire bytes of a case 1–4 short APDU; out-of-range fields → INPUT_INVALID. */
export function buildApdu(command: CommandApdu): Result<Uint8Array> {
  const { cla, ins, p1, p2, data, le } = command;
  if (![cla, ins, p1, p2].every(isByte)) return fail('INPUT_INVALID', 'APDU header bytes must be 0–255');
  if (data !== undefined && (data.length < 1 || data.length > 255)) return fail('INPUT_INVALID', 'APDU data must be 1–255 bytes');
  if (le !== undefined && !(Number.isInteger(le) && le >= 1 && le <= 256)) return fail('INPUT_INVALID', 'APDU Le must be 1–256');
  const dataLength = data === undefined ? 0 : 1 + data.length;
  const apdu = new Uint8Array(4 + dataLength + (le === undefined ? 0 : 1));
  apdu.set([cla, ins, p1, p2]);
  if (data !== undefined) {
    apdu[4] = data.length;
    apdu.set(data, 5);
  }
  if (le !== undefined) apdu[apdu.length - 1] = le & 0xff;
  return ok(apdu);
}

/** Reads a short command APDU back into its fields (used by tests and by card emulators). */
export function parseCommandApdu(bytes: Uint8Array): Result<CommandApdu> {
  if (bytes.length < 4) return fail('INPUT_INVALID', 'A command APDU has at least 4 bytes');
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  const header = { cla, ins, p1, p2 };
  const body = bytes.subarray(4);
  if (body.length === 0) return ok(header);
  const first = body[0]!;
  if (body.length === 1) return ok({ ...header, le: first === 0 ? 256 : first });
  if (first === 0) return fail('INPUT_INVALID', 'Extended-length APDUs are not supported');
  const data = body.slice(1, 1 + first);
  if (body.length === 1 + first) return ok({ ...header, data });
  if (body.length === 2 + first) {
    const le = body[1 + first]!;
    return ok({ ...header, data, le: le === 0 ? 256 : le });
  }
  return fail('INPUT_INVALID', 'The APDU length does not match its Lc');
}

/** Splits a response APDU into data and status word; fewer than 2 bytes → CARD_MALFORMED_RESPONSE. */
export function parseResponse(bytes: Uint8Array): Result<ResponseApdu> {
  // vpcd answers an empty "success" when the card dies mid-APDU: that must not pass as data.
  if (bytes.length < 2) return fail('CARD_MALFORMED_RESPONSE', 'The response has no status word', { length: bytes.length });
  const n = bytes.length;
  return ok({ data: bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! });
}

/** Upper bound on GET RESPONSE rounds, so a card answering 61xx forever cannot hang the kiosk. */
const MAX_GET_RESPONSE_ROUNDS = 64;

/**
 * Sends one command and returns its complete response: 61xx is followed by GET RESPONSE (data
 * accumulated), 6Cxx by one resend with the Le the card asked for. The wire buffer is zeroed after
 * sending because it may carry a PIN. The status word is returned, not judged (status-words.ts does that).
 */
export async function transceive(channel: ApduTransmitter, command: CommandApdu | Uint8Array): Promise<Result<ResponseApdu>> {
  const parsed = command instanceof Uint8Array ? parseCommandApdu(command) : ok(command);
  if (!parsed.ok) return parsed;
  let response = await exchange(channel, parsed.value);
  if (!response.ok) return response;

  if (response.value.sw >> 8 === 0x6c && parsed.value.le !== undefined) {
    response = await exchange(channel, { ...parsed.value, le: response.value.sw & 0xff || 256 });
    if (!response.ok) return response;
  }

  const chunks = [response.value.data];
  for (let round = 0; response.value.sw >> 8 === 0x61; round++) {
    if (round === MAX_GET_RESPONSE_ROUNDS) {
      return fail('CARD_MALFORMED_RESPONSE', 'The card kept announcing more response data', { sw: swHex(response.value.sw) });
    }
    response = await exchange(channel, { cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le: response.value.sw & 0xff || 256 });
    if (!response.ok) return response;
    chunks.push(response.value.data);
  }
  return ok({ data: chunks.length === 1 ? chunks[0]! : Uint8Array.from(Buffer.concat(chunks)), sw: response.value.sw });
}

async function exchange(channel: ApduTransmitter, command: CommandApdu): Promise<Result<ResponseApdu>> {
  const wire = buildApdu(command);
  if (!wire.ok) return wire;
  try {
    const answer = await channel.transmit(wire.value);
    return answer.ok ? parseResponse(answer.value) : answer;
  } finally {
    wire.value.fill(0);
  }
}
