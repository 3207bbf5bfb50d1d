/**
 * An APDU-level My Number card emulator (shared/reference/myna-card-apdu.md §10): SELECT, READ BINARY,
 * VERIFY and COMPUTE DIGITAL SIGNATURE over a file image, with persistent PIN counters and a trace.
 * It never throws: every input, however malformed, gets a status word.
 */
import { constants, privateEncrypt } from 'node:crypto';
import { fail, ok } from '@kiosk/protocol';
import type { CardChannel } from '@kiosk/agent/flow/ports.ts';
import { pinCounterKey, sharedPinCounters } from './counters.ts';
import type { PinCounterStore } from './counters.ts';

/** Who may use a file: anyone, or only after VERIFY of the PIN EF `pin` of the same application. */
export type AccessRule = 'always' | { pin: number };

export type ElementaryFile =
  | { kind: 'binary'; data: Uint8Array; read: AccessRule }
  | { kind: 'pin'; value: Uint8Array; maxTries: number; issuedTries: number }
  | { kind: 'key'; privateKeyPem: string; use: AccessRule };

export interface Application {
  /** Short stable name, part of the PIN counter key. */
  name: string;
  aid: Uint8Array;
  files: ReadonlyMap<number, ElementaryFile>;
}

export interface CardImage {
  profileId: string;
  atr: Uint8Array;
  applications: readonly Application[];
}

export interface ApduExchange {
  /** Uppercase hex without spaces. */
  command: string;
  response: string;
}

const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  CHANNEL_NOT_SUPPORTED: 0x6881,
  SM_NOT_SUPPORTED: 0x6882,
  INCOMPATIBLE_FILE: 0x6981,
  SECURITY_STATUS: 0x6982,
  PIN_BLOCKED: 0x6984,
  NO_CURRENT_EF: 0x6986,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6a86,
  DATA_NOT_FOUND: 0x6a88,
  OFFSET_OUT_OF_FILE: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
} as const;

/** 63Cx: a wrong PIN (or the retry-count query) with x tries left. */
const triesLeftSw = (tries: number): number => 0x63c0 | Math.min(tries, 0x0f);

const RSA_2048_MAX_SIGN_INPUT = 245;

interface Command {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array | null;
  /** Expected response length (00 → 256), null when the command has no Le. */
  le: number | null;
}

/** Short APDUs only (ISO 7816-4 cases 1–4); extended length is refused like a wrong length. */
function parseCommand(apdu: Uint8Array): Command | null {
  if (apdu.length < 4) return null;
  const [cla = 0, ins = 0, p1 = 0, p2 = 0] = apdu;
  const header = { cla, ins, p1, p2 };
  if (apdu.length === 4) return { ...header, data: null, le: null };
  const b4 = apdu[4] ?? 0;
  if (apdu.length === 5) return { ...header, data: null, le: b4 || 256 };
  if (b4 === 0) return null;
  const data = apdu.subarray(5, 5 + b4);
  if (apdu.length === 5 + b4) return { ...header, data, le: null };
  if (apdu.length === 6 + b4) return { ...header, data, le: apdu[5 + b4] || 256 };
  return null;
}

