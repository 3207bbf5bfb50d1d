import { fail, ok, type AgentError, type CardKind, type Result } from '@kiosk/protocol';
import type { CardChannel, JpkiCard } from './types.ts';
import { transceive, type ApduTransmitter, type CommandApdu } from './apdu.ts';
import { AUTH_PIN_MAX_TRIES, JPKI_AID, JPKI_EF, TOKEN_LABELS } from './constants.ts';
import { readBinary, readDerFile } from './read-binary.ts';
import { checkStatus, SW_OK, triesLeftIn } from './status-words.ts';

/** EF 0006 starts with the 32-byte PKCS#11 token label. */
const TOKEN_LABEL_BYTES = 0x20;
const PIN_PATTERN = /^[0-9]{4}$/;

/** Errors that come from the card's status word, as opposed to the reader or transport. */
const isStatusError = (error: AgentError): boolean => typeof error.details?.sw === 'string';

/** The JPKI application over one card connection. Sends only JPKI-AP commands: never the text AP. */
export function openJpki(channel: CardChannel): JpkiCard {
  return new JpkiApplication(channel);
}

class JpkiApplication implements JpkiCard {
  #apduCount = 0;
  /** Re-selecting the AP clears the card's PIN-verified state, so it is selected once per connection. */
  #apSelected = false;
  readonly #counting: ApduTransmitter;

  constructor(channel: CardChannel) {
    this.#counting = {
      transmit: (apdu) => {
        this.#apduCount++;
        return channel.transmit(apdu);
      },
    };
  }

  get apduCount(): number {
    return this.#apduCount;
  }

  async identify(): Promise<Result<{ kind: CardKind; tokenLabel: string }>> {
    const selected = await this.#selectAp();
    if (!selected.ok) return notMyNumberIfStatus(selected.error);
    const token = await this.#selectEf(JPKI_EF.tokenInfo);
    if (!token.ok) return notMyNumberIfStatus(token.error);
    const label = await readBinary(this.#counting, 0, TOKEN_LABEL_BYTES);
    if (!label.ok) return label;
    const tokenLabel = decodeTokenLabel(label.value);
    const kind: CardKind = Object.hasOwn(TOKEN_LABELS, tokenLabel) ? TOKEN_LABELS[tokenLabel as keyof typeof TOKEN_LABELS] : 'other';
    return ok({ kind, tokenLabel });
  }

  readAuthCertificate(): Promise<Result<Uint8Array>> {
    return this.#readDer(JPKI_EF.authCertificate);
  }

  readAuthCaCertificate(): Promise<Result<Uint8Array>> {
    return this.#readDer(JPKI_EF.authCaCertificate);
  }

  async pinTriesLeft(): Promise<Result<number>> {
    const selected = await this.#selectAuthPin();
    if (!selected.ok) return selected;
    // Case 1 VERIFY asks for the counter without spending a try (JICSAP 6.4.9(5)).
    const response = await transceive(this.#counting, { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 });
    if (!response.ok) return response;
    const { sw } = response.value;
    // Some cards answer 9000 when the PIN is already verified in this session: the counter is then full.
    if (sw === SW_OK) return ok(AUTH_PIN_MAX_TRIES);
    const tries = triesLeftIn(sw);
    if (tries !== undefined) return ok(tries);
    const status = checkStatus(sw);
    if (status.ok) return ok(AUTH_PIN_MAX_TRIES);
    return status.error.code === 'PIN_BLOCKED' ? ok(0) : { ok: false, error: status.error };
  }

  async verifyPin(pin: string): Promise<Result<void>> {
    if (!PIN_PATTERN.test(pin)) return fail('PIN_FORMAT');
    const selected = await this.#selectAuthPin();
    if (!selected.ok) return selected;
    const digits = Buffer.from(pin, 'ascii');
    try {
      const verified = await this.#send({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: digits });
      return verified.ok ? ok(undefined) : verified;
    } finally {
      digits.fill(0);
    }
  }

  async signDigestInfo(digestInfo: Uint8Array): Promise<Result<Uint8Array>> {
    const selected = await this.#selectEf(JPKI_EF.authKey);
    if (!selected.ok) return selected;
    // CLA 80, P1 00: the card applies PKCS#1 v1.5 type-1 padding to the DigestInfo as given.
    const signature = await this.#send({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 });
    if (signature.ok && signature.value.length === 0) return fail('CARD_MALFORMED_RESPONSE', 'The card returned an empty signature');
    return signature;
  }

  /** A 顔認証マイナンバーカード has no auth PIN: its EF 0018 is absent (6A82), which means "no PIN", not a broken card. */
  async #selectAuthPin(): Promise<Result<void>> {
    const selected = await this.#selectEf(JPKI_EF.authPin);
    return !selected.ok && selected.error.code === 'CARD_FILE_NOT_FOUND' ? fail('PIN_NOT_AVAILABLE') : selected;
  }

  async #readDer(fileId: number): Promise<Result<Uint8Array>> {
    const selected = await this.#selectEf(fileId);
    return selected.ok ? readDerFile(this.#counting) : selected;
  }

  async #selectAp(): Promise<Result<void>> {
    if (this.#apSelected) return ok(undefined);
    const selected = await this.#send({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID });
    if (!selected.ok) return selected;
    this.#apSelected = true;
    return ok(undefined);
  }

  /** SELECT EF by file ID under the JPKI AP (P2 0C: no FCI). */
  async #selectEf(fileId: number): Promise<Result<void>> {
    const ap = await this.#selectAp();
    if (!ap.ok) return ap;
    const selected = await this.#send({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.of(fileId >> 8, fileId & 0xff) });
    return selected.ok ? ok(undefined) : selected;
  }

  /** Sends a command and accepts only 9000; returns the response data. */
  async #send(command: CommandApdu): Promise<Result<Uint8Array>> {
    const response = await transceive(this.#counting, command);
    if (!response.ok) return response;
    const status = checkStatus(response.value.sw);
    return status.ok ? ok(response.value.data) : status;
  }
}

/** A card that refuses the JPKI AP or its token file is some other card; reader failures stay what they are. */
function notMyNumberIfStatus(error: AgentError): Result<never> {
  if (!isStatusError(error)) return { ok: false, error };
  return fail('CARD_NOT_MYNUMBER', undefined, { sw: error.details!.sw! });
}

/** Label bytes as ASCII without the trailing space/NUL padding; other non-printables become "?" so logs stay clean. */
function decodeTokenLabel(bytes: Uint8Array): string {
  const text = Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0 ? '\0' : '?')).join('');
  return text.replace(/[ \0]+$/, '');
}
