import { fail, ok, type DriverStatus, type Result } from '@kiosk/protocol';
import { DriverEvents, type CardChannel, type DriverEvent, type ReaderDriver } from '../../flow/ports.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { INSTALL_HINT, loadPcscPort, type PcscPort } from './port.ts';
import { ReaderWatcher, type WatcherOptions } from './watcher.ts';
import { PcscChannel } from './channel.ts';
import { describe, errorCodeFor, isTransient } from './errors.ts';

export interface PcscDriverConfig extends WatcherOptions {
  /**
   * The pause before the one retry of a transient error (default 200 ms). A fresh card is connected at
   * once: a fixed wait before the first command was most of a card read, and the retry covers a card
   * still powering up.
   */
  settleMs?: number;
}

export interface PcscDriverDeps {
  clock: Clock;
  logger: Logger;
  /** Injected in tests; by default the npm pcsclite binding is loaded at start(). */
  port?: PcscPort;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reader driver over PC/SC (pcscd): card insert/remove events and raw APDU channels. */
export function createPcscDriver(config: PcscDriverConfig, deps: PcscDriverDeps): ReaderDriver {
  const events = new DriverEvents();
  const settleMs = config.settleMs ?? 200;
  let watcher: ReaderWatcher | undefined;
  let unavailable: DriverStatus | undefined;
  /** The open channel per reader, with the insertion it belongs to. */
  const open = new Map<string, { channel?: PcscChannel; insertion: number }>();
  const emit = (event: DriverEvent) => events.emit(event);

  async function start(): Promise<void> {
    if (watcher || unavailable) return;
    const port = deps.port ? ok(deps.port) : await loadPcscPort();
    if (!port.ok) {
      deps.logger.error({ code: port.error.code, hint: INSTALL_HINT }, 'pcsc: native binding missing');
      unavailable = { driver: 'pcsc', service: 'unavailable', readers: [], detail: port.error.message };
      emit({ type: 'status', status: unavailable });
      emit({ type: 'error', error: port.error });
      return;
    }
    watcher = new ReaderWatcher(port.value, config, { clock: deps.clock, logger: deps.logger, emit });
    watcher.start();
  }

  async function stop(): Promise<void> {
    await Promise.all([...open.values()].map((o) => o.channel?.close()));
    open.clear();
    watcher?.stop();
    watcher = undefined;
    unavailable = undefined;
  }

  function status(): DriverStatus {
    return watcher?.status() ?? unavailable ?? { driver: 'pcsc', service: 'starting', readers: [] };
  }

  async function openCard(name: string): Promise<Result<CardChannel>> {
    const w = watcher;
    if (!w || w.status().service === 'unavailable') return fail(unavailable ? 'READER_DRIVER_UNAVAILABLE' : 'READER_SERVICE_UNAVAILABLE');
    const reader = w.reader(name);
    if (!reader) return fail('READER_NOT_FOUND', `No reader named "${name}"`);
    if (!reader.present) return fail('CARD_NOT_PRESENT');
    const previous = open.get(name);
    if (previous?.insertion === reader.insertion) return fail('READER_BUSY', 'The card on this reader is already open');
    const insertion = reader.insertion;
    const isCurrent = () => w.reader(name) === reader && reader.present && reader.insertion === insertion;
    const release = () => {
      if (open.get(name)?.insertion !== insertion) return;
      open.delete(name);
      w.setBusy(name, false);
    };
    // Claimed before any await so a second openCard cannot race in; a channel left open on a card
    // that is gone is closed first, or the binding would skip the connect.
    open.set(name, { insertion });
    w.setBusy(name, true);
    await previous?.channel?.close();
    const connected = await connectWithRetry(() => reader.handle.connect(), isCurrent);
    if (!connected.ok) {
      release();
      if (connected.error.code === 'READER_SERVICE_UNAVAILABLE') w.reportServiceLoss(connected.error.message);
      return connected;
    }
    deps.logger.info({ reader: name, protocol: connected.value }, 'pcsc: card connected');
    const channel = new PcscChannel(reader.handle, reader.atr, connected.value, {
      isCurrent,
      onServiceLoss: (err) => w.reportServiceLoss(err),
      onClose: release,
      retryDelay: () => sleep(settleMs),
    });
    open.set(name, { channel, insertion });
    return ok(channel);
  }

  async function connectWithRetry(connect: () => Promise<number>, isCurrent: () => boolean): Promise<Result<number>> {
    for (let attempt = 1; ; attempt++) {
      if (!isCurrent()) return fail('CARD_REMOVED');
      try {
        return ok(await connect());
      } catch (err) {
        const code = errorCodeFor(err);
        if (attempt >= 2 || !isTransient(code)) return fail(code, describe(err));
        await sleep(settleMs);
      }
    }
  }

  return {
    kind: 'pcsc',
    capabilities: { cardIo: true, faceAuth: false },
    start,
    stop,
    status,
    subscribe: (listener) => events.subscribe(listener),
    openCard,
  };
}
