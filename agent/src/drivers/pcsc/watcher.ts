/**
 * Reader watcher: turns the binding's raw events into the driver's status and card events.
 * Pure logic over a PcscPort, so unit tests drive it with EventEmitter fakes.
 *
 * - Reader state is tracked here, per reader: the binding sets reader.state unreliably and repeats
 *   statuses (get_status and the status thread both report the first state).
 * - "No reader" is only declared after a start-up debounce: readers are announced asynchronously.
 * - pcscd down at start (establish throws 0x8010001d) or lost while running (0x80100013, then 'end')
 *   → service 'unavailable', every card counts as removed, and the context is re-created with
 *   backoff until pcscd is back. A binding context never recovers by itself.
 */
import type { DriverEvent } from '../../flow/ports.ts';
import type { DriverStatus, ReaderInfo } from '@kiosk/protocol';
import type { Logger } from '../../logger.ts';
import type { Clock } from '../../clock.ts';
import { SCARD_STATE, type PcscContext, type PcscPort, type PcscReader, type ReaderStatus } from './port.ts';
import { describe, isServiceLoss, pcscCode, SCARD } from './errors.ts';
import { toHex } from '../../card/hex.ts';

export interface WatcherOptions {
  /** Only readers whose name contains one of these (case-insensitive) are used; empty/absent = all. */
  readerAllow?: string[];
  /** Readers whose name contains one of these come first in the status, in this order. */
  readerPrefer?: string[];
  /** How long to wait for readers to be announced before reporting "no reader" (default 1500 ms). */
  startupDebounceMs?: number;
  /** Re-connect delays after pcscd is lost: first delay, doubled up to the maximum (0.5 s → 5 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export interface WatcherDeps {
  clock: Clock;
  logger: Logger;
  emit(event: DriverEvent): void;
}

/** What the driver needs to know about one reader to open its card. */
export interface TrackedReader {
  readonly handle: PcscReader;
  present: boolean;
  atr: string;
  /** Increases on every insertion: a channel opened on an earlier insertion is stale. */
  insertion: number;
  /** clock.now() in ms when the current card was seen. */
  insertedAt: number;
  busy: boolean;
  /** false until the reader's first status: its state is unknown, so it is not listed yet. */
  known: boolean;
}

const SERVICE_DOWN_DETAIL = 'pcscd is not running: start it (systemctl start pcscd) or install it (apt-get install pcscd)';

const NO_READER_DETAIL = 'no card reader found: connect a reader (CCID readers need the libccid package)';

/** Index of the first pattern that `name` contains (case-insensitive), or -1: how reader names are matched. */
export const matches = (name: string, patterns: readonly string[]): number => patterns.findIndex((p) => name.toLowerCase().includes(p.toLowerCase()));

export class ReaderWatcher {
  readonly #port: PcscPort;
  readonly #deps: WatcherDeps;
  readonly #allow: string[];
  readonly #prefer: string[];
  readonly #debounceMs: number;
  readonly #backoffInitialMs: number;
  readonly #backoffMaxMs: number;

  #context: PcscContext | undefined;
  /** Every reader handle of the current context, allowed or not: all must be closed. */
  #handles: PcscReader[] = [];
  readonly #readers = new Map<string, TrackedReader>();
  #service: DriverStatus['service'] = 'starting';
  #detail: string | undefined;
  #lastStatusJson = '';
  #backoffMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #insertions = 0;

  constructor(port: PcscPort, options: WatcherOptions, deps: WatcherDeps) {
    this.#port = port;
    this.#deps = deps;
    this.#allow = options.readerAllow ?? [];
    this.#prefer = options.readerPrefer ?? [];
    this.#debounceMs = options.startupDebounceMs ?? 1500;
    this.#backoffInitialMs = options.backoffInitialMs ?? 500;
    this.#backoffMaxMs = options.backoffMaxMs ?? 5000;
    this.#backoffMs = this.#backoffInitialMs;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#establish();
  }

  stop(): void {
    this.#running = false;
    this.#clearTimer();
    this.#dropContext();
  }

