import type { CardKind, CertificateStatus, Result } from '@kiosk/protocol';

/** A card connection: raw APDU exchange, implemented by the drivers. The JPKI application (jpki.ts) runs on top of it. */
export interface CardChannel {
  readonly reader: string;
  /** ATR as uppercase hex without spaces. */
  readonly atr: string;
  /** One command APDU → one response APDU (data + SW1 SW2). Card removal → CARD_REMOVED. */
  transmit(apdu: Uint8Array): Promise<Result<Uint8Array>>;
  close(): Promise<void>;
}

/** The JPKI application of a card, as the flow uses it. Implemented by card/jpki.ts over a CardChannel. */
export interface JpkiCard {
  /** SELECT the JPKI AP and read token EF 0006. Non-JPKI card → CARD_NOT_MYNUMBER. */
  identify(): Promise<Result<{ kind: CardKind; tokenLabel: string }>>;
  /** DER of the 利用者証明用電子証明書 (EF 000A), trimmed to its DER length. No PIN needed on a card. */
  readAuthCertificate(): Promise<Result<Uint8Array>>;
  /** DER of its CA certificate (EF 000B). */
  readAuthCaCertificate(): Promise<Result<Uint8Array>>;
  /** Tries left on the auth PIN (EF 0018) without spending one (empty VERIFY → 63Cx). */
  pinTriesLeft(): Promise<Result<number>>;
  /** VERIFY: ok → value undefined; wrong → PIN_INCORRECT with details.triesLeft; blocked → PIN_BLOCKED. */
  verifyPin(pin: string): Promise<Result<void>>;
  /** COMPUTE DIGITAL SIGNATURE with the auth key (80 2A 00 80) over a DigestInfo; needs a verified PIN. */
  signDigestInfo(digestInfo: Uint8Array): Promise<Result<Uint8Array>>;
  /** Command APDUs sent so far (for benchmarks and the probe). */
  readonly apduCount: number;
}

export interface CertificateInfo {
  serialHex: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateCheck extends CertificateInfo {
  chain: 'trusted' | 'untrusted';
  status: CertificateStatus;
  keyUsageOk: boolean;
}