function respond(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const response = new Uint8Array(data.length + 2);
  response.set(data);
  response[data.length] = sw >> 8;
  response[data.length + 1] = sw & 0xff;
  return response;
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(b);

export interface VirtualCardOptions {
  /** Where PIN counters live; default: one in-memory store shared by the whole process. */
  counters?: PinCounterStore;
}

export class VirtualMyNumberCard {
  readonly profileId: string;
  readonly atr: Uint8Array;
  /** Every command and response since creation (or the last clearTrace). */
  readonly trace: ApduExchange[] = [];
  readonly #applications: readonly Application[];
  readonly #counters: PinCounterStore;
  #application: Application | null = null;
  #currentFid: number | null = null;
  /** PIN EFs verified in the current application; cleared on reset and on any DF selection. */
  readonly #verified = new Set<number>();

  constructor(image: CardImage, options: VirtualCardOptions = {}) {
    this.profileId = image.profileId;
    this.atr = image.atr;
    this.#applications = image.applications;
    this.#counters = options.counters ?? sharedPinCounters;
  }

  /** ATR as uppercase hex without spaces (CardChannel's format). */
  get atrHex(): string {
    return toHex(this.atr);
  }

  /** Power cycle: back to the power-on state, security state lost, counters kept. */
  reset(): void {
    this.#application = null;
    this.#currentFid = null;
    this.#verified.clear();
  }

  clearTrace(): void {
    this.trace.length = 0;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    let response: Uint8Array;
    try {
      response = this.#execute(apdu);
    } catch {
      response = respond(SW.UNKNOWN);
    }
    this.trace.push({ command: toHex(apdu), response: toHex(response) });
    return response;
  }

  #execute(apdu: Uint8Array): Uint8Array {
    const command = parseCommand(apdu);
    if (!command) return respond(SW.WRONG_LENGTH);
    const { cla, ins } = command;
    if ((cla & 0xf0) !== 0x00 && (cla & 0xf0) !== 0x80) return respond(SW.CLA_NOT_SUPPORTED);
    if ((cla & 0x03) !== 0) return respond(SW.CHANNEL_NOT_SUPPORTED);
    if ((cla & 0x0c) !== 0) return respond(SW.SM_NOT_SUPPORTED);
    const handler = this.#handlers[ins];
    if (!handler) return respond(SW.INS_NOT_SUPPORTED);
    if (handler.cla !== cla) return respond(SW.CLA_NOT_SUPPORTED);
    return handler.run(command);
  }

  readonly #handlers: Record<number, { cla: number; run: (command: Command) => Uint8Array }> = {
    0xa4: { cla: 0x00, run: (c) => this.#select(c) },
    0xb0: { cla: 0x00, run: (c) => this.#readBinary(c) },
    0x20: { cla: 0x00, run: (c) => this.#verify(c) },
    0x2a: { cla: 0x80, run: (c) => this.#computeSignature(c) },
  };

  #select({ p1, data }: Command): Uint8Array {
    if (p1 === 0x04) {
      const application = data && this.#applications.find((app) => sameBytes(app.aid, data));
      if (!application) return respond(SW.FILE_NOT_FOUND);
      this.#application = application;
      this.#currentFid = null;
      this.#verified.clear();
      return respond(SW.OK);
    }
    if (p1 === 0x02) {
      if (!data || data.length !== 2) return respond(SW.WRONG_LENGTH);
      const fid = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
      if (!this.#application?.files.has(fid)) return respond(SW.FILE_NOT_FOUND);
      this.#currentFid = fid;
      return respond(SW.OK);
    }
    // MF selection: refused at power-on, accepted without effect inside an AP (myna-card's observation).
    if (p1 === 0x00 && this.#application) return respond(SW.OK);
    return respond(SW.WRONG_P1P2);
  }

  #readBinary({ p1, p2, data, le }: Command): Uint8Array {
    if (data || le === null) return respond(SW.WRONG_LENGTH);
    let offset: number;
    if (p1 & 0x80) {
      // SFI form: selects EF (P1 & 1F) and reads from offset P2.
      const fid = p1 & 0x1f;
      if (!this.#application?.files.has(fid)) return respond(SW.FILE_NOT_FOUND);
      this.#currentFid = fid;
      offset = p2;
    } else {
      offset = (p1 << 8) | p2;
    }
    const file = this.#currentFile();
    if (!file) return respond(SW.NO_CURRENT_EF);
    if (file.kind !== 'binary') return respond(SW.INCOMPATIBLE_FILE);
    if (!this.#allowed(file.read)) return respond(SW.SECURITY_STATUS);
    if (offset >= file.data.length) return respond(SW.OFFSET_OUT_OF_FILE);
    return respond(SW.OK, file.data.subarray(offset, Math.min(offset + le, file.data.length)));
  }

  #verify({ p1, p2, data, le }: Command): Uint8Array {
    if (le !== null) return respond(SW.WRONG_LENGTH);
    if (p1 !== 0x00) return respond(SW.WRONG_P1P2);
    const target = this.#referencedFile(p2);
    if (typeof target === 'number') return respond(target);
    const [fid, pin] = target;
    if (pin.kind !== 'pin') return respond(SW.NO_CURRENT_EF);
    const key = pinCounterKey(this.profileId, this.#application?.name ?? '', fid);
    const triesLeft = this.#counters.get(key) ?? pin.issuedTries;
    // Case 1: the retry-count query, which spends nothing.
    if (!data) return respond(triesLeftSw(triesLeft));
    if (triesLeft === 0) return respond(SW.PIN_BLOCKED);
    if (sameBytes(data, pin.value)) {
      this.#counters.set(key, pin.maxTries);
      this.#verified.add(fid);
      return respond(SW.OK);
    }
    this.#counters.set(key, triesLeft - 1);
    this.#verified.delete(fid);
    return respond(triesLeftSw(triesLeft - 1));
  }

  #computeSignature({ p1, p2, data }: Command): Uint8Array {
    // P1 01–05 are card-side hashing/PSS schemes, which the kiosk does not use; only 00 is emulated.
    if (p1 !== 0x00) return respond(SW.WRONG_P1P2);
    const target = this.#referencedFile(p2);
    if (typeof target === 'number') return respond(target);
    const [, key] = target;
    if (key.kind !== 'key') return respond(SW.INCOMPATIBLE_FILE);
    if (!this.#allowed(key.use)) return respond(SW.SECURITY_STATUS);
    if (!data || data.length > RSA_2048_MAX_SIGN_INPUT) return respond(SW.WRONG_LENGTH);
    // privateEncrypt with PKCS#1 padding is exactly the card's operation: type-1 pad, then RSA.
    const signature = privateEncrypt({ key: key.privateKeyPem, padding: constants.RSA_PKCS1_PADDING }, data);
    return respond(SW.OK, signature);
  }

  /** P2 = 80 (current EF) or 80|SFI, as VERIFY and COMPUTE DIGITAL SIGNATURE use it. */
  #referencedFile(p2: number): [number, ElementaryFile] | number {
    if ((p2 & 0xe0) !== 0x80) return SW.WRONG_P1P2;
    const sfi = p2 & 0x1f;
    if (sfi === 0) {
      const file = this.#currentFile();
      return file && this.#currentFid !== null ? [this.#currentFid, file] : SW.NO_CURRENT_EF;
    }
    const file = this.#application?.files.get(sfi);
    return file ? [sfi, file] : SW.DATA_NOT_FOUND;
  }

  #currentFile(): ElementaryFile | undefined {
    return this.#currentFid === null ? undefined : this.#application?.files.get(this.#currentFid);
  }

  #allowed(rule: AccessRule): boolean {
    return rule === 'always' || this.#verified.has(rule.pin);
  }
}

export interface VirtualChannelOptions {
  reader?: string;
  /** The card "leaves" after this many answered APDUs: the next transmit gets CARD_REMOVED. */
  removeAfterApdus?: number;
}

export interface VirtualCardChannel extends CardChannel {
  readonly card: VirtualMyNumberCard;
  readonly removed: boolean;
  /** Take the card away now: every later transmit gets CARD_REMOVED. */
  remove(): void;
}

/** An in-process CardChannel onto a virtual card (for the mock driver). Opening it powers the card up. */
export function virtualChannel(card: VirtualMyNumberCard, options: VirtualChannelOptions = {}): VirtualCardChannel {
  card.reset();
  let answered = 0;
  let removed = false;
  return {
    card,
    reader: options.reader ?? 'Virtual My Number Card 00',
    atr: card.atrHex,
    get removed() {
      return removed;
    },
    remove() {
      removed = true;
    },
    async transmit(apdu) {
      if (options.removeAfterApdus !== undefined && answered >= options.removeAfterApdus) removed = true;
      if (removed) return fail('CARD_REMOVED');
      answered += 1;
      return ok(card.transmit(apdu));
    },
    async close() {
      removed = true;
    },
  };
}
