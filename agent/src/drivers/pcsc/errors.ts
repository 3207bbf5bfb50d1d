import type { ErrorCode } from '@kiosk/protocol';

/** PC/SC return codes the driver reacts to (pcsc-lite pcsclite.h). */
export const SCARD = {
  E_CANCELLED: 0x80100002,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_NOT_READY: 0x80100010,
  F_COMM_ERROR: 0x80100013,
  E_UNKNOWN_READER: 0x80100009,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  E_COMM_DATA_LOST: 0x8010002f,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** The binding reports codes only inside its messages: "SCardTransmit error: Card was removed.(0x80100069)". */
export function pcscCode(error: unknown): number | undefined {
  const match = /\(0x([0-9a-f]{8})\)/i.exec(error instanceof Error ? error.message : String(error));
  return match ? Number.parseInt(match[1]!, 16) : undefined;
}

/** pcscd is gone (not running, stopped, or its socket broke): the context must be re-created. */
export function isServiceLoss(code: number | undefined): boolean {
  return code === SCARD.E_NO_SERVICE || code === SCARD.E_SERVICE_STOPPED || code === SCARD.F_COMM_ERROR;
}

/** Stable agent error code for a PC/SC failure. */
export function errorCodeFor(error: unknown): ErrorCode {
  const code = pcscCode(error);
  if (isServiceLoss(code)) return 'READER_SERVICE_UNAVAILABLE';
  switch (code) {
    case SCARD.W_REMOVED_CARD:
      return 'CARD_REMOVED';
    case SCARD.E_NO_SMARTCARD:
      return 'CARD_NOT_PRESENT';
    case SCARD.W_UNRESPONSIVE_CARD:
    case SCARD.W_UNPOWERED_CARD:
      return 'CARD_UNRESPONSIVE';
    case SCARD.E_SHARING_VIOLATION:
      return 'READER_BUSY';
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
    case SCARD.E_NO_READERS_AVAILABLE:
      return 'READER_REMOVED';
    default:
      return 'READER_COMMUNICATION_FAILED';
  }
}

/** Failures that a fresh card often clears within a moment: worth one more try right after insertion. */
export function isTransient(code: ErrorCode): boolean {
  return code === 'READER_COMMUNICATION_FAILED' || code === 'CARD_UNRESPONSIVE';
}

/** Short, non-personal text for logs and status details: the binding's message without the call name. */
export function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^SCard\w+ error: /, '');
}