  status(): DriverStatus {
    const readers: ReaderInfo[] = [...this.#readers.entries()]
      .filter(([, r]) => r.known)
      .sort(([a], [b]) => this.#rank(a) - this.#rank(b) || a.localeCompare(b))
      .map(([name, r]) => ({ name, driver: 'pcsc', state: r.busy ? 'busy' : r.present ? 'present' : 'empty' }));
    const detail = this.#detail ?? (this.#service === 'ok' && readers.length === 0 ? NO_READER_DETAIL : undefined);
    return { driver: 'pcsc', service: this.#service, readers, ...(detail ? { detail } : {}) };
  }

  reader(name: string): TrackedReader | undefined {
    return this.#readers.get(name);
  }

  setBusy(name: string, busy: boolean): void {
    const reader = this.#readers.get(name);
    if (!reader || reader.busy === busy) return;
    reader.busy = busy;
    this.#publishStatus();
  }

  /** A channel saw pcscd vanish before the status thread did: re-create the context now. */
  reportServiceLoss(error: unknown): void {
    if (this.#context) this.#serviceLost(error);
  }

  #rank(name: string): number {
    const index = matches(name, this.#prefer);
    return index === -1 ? this.#prefer.length : index;
  }

  #allowed(name: string): boolean {
    return this.#allow.length === 0 || matches(name, this.#allow) !== -1;
  }

  #establish(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    let context: PcscContext;
    try {
      context = this.#port.establish();
    } catch (err) {
      this.#setService('unavailable', isServiceLoss(pcscCode(err)) ? SERVICE_DOWN_DETAIL : `PC/SC error: ${describe(err)}`);
      this.#deps.logger.warn({ err: describe(err), retryInMs: this.#backoffMs }, 'pcsc: no context');
      this.#scheduleReconnect();
      return;
    }
    this.#context = context;
    this.#setService('starting', undefined);
    context.on('error', (err) => this.#onContextError(context, err));
    context.on('reader', (handle) => this.#onReader(context, handle));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#context === context) this.#becomeReady();
    }, this.#debounceMs);
  }

  #scheduleReconnect(): void {
    const delay = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#backoffMaxMs);
    this.#timer = setTimeout(() => this.#establish(), delay);
  }

  #becomeReady(): void {
    this.#backoffMs = this.#backoffInitialMs;
    if (this.#service === 'starting') this.#setService('ok', undefined);
  }

  #onContextError(context: PcscContext, err: Error): void {
    if (this.#context !== context) return; // our own close() emits "Command cancelled"
    if (isServiceLoss(pcscCode(err))) this.#serviceLost(err);
    else this.#deps.logger.warn({ err: describe(err) }, 'pcsc: context error');
  }

  #onReader(context: PcscContext, handle: PcscReader): void {
    if (this.#context !== context) {
      handle.on('error', () => {});
      handle.close();
      return;
    }
    this.#handles.push(handle);
    handle.on('error', (err) => {
      if (this.#context !== context) return;
      const code = pcscCode(err);
      if (isServiceLoss(code)) this.#serviceLost(err);
      else if (code !== SCARD.E_CANCELLED) this.#deps.logger.warn({ reader: handle.name, err: describe(err) }, 'pcsc: reader error');
    });
    if (!this.#allowed(handle.name)) {
      this.#deps.logger.info({ reader: handle.name }, 'pcsc: reader not in the allow-list, ignored');
      return;
    }
    const tracked: TrackedReader = { handle, present: false, atr: '', insertion: 0, insertedAt: 0, busy: false, known: false };
    this.#readers.set(handle.name, tracked);
    this.#deps.logger.info({ reader: handle.name }, 'pcsc: reader added');
    handle.on('status', (status) => {
      if (this.#context === context) this.#onStatus(tracked, status);
    });
    handle.on('end', () => {
      if (this.#context === context && this.#readers.get(handle.name) === tracked) this.#onReaderEnd(tracked);
    });
  }

  #onStatus(reader: TrackedReader, status: ReaderStatus): void {
    // A mute card (no ATR) cannot be used: it counts as absent until it answers.
    const present = (status.state & SCARD_STATE.PRESENT) !== 0 && (status.state & SCARD_STATE.MUTE) === 0;
    const atr = present && status.atr ? toHex(status.atr) : '';
    const name = reader.handle.name;
    if (present && (!reader.present || atr !== reader.atr)) {
      if (reader.present) this.#removeCard(reader); // a different card replaced the previous one between polls
      reader.present = true;
      reader.atr = atr;
      reader.insertion = ++this.#insertions;
      reader.insertedAt = this.#deps.clock.now().getTime();
      this.#deps.logger.info({ reader: name, atr }, 'pcsc: card inserted');
      this.#deps.emit({ type: 'card-inserted', reader: name, atr });
    } else if (!present && reader.present) {
      this.#removeCard(reader);
    }
    reader.known = true;
    // Ready once every announced reader has told its state, so a start-up status never lists a
    // reader as empty that in fact holds a card.
    if ([...this.#readers.values()].every((r) => r.known)) this.#becomeReady();
    this.#publishStatus();
  }

  #removeCard(reader: TrackedReader): void {
    reader.present = false;
    reader.atr = '';
    reader.insertion = ++this.#insertions;
    this.#deps.logger.info({ reader: reader.handle.name }, 'pcsc: card removed');
    this.#deps.emit({ type: 'card-removed', reader: reader.handle.name });
  }

  #onReaderEnd(reader: TrackedReader): void {
    if (reader.present) this.#removeCard(reader);
    this.#readers.delete(reader.handle.name);
    this.#handles = this.#handles.filter((h) => h !== reader.handle);
    this.#deps.logger.info({ reader: reader.handle.name }, 'pcsc: reader removed');
    this.#publishStatus();
  }

  #serviceLost(err: unknown): void {
    this.#deps.logger.warn({ err: describe(err), retryInMs: this.#backoffMs }, 'pcsc: service lost');
    for (const reader of this.#readers.values()) if (reader.present) this.#removeCard(reader);
    this.#clearTimer();
    this.#dropContext();
    this.#setService('unavailable', SERVICE_DOWN_DETAIL);
    if (this.#running) this.#scheduleReconnect();
  }

  /** Closes every reader and then the context, so no binding thread keeps the process alive. */
  #dropContext(): void {
    const context = this.#context;
    const handles = this.#handles;
    this.#context = undefined;
    this.#handles = [];
    this.#readers.clear();
    for (const handle of handles) {
      try {
        handle.close();
      } catch (err) {
        this.#deps.logger.debug({ err: describe(err) }, 'pcsc: reader close failed');
      }
    }
    try {
      context?.close();
    } catch (err) {
      this.#deps.logger.debug({ err: describe(err) }, 'pcsc: context close failed');
    }
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #setService(service: DriverStatus['service'], detail: string | undefined): void {
    this.#service = service;
    this.#detail = detail;
    this.#publishStatus();
  }

  #publishStatus(): void {
    const status = this.status();
    const json = JSON.stringify(status);
    if (json === this.#lastStatusJson) return;
    this.#lastStatusJson = json;
    this.#deps.emit({ type: 'status', status });
  }
}
