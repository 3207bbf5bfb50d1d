/**
 * Thin promise-based port over the npm `pcsclite` binding (santigimeno). Everything above this file
 * (watcher, driver) talks to these interfaces only, so tests inject EventEmitter fakes instead.
 *
 * Binding facts this file handles (shared/reference/pcsc-test-stack.md):
 * - `pcsclite()` throws at once when pcscd is down (SCardEstablishContext … 0x8010001d);
 * - every emitter gets an 'error' listener here, because close() emits "Command cancelled";
 * - connect() defaults to EXCLUSIVE, so SHARED is passed explicitly (diagnostic tools coexist);
 * - `reader.connected` is never reset when the card goes away, so disconnect() clears it;
 * - the binding emits reader 'status'/'error'/'end' while holding that reader's native mutex, and
 *   reader.close() takes the same mutex: closing from inside a listener deadlocks the main thread.
 *   So every binding event reaches the port's listeners on a later turn (setImmediate, order kept).
 */
import type { EventEmitter } from 'node:events';
import { fail, ok, type Result } from '@kiosk/protocol';

/** SCARD_STATE_* bits (pcsc-lite). */
export const SCARD_STATE = {
  CHANGED: 0x0002,
  UNKNOWN: 0x0004,
  UNAVAILABLE: 0x0008,
  EMPTY: 0x0010,
  PRESENT: 0x0020,
  EXCLUSIVE: 0x0080,
  INUSE: 0x0100,
  MUTE: 0x0200,
} as const;

export interface ReaderStatus {
  state: number;
  atr: Uint8Array | undefined;
}

/** One reader as the binding announces it; 'status', 'end' and 'error' events like the binding's. */
export interface PcscReader {
  readonly name: string;
  on(event: 'status', listener: (status: ReaderStatus) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  /** SCardConnect, SHARED, T=0|T=1; resolves the negotiated protocol; rejects with the binding's Error. */
  connect(): Promise<number>;
  /** SCardTransmit with a 65538-byte response buffer; rejects with the binding's Error. */
  transmit(apdu: Uint8Array, protocol: number): Promise<Uint8Array>;
  /** SCardDisconnect (leave the card powered for other applications); never rejects. */
  disconnect(): Promise<void>;
  /** Stops the reader's status thread. */
  close(): void;
}

/** One SCardEstablishContext with its reader list. */
export interface PcscContext {
  on(event: 'reader', listener: (reader: PcscReader) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  close(): void;
}

export interface PcscPort {
  /** Throws the binding's Error when pcscd is not running (0x8010001d). */
  establish(): PcscContext;
}

export const INSTALL_HINT = 'apt-get install pcscd libpcsclite-dev && npm install';

/** Largest response vpcd and extended APDUs can produce (64 KiB data + SW). */
const MAX_RESPONSE_LENGTH = 65538;

/** The subset of the binding used here (its own index.d.ts types the reader as an EventEmitter). */
interface BindingReader extends EventEmitter {
  name: string;
  connected: boolean;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_LEAVE_CARD: number;
  connect(options: { share_mode: number; protocol: number }, cb: (err: unknown, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, response: Buffer) => void): void;
  close(): void;
}
interface BindingContext extends EventEmitter {
  close(): void;
}
type BindingFactory = () => BindingContext;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** Runs a listener outside the binding's callback (see the file comment). */
const later =
  <A extends unknown[]>(listener: (...args: A) => void) =>
  (...args: A) =>
    setImmediate(() => listener(...args));

function wrapReader(binding: BindingReader): PcscReader {
  const emitter = binding;
  emitter.on('error', () => {}); // the owner adds its own; this one keeps an unhandled error from crashing
  const reader: PcscReader = {
    name: binding.name,
    on(event: string, listener: (...args: never[]) => void) {
      if (event === 'status') {
        // The binding reuses its ATR buffer: copy it before the callback returns.
        const deliver = later(listener as (status: ReaderStatus) => void);
        emitter.on('status', (s: { state: number; atr?: Buffer }) =>
          deliver({ state: s.state, atr: s.atr && s.atr.length > 0 ? Uint8Array.from(s.atr) : undefined }),
        );
      } else {
        emitter.on(event, later(listener as (...args: unknown[]) => void));
      }
      return reader;
    },
    connect: () =>
      new Promise((resolve, reject) => {
        const options = { share_mode: binding.SCARD_SHARE_SHARED, protocol: binding.SCARD_PROTOCOL_T0 | binding.SCARD_PROTOCOL_T1 };
        binding.connect(options, (err, protocol) => (err ? reject(asError(err)) : resolve(protocol)));
      }),
    transmit: (apdu, protocol) =>
      new Promise((resolve, reject) => {
        binding.transmit(Buffer.from(apdu), MAX_RESPONSE_LENGTH, protocol, (err, response) =>
          err ? reject(asError(err)) : resolve(Uint8Array.from(response)),
        );
      }),
    disconnect: () =>
      new Promise((resolve) => {
        binding.disconnect(binding.SCARD_LEAVE_CARD, () => {
          // A handle whose card was removed may fail to disconnect; the next connect must still run.
          binding.connected = false;
          resolve();
        });
      }),
    close: () => binding.close(),
  };
  return reader;
}

function wrapContext(binding: BindingContext): PcscContext {
  binding.on('error', () => {});
  const context: PcscContext = {
    on(event: string, listener: (...args: never[]) => void) {
      // 'reader' stays synchronous: the binding calls get_status right after emitting it, and the
      // status listeners must be attached by then.
      if (event === 'reader') binding.on('reader', (r: BindingReader) => (listener as (reader: PcscReader) => void)(wrapReader(r)));
      else binding.on(event, later(listener as (...args: unknown[]) => void));
      return context;
    },
    close: () => binding.close(),
  };
  return context;
}

/**
 * Loads the native binding. It is an optional dependency: when it was not built (libpcsclite-dev
 * missing at install), the result is READER_DRIVER_UNAVAILABLE with the install hint and the agent
 * keeps running.
 */
const PCSCLITE: string = 'pcsclite';

export async function loadPcscPort(): Promise<Result<PcscPort>> {
  try {
    // The name is not a literal so type-checking needs no pcsclite on machines where it is not installed.
    const factory = ((await import(PCSCLITE)) as { default: unknown }).default as BindingFactory;
    return ok({ establish: () => wrapContext(factory()) });
  } catch (err) {
    return fail('READER_DRIVER_UNAVAILABLE', `pcsclite native module not available (${asError(err).message.split('\n')[0]}): ${INSTALL_HINT}`);
  }
}
