/** EventEmitter fakes of the pcsclite port, for the watcher and driver unit tests. */
import { EventEmitter } from 'node:events';
import type { PcscContext, PcscPort, PcscReader } from './port.ts';
import { SCARD_STATE } from './port.ts';

export const pcscError = (call: string, text: string, code: number) => new Error(`${call} error: ${text}.(0x${code.toString(16)})`);

export const SERVICE_NOT_AVAILABLE = () => pcscError('SCardEstablishContext', 'Service not available', 0x8010001d);
export const RPC_TRANSPORT_ERROR = () => pcscError('SCardGetStatusChange', 'RPC transport error', 0x80100013);

export class FakeReader extends EventEmitter implements PcscReader {
  closed = false;
  protocol = 2;
  connectResults: (Error | undefined)[] = [];
  /** Responses or errors, consumed in order; when empty the card answers 9000. */
  responses: (Uint8Array | Error)[] = [];
  sent: Uint8Array[] = [];
  connects = 0;
  disconnects = 0;

  constructor(readonly name: string) {
    super();
  }

  async connect(): Promise<number> {
    this.connects++;
    const error = this.connectResults.shift();
    if (error) throw error;
    return this.protocol;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.sent.push(apdu);
    const next = this.responses.shift() ?? Uint8Array.from([0x90, 0x00]);
    if (next instanceof Error) throw next;
    return next;
  }

  async disconnect(): Promise<void> {
    this.disconnects++;
  }

  close(): void {
    this.closed = true;
  }

  insert(atr = [0x3b, 0x85, 0x80, 0x01, 0x76, 0x63, 0x61, 0x72, 0x64, 0x66]): void {
    this.emit('status', { state: SCARD_STATE.CHANGED | SCARD_STATE.PRESENT, atr: Uint8Array.from(atr) });
  }

  empty(): void {
    this.emit('status', { state: SCARD_STATE.CHANGED | SCARD_STATE.EMPTY, atr: undefined });
  }
}

export class FakeContext extends EventEmitter implements PcscContext {
  closed = false;
  close(): void {
    this.closed = true;
    // Like the binding: closing cancels the pending SCardGetStatusChange.
    this.emit('error', pcscError('SCardGetStatusChange', 'Command cancelled', 0x80100002));
  }
  addReader(name: string): FakeReader {
    const reader = new FakeReader(name);
    this.emit('reader', reader);
    return reader;
  }
}

export class FakePort implements PcscPort {
  readonly contexts: FakeContext[] = [];
  /** When set, establish() throws it (pcscd down). */
  down: Error | undefined;
  attempts = 0;

  establish(): PcscContext {
    this.attempts++;
    if (this.down) throw this.down;
    const context = new FakeContext();
    this.contexts.push(context);
    return context;
  }

  get current(): FakeContext {
    const context = this.contexts.at(-1);
    if (!context) throw new Error('no context established');
    return context;
  }
}
