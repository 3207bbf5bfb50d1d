import { agentError, fail, type DriverKind, type DriverStatus, type ReaderInfo } from '@kiosk/protocol';
import { DriverEvents, type ReaderDriver } from '../flow/ports.ts';

/**
 * One status from the parts' statuses. Usable while any part is usable (the kiosk still has a path),
 * but never hides a part that is down: its readers are listed as unavailable (a placeholder when it
 * lists none) and the detail names it.
 */
export function mergeStatus(kind: DriverKind, statuses: readonly DriverStatus[]): DriverStatus {
  const service: DriverStatus['service'] = statuses.some((s) => s.service === 'ok')
    ? 'ok'
    : statuses.some((s) => s.service === 'starting')
      ? 'starting'
      : 'unavailable';
  const readers = statuses.flatMap((s): ReaderInfo[] => {
    if (s.service !== 'unavailable') return s.readers;
    if (s.readers.length === 0) return [{ name: `${s.driver} service`, driver: s.driver, state: 'unavailable' }];
    return s.readers.map((r) => ({ ...r, state: 'unavailable' }));
  });
  const details = statuses.filter((s) => s.service !== 'ok' || s.detail).map((s) => `${s.driver}: ${s.detail ?? s.service}`);
  return { driver: kind, service, readers, ...(details.length > 0 ? { detail: details.join('; ') } : {}) };
}

const rejected = (r: PromiseSettledResult<void>): r is PromiseRejectedResult => r.status === 'rejected';

/** Status of a part whose start() threw: it stays down until the next start. */
function failedStatus(part: ReaderDriver, reason: unknown): DriverStatus {
  const why = reason instanceof Error ? reason.message : String(reason);
  return { driver: part.kind, service: 'unavailable', readers: [], detail: `failed to start (${why})` };
}

/**
 * Several drivers run as one, e.g. a PC/SC reader on the kiosk PC beside the face-auth reader behind
 * the 資格確認端末: events of every part, merged status, card I/O from the part that has the reader,
 * face results from the first face-capable part. Works over any ReaderDriver implementations.
 */
export function combineDrivers(kind: DriverKind, parts: readonly ReaderDriver[]): ReaderDriver {
  const events = new DriverEvents();
  const failed = new Map<ReaderDriver, DriverStatus>();
  const statusOf = (part: ReaderDriver): DriverStatus => failed.get(part) ?? part.status();
  const status = (): DriverStatus => mergeStatus(kind, parts.map(statusOf));
  let lastStatus = '';

  function emitStatus(): void {
    const next = status();
    const json = JSON.stringify(next);
    // Parts repeat themselves (and one part's change leaves the merge alone): the flow hears changes only.
    if (json === lastStatus) return;
    lastStatus = json;
    events.emit({ type: 'status', status: next });
  }

  for (const part of parts) {
    part.subscribe((event) => (event.type === 'status' ? emitStatus() : events.emit(event)));
  }

  const cardParts = parts.filter((p) => p.capabilities.cardIo && p.openCard);
  const faceAuth = parts.find((p) => p.capabilities.faceAuth && p.awaitFaceResult);

  const driver: ReaderDriver = {
    kind,
    capabilities: { cardIo: cardParts.length > 0, faceAuth: faceAuth !== undefined },
    status,
    subscribe: (listener) => events.subscribe(listener),

    /** Starts every part; one that fails is reported down and the others run. Throws only when all fail. */
    async start() {
      failed.clear();
      const started = await Promise.allSettled(parts.map((p) => p.start()));
      started.forEach((r, i) => {
        if (r.status === 'rejected') failed.set(parts[i]!, failedStatus(parts[i]!, r.reason));
      });
      const firstFailure = started.find(rejected);
      if (firstFailure && failed.size === parts.length) throw firstFailure.reason;
      emitStatus();
      for (const part of failed.keys()) {
        events.emit({ type: 'error', error: agentError('READER_DRIVER_UNAVAILABLE', `The ${part.kind} driver failed to start`, { driver: part.kind }) });
      }
    },

    /** Stops every part even when one throws, then reports the first failure. */
    async stop() {
      const stopped = await Promise.allSettled(parts.map((p) => p.stop()));
      const firstFailure = stopped.find(rejected);
      if (firstFailure) throw firstFailure.reason;
    },
  };

  if (cardParts.length > 0) {
    driver.openCard = (reader) => {
      const owner = cardParts.find((p) => statusOf(p).readers.some((r) => r.name === reader));
      return owner?.openCard ? owner.openCard(reader) : Promise.resolve(fail('READER_NOT_FOUND', `No reader named "${reader}"`));
    };
  }
  if (faceAuth?.awaitFaceResult) driver.awaitFaceResult = faceAuth.awaitFaceResult.bind(faceAuth);
  return driver;
}
