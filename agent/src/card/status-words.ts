import { fail, ok, type ErrorCode, type Result } from '@kiosk/protocol';
import { swHex } from './hex.ts';

export const SW_OK = 0x9000;

interface StatusMeaning {
  code: ErrorCode;
  /** ISO 7816-4 / JICSAP wording, kept in the error message (never personal). */
  meaning: string;
}

/**
 * Fixed status words. The grouping: access refused → CARD_SECURITY_STATUS; something missing →
 * CARD_FILE_NOT_FOUND; the card rejects the command itself (class, instruction, parameters, lengths,
 * channels, secure messaging) → CARD_UNSUPPORTED_TOKEN, because a JPKI card accepts every command we send.
 */
export const STATUS_WORDS: ReadonlyMap<number, StatusMeaning> = new Map<number, StatusMeaning>([
  [0x6982, { code: 'CARD_SECURITY_STATUS', meaning: 'security status not satisfied' }],
  [0x6985, { code: 'CARD_SECURITY_STATUS', meaning: 'conditions of use not satisfied' }],
  [0x6983, { code: 'PIN_BLOCKED', meaning: 'authentication method blocked' }],
  [0x6984, { code: 'PIN_BLOCKED', meaning: 'referenced data blocked' }],
  [0x6986, { code: 'CARD_FILE_NOT_FOUND', meaning: 'command not allowed: no current EF' }],
  [0x6a82, { code: 'CARD_FILE_NOT_FOUND', meaning: 'file or application not found' }],
  [0x6a83, { code: 'CARD_FILE_NOT_FOUND', meaning: 'record not found' }],
  [0x6a88, { code: 'CARD_FILE_NOT_FOUND', meaning: 'referenced data not found' }],
  [0x6b00, { code: 'CARD_UNSUPPORTED_TOKEN', meaning: 'wrong parameters: offset outside the EF' }],
  [0x6700, { code: 'CARD_UNSUPPORTED_TOKEN', meaning: 'wrong length' }],
  [0x6a86, { code: 'CARD_UNSUPPORTED_TOKEN', meaning: 'incorrect P1/P2' }],
  [0x6d00, { code: 'CARD_UNSUPPORTED_TOKEN', meaning: 'instruction not supported' }],
  [0x6e00, { code: 'CARD_UNSUPPORTED_TOKEN', meaning: 'class not supported' }],
  [0x6881, { code: 'CARD_UNSUPPORTED_TOKEN', meaning: 'logical channel not supported' }],
  [0x6882, { code: 'CARD_UNSUPPORTED_TOKEN', meaning: 'secure messaging not supported' }],
]);

/** 63Cx: x = tries left on the key just used. */
export function triesLeftIn(sw: number): number | undefined {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : undefined;
}

/** 9000 → ok; anything else → the typed error for that status word (details.sw always present). */
export function checkStatus(sw: number): Result<void> {
  if (sw === SW_OK) return ok(undefined);
  const tries = triesLeftIn(sw);
  if (tries === 0) return fail('PIN_BLOCKED', 'The last PIN try was used up', { sw: swHex(sw), triesLeft: 0 });
  if (tries !== undefined) return fail('PIN_INCORRECT', undefined, { sw: swHex(sw), triesLeft: tries });
  const known = STATUS_WORDS.get(sw);
  if (known) {
    return fail(known.code, `Card status ${swHex(sw)}: ${known.meaning}`, { sw: swHex(sw), ...(known.code === 'PIN_BLOCKED' ? { triesLeft: 0 } : {}) });
  }
  return fail('CARD_UNEXPECTED_STATUS', `Card status ${swHex(sw)}`, { sw: swHex(sw) });
}
