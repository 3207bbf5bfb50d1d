/**
 * Puts a virtual card into pcscd's vsmartcard reader (vpcd): the card is the TCP client of the vpcd
 * driver (slot 0 → 127.0.0.1:35963, slot 1 → 35964). Connecting is inserting, closing is removing.
 * Framing both ways: uint16 big-endian length + payload. A 1-byte payload is a control message
 * (0 off, 1 on, 2 reset: no reply; 4: reply with the ATR); anything longer is an APDU.
 * See shared/reference/pcsc-test-stack.md §2, §7.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { fail, ok } from '@kiosk/protocol';
import type { Result } from '@kiosk/protocol';
import { createVirtualCard } from './profiles.ts';
import type { CreateVirtualCardOptions } from './profiles.ts';
import type { VirtualMyNumberCard } from './virtual-card.ts';

export const VPCD_BASE_PORT = 35963;

const CONTROL = { powerOff: 0x00, powerOn: 0x01, reset: 0x02, getAtr: 0x04 } as const;

export interface VpcdEndpoint {
  host?: string;
  /** vpcd slot: 0 → "Virtual PCD 00 00", 1 → "Virtual PCD 00 01". */
  slot?: 0 | 1;
  /** Explicit port (tests use a local fake vpcd); default VPCD_BASE_PORT + slot. */
  port?: number;
}

/** One frame: 2-byte big-endian length + payload, built for a single socket.write. */
export function vpcdFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.alloc(2 + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, 2);
  return frame;
}

/** Splits a byte stream into frames; keeps incomplete tails for the next chunk. */
export class VpcdFrameReader {
  #buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: Buffer[] = [];
    while (this.#buffer.length >= 2) {
      const length = this.#buffer.readUInt16BE(0);
      if (this.#buffer.length < 2 + length) break;
      frames.push(this.#buffer.subarray(2, 2 + length));
      this.#buffer = this.#buffer.subarray(2 + length);
    }
    return frames;
  }
}

export class VpcdCardClient {
  readonly card: VirtualMyNumberCard;
  readonly host: string;
  readonly port: number;
  #socket: Socket | null = null;
  /** APDUs still answered before the card "dies"; null = never. */
  #apdusBeforeDeath: number | null = null;

  constructor(card: VirtualMyNumberCard, endpoint: VpcdEndpoint = {}) {
    this.card = card;
    this.host = endpoint.host ?? '127.0.0.1';
    this.port = endpoint.port ?? VPCD_BASE_PORT + (endpoint.slot ?? 0);
  }

  get inserted(): boolean {
    return this.#socket !== null;
  }

  /** Connects to vpcd: pcscd then sees a card in that reader (within its 400 ms poll). */
  insert(): Promise<Result<void>> {
    if (this.#socket) return Promise.resolve(ok(undefined));
    return new Promise((resolve) => {
      const socket = connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const frames = new VpcdFrameReader();
      socket.once('connect', () => {
        this.#socket = socket;
        resolve(ok(undefined));
      });
      socket.on('data', (chunk) => {
        for (const frame of frames.push(chunk)) this.#answer(socket, frame);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (this.#socket !== socket) resolve(fail('READER_SERVICE_UNAVAILABLE', `vpcd not reachable at ${this.host}:${this.port} (${error.code ?? 'error'})`));
      });
      socket.on('close', () => {
        if (this.#socket === socket) this.#socket = null;
      });
    });
  }

  /** Closes the connection: pcscd sees the card removed. */
  remove(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return Promise.resolve();
    this.#socket = null;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      // destroy, not end: end() would wait for vpcd's FIN, which only comes at its next presence poll.
      socket.destroy();
    });
  }

  /** Answer `apdus` more APDUs, then drop the connection on the next one without answering (card dies mid-read). */
  disconnectAfter(apdus: number): void {
    this.#apdusBeforeDeath = apdus;
  }

  #answer(socket: Socket, frame: Buffer): void {
    if (frame.length === 1) {
      const control = frame[0];
      if (control === CONTROL.getAtr) socket.write(vpcdFrame(this.card.atr));
      else if (control === CONTROL.powerOff || control === CONTROL.powerOn || control === CONTROL.reset) this.card.reset();
      return;
    }
    if (frame.length === 0) return;
    if (this.#apdusBeforeDeath !== null) {
      if (this.#apdusBeforeDeath === 0) {
        this.#apdusBeforeDeath = null;
        if (this.#socket === socket) this.#socket = null;
        socket.destroy();
        return;
      }
      this.#apdusBeforeDeath -= 1;
    }
    socket.write(vpcdFrame(this.card.transmit(frame)));
  }
}

export interface VirtualCardOnVpcd {
  card: VirtualMyNumberCard;
  client: VpcdCardClient;
  remove(): Promise<void>;
}

export type StartVirtualCardOptions = CreateVirtualCardOptions & VpcdEndpoint;

/**
 * Test-fixture helper: create a card of a profile and insert it into vpcd. Rejects when vpcd is not
 * reachable (a fixture that cannot start should fail the test setup loudly).
 */
export async function startVirtualCardOnVpcd(options: StartVirtualCardOptions): Promise<VirtualCardOnVpcd> {
  const card = await createVirtualCard(options);
  const client = new VpcdCardClient(card, options);
  const inserted = await client.insert();
  if (!inserted.ok) throw new Error(inserted.error.message);
  return { card, client, remove: () => client.remove() };
}
