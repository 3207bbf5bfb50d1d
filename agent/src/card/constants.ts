/**
 * Facts about the My Number card's JPKI application (shared/reference/myna-card-apdu.md), shared by the
 * card layer and the virtual card so the two cannot drift.
 */
export const JPKI_AID = Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]);

/** 券面事項入力補助AP: holds the 個人番号. The agent never selects it; the virtual card has it so a test can prove that. */
export const TEXT_AP_AID = Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]);

export const JPKI_EF = {
  tokenInfo: 0x0006,
  authCertificate: 0x000a,
  authCaCertificate: 0x000b,
  authKey: 0x0017,
  authPin: 0x0018,
  signCertificate: 0x0001,
  signPassword: 0x001b,
} as const;

export const TOKEN_LABELS = {
  JPKIAPICCTOKEN2: 'my-number-card',
  JPKIAPICCTOKEN: 'juki-card',
  JPKIAPGPSETOKEN: 'android',
  JPKIAPIOSTOKEN: 'iphone',
} as const;

export const AUTH_PIN_MAX_TRIES = 3;
export const SIGN_PASSWORD_MAX_TRIES = 5;

/** DigestInfo prefix for SHA-256 (RFC 8017). */
export const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
]);
