import { fail, ok, type Result } from '@kiosk/protocol';
import type { CardChannel } from '../../flow/ports.ts';
import type { PcscReader } from './port.ts';
import { describe, errorCodeFor, isTransient } from './errors.ts';

export interface ChannelHooks {
  /** false once the card this channel was opened on is gone (removed, replaced, pcscd lost). */
  isCurrent(): boolean;
  /** A transmit saw pcscd vanish. */
  onServiceLoss(error: unknown): void;
  onClose(): void;
  /** Pause before retrying the first APDU of a freshly inserted card. */
  retryDelay(): Promise<void>;
}

/**
 * One SCardConnect on one card. APDUs are serialized; the first one is retried once on a transient
 * communication error (a card just placed on a contactless reader often misses it).
 */
export class PcscChannel implements CardChannel {
  readonly reader: string;
  readonly atr: string;
  readonly #handle: PcscReader;
  readonly #protocol: number;
  readonly #hooks: ChannelHooks;
  #queue: Promise<unknown> = Promise.resolve();
  #sent = 0;
  #closed = false;

  constructor(handle: PcscReader, atr: string, protocol: number, hooks: ChannelHooks) {
    this.reader = handle.name;
    this.atr = atr;
    this.#handle = handle;
    this.#protocol = protocol;
    this.#hooks = hooks;
  }

  transmit(apdu: Uint8Array): Promise<Result<Uint8Array>> {
    const result = this.#queue.then(() => this.#transmitNow(apdu));
    this.#queue = result;
    return result;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    await this.#handle.disconnect();
    this.#hooks.onClose();
  }

  async #transmitNow(apdu: Uint8Array): Promise<Result<Uint8Array>> {
    // An empty command makes vpcd (and some readers) wait forever for an answer that never comes.
    if (apdu.length < 4) return fail('INPUT_INVALID', 'A command APDU has at least 4 bytes');
    if (this.#closed) return fail('INTERNAL', 'The card channel is closed');
    if (!this.#hooks.isCurrent()) return fail('CARD_REMOVED');
    const first = this.#sent++ === 0;
    let result = await this.#exchange(apdu);
    if (!result.ok && first && isTransient(result.error.code) && this.#hooks.isCurrent()) {
      await this.#hooks.retryDelay();
      result = await this.#exchange(apdu);
    }
    return result;
  }

  async #exchange(apdu: Uint8Array): Promise<Result<Uint8Array>> {
    try {
      const response = await this.#handle.transmit(apdu, this.#protocol);
      // vpcd reports a card that died mid-command as a successful empty response.
      if (response.length === 0) return fail('CARD_REMOVED', 'The card sent no response (removed during the command)');
      if (response.length < 2) return fail('CARD_MALFORMED_RESPONSE', 'The response has no status word');
      return ok(response);
    } catch (err) {
      const code = errorCodeFor(err);
      if (code === 'READER_SERVICE_UNAVAILABLE') this.#hooks.onServiceLoss(err);
      return fail(code, describe(err));
    }
  }
}
