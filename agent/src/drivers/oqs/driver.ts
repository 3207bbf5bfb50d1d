import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { agentError, fail, ok, type DriverStatus, type Result } from '@kiosk/protocol';
import type { Clock } from '../../clock.ts';
import type { EligibilityResult } from '../../flow/ports.ts';
import type { Logger } from '../../logger.ts';
import type { Db } from '../../storage/db.ts';
import { DriverEvents, type FaceWaitRequest, type ReaderDriver, type ReaderResult } from '../../flow/ports.ts';
import { decideBinding, timing, type BindingCandidate, type BindingDecision, type Waiter } from './binding.ts';
import type { OqsConfig } from './config.ts';
import { japanIso, japanTimestamp } from './dates.ts';
import { toEligibilityResult } from './eligibility.ts';
import { isCompleteOqsDocument } from './complete.ts';
import { FolderIntake, type IntakeFile } from './intake.ts';
import { parseOqsFile, type ParsedOqsFile } from './parse.ts';
import { createOqsStore, type OqsStaffItem } from './store.ts';

export interface OqsDriverDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

/** Staff-facing queue of walk-ins and results that need review (for the staff console). */
export interface OqsStaffQueue {
  list(options?: { includeResolved?: boolean }): OqsStaffItem[];
  /** The item's result, re-read from the terminal's file. Personal data: staff screens only. */
  load(id: number): Promise<Result<{ item: OqsStaffItem; parsed: ParsedOqsFile; eligibility: EligibilityResult }>>;
  resolve(id: number, by: string, resolution: 'assigned' | 'dismissed'): Result<void>;
}

export interface OqsDriver extends ReaderDriver {
  readonly staff: OqsStaffQueue;
  /** Looks at the face folder now (tests, and the flow right after a session starts). */
  scanNow(): Promise<void>;
}

/** Face files: OQSsiquc01res_face_…xml in practice; any .xml the terminal drops there is read. */
const isFaceFile = (name: string): boolean => name.toLowerCase().endsWith('.xml');

/** Order of a burst: the terminal's timestamp (name or ProcessExecutionTime), then the name. */
function orderKey(name: string, parsed: Result<ParsedOqsFile>): string {
  const fromName = /(\d{14})(?=\.xml$)/i.exec(name)?.[1];
  const fromFile = parsed.ok ? parsed.value.header.ProcessExecutionTime?.trim() : undefined;
  return `${fromFile && /^\d{14}$/.test(fromFile) ? fromFile : (fromName ?? '')}\u0000${name}`;
}

interface WalkIn extends BindingCandidate {
  result: ReaderResult;
}

interface PendingWait extends Waiter {
  finish(result: Result<ReaderResult>): void;
}

export function createOqsDriver(config: OqsConfig, deps: OqsDriverDeps): OqsDriver {
  const { clock } = deps;
  const log = deps.logger.child({ module: 'oqs' });
  const store = createOqsStore(deps.db);
  const events = new DriverEvents();
  const waits = new Map<string, PendingWait>();
  const walkIns = new Map<string, WalkIn>();
  // Not the folder's path: the status goes to /healthz callers, the kiosk and the board. The path is in the start-up log.
  const readerName = '資格確認端末 face folder';
  let status: DriverStatus = { driver: 'oqs', service: 'starting', readers: [{ name: readerName, driver: 'oqs', state: 'empty' }] };

  function setReachable(reachable: boolean, detail?: string): void {
    const next: DriverStatus = reachable
      ? { driver: 'oqs', service: 'ok', readers: [{ name: readerName, driver: 'oqs', state: 'empty' }] }
      : {
          driver: 'oqs',
          service: 'unavailable',
          readers: [{ name: readerName, driver: 'oqs', state: 'unavailable' }],
          detail: `face folder not reachable (${detail ?? 'unknown'}): check the share mount and permissions`,
        };
    if (JSON.stringify(next) === JSON.stringify(status)) return;
    status = next;
    log.info({ service: next.service, errno: detail }, 'face folder status');
    events.emit({ type: 'status', status: next });
  }

  const reviewError = (file: string, reason: string) =>
    fail<ReaderResult>('ELIGIBILITY_REVIEW', 'The face result needs staff review before it is used', { file, reason });

  /**
   * Writes a binding decision for one file (inside the caller's transaction) and returns the decision
   * as applied: a bind the database refuses (session or file already bound) becomes a review.
   */
  function persistDecision(fileName: string, walkIn: WalkIn, decision: BindingDecision, at: string): BindingDecision {
    const staffBase = { fileName, outcome: walkIn.result.eligibility.outcome, generatedAt: walkIn.result.generatedAt };
    let applied = decision;
    if (decision.kind === 'bind') {
      if (store.bind(fileName, decision.sessionId, at)) store.markClaimed(fileName, at);
      else applied = { kind: 'review', reason: 'several-results', sessionIds: [decision.sessionId] };
    }
    if (applied.kind === 'review') store.putStaffItem({ ...staffBase, kind: 'review', reason: applied.reason, sessionIds: applied.sessionIds }, at);
    if (applied.kind === 'walk-in') store.putStaffItem({ ...staffBase, kind: 'walk-in' }, at);
    return applied;
  }

  /** Tells the waiting sessions and the listeners about a decision once it is persisted. */
  function announce(fileName: string, walkIn: WalkIn, applied: BindingDecision): void {
    if (applied.kind === 'bind') {
      walkIns.delete(fileName);
      waits.get(applied.sessionId)?.finish(ok(walkIn.result));
      log.info({ file: fileName, sessionId: applied.sessionId, outcome: walkIn.result.eligibility.outcome }, 'face result bound');
    } else if (applied.kind === 'review') {
      walkIns.delete(fileName);
      for (const id of applied.sessionIds) waits.get(id)?.finish(reviewError(fileName, applied.reason));
      log.warn({ file: fileName, reason: applied.reason, sessions: applied.sessionIds.length }, 'face result sent to staff review');
    } else {
      walkIns.set(fileName, walkIn);
      log.info({ file: fileName, outcome: walkIn.result.eligibility.outcome }, 'face result without a waiting session (walk-in)');
      events.emit({ type: 'reader-result', result: walkIn.result });
    }
  }

  /** Applies a decision about a file already recorded (a walk-in claimed later). */
  function settle(fileName: string, walkIn: WalkIn, decision: BindingDecision, at: string): void {
    announce(
      fileName,
      walkIn,
      store.transaction(() => persistDecision(fileName, walkIn, decision, at)),
    );
  }

  async function archive(file: IntakeFile): Promise<void> {
    if (!config.archiveDir) return;
    try {
      await mkdir(config.archiveDir, { recursive: true });
      await rename(file.path, join(config.archiveDir, file.name));
    } catch (e) {
      log.warn({ file: file.name, errno: (e as NodeJS.ErrnoException).code }, 'could not archive face file');
    }
  }

  function handleFile(file: IntakeFile, parsed: Result<ParsedOqsFile>): void {
    const now = clock.now();
    const at = now.toISOString();
    const base = { name: file.name, size: file.bytes.length, mtimeMs: file.mtimeMs };
    if (!parsed.ok) {
      if (store.recordFile({ ...base, status: 'error', errorCode: parsed.error.code }, at)) {
        log.warn({ file: file.name, code: parsed.error.code, details: parsed.error.details }, 'face file rejected');
        events.emit({ type: 'error', error: agentError(parsed.error.code, parsed.error.message, { file: file.name }) });
      }
      return;
    }
    const generatedAt = japanTimestamp(parsed.value.header.ProcessExecutionTime);
    if (generatedAt && now.getTime() - generatedAt.getTime() > config.maxResultAgeMs) {
      store.recordFile({ ...base, status: 'stale', generatedAt: generatedAt.toISOString() }, at);
      return;
    }
    const walkIn: WalkIn = {
      generatedAt,
      birthDates: parsed.value.results.map((r) => r.Birthdate ?? '').filter((b) => b !== ''),
      result: {
        sourceId: file.name,
        generatedAt: japanIso(generatedAt ?? new Date(file.mtimeMs)),
        eligibility: toEligibilityResult(parsed.value, 'face'),
      },
    };
    // The file record and its binding or staff row commit together: a crash or full disk between them
    // would otherwise leave a file marked done that nobody is told about.
    const applied = store.transaction(() =>
      store.recordFile({ ...base, status: 'ok', ...(generatedAt ? { generatedAt: generatedAt.toISOString() } : {}) }, at)
        ? persistDecision(file.name, walkIn, decideBinding(walkIn, [...waits.values()]), at)
        : undefined,
    );
    if (applied) announce(file.name, walkIn, applied);
  }

  async function onBatch(files: IntakeFile[]): Promise<void> {
    const parsed = files
      .map((file) => ({ file, parsed: parseOqsFile(file.bytes, { maxBytes: config.maxFileBytes, encoding: config.encoding }) }))
      .sort((a, b) => (orderKey(a.file.name, a.parsed) < orderKey(b.file.name, b.parsed) ? -1 : 1));
    for (const { file, parsed: result } of parsed) {
      handleFile(file, result);
      await archive(file);
    }
  }

  /** A session that starts waiting may claim a walk-in that arrived just before it asked. */
  function claimWalkIns(waiter: PendingWait): void {
    const now = clock.now().getTime();
    for (const [name, w] of walkIns) if (!w.generatedAt || now - w.generatedAt.getTime() > config.walkInClaimMs) walkIns.delete(name);
    const claimable = [...walkIns.entries()].filter(([, w]) => w.generatedAt && timing(w.generatedAt, waiter.since) !== 'before');
    const at = clock.now().toISOString();
    if (claimable.length > 1) {
      for (const [name, w] of claimable) settle(name, w, { kind: 'review', reason: 'several-results', sessionIds: [waiter.sessionId] }, at);
      return;
    }
    const [only] = claimable;
    if (only) settle(only[0], only[1], decideBinding(only[1], [...waits.values()]), at);
  }

  const intake = new FolderIntake({
    dir: config.faceDir,
    pollIntervalMs: config.pollIntervalMs,
    stableMs: config.stableMs,
    watchEvents: config.watchEvents,
    accept: isFaceFile,
    isSettled: (name) => store.isSettled(name),
    isDone: (name, size, mtimeMs) => store.isDone(name, size, mtimeMs),
    isComplete: isCompleteOqsDocument,
    onBatch,
    onReachability: setReachable,
    onError: (e) => {
      log.error({ err: e }, 'face file handling failed');
      events.emit({ type: 'error', error: agentError('STORAGE_UNAVAILABLE') });
    },
  });

  function queueItem(id: number): Result<OqsStaffItem> {
    const item = store.staffItem(id);
    return item ? ok(item) : fail('INPUT_INVALID', 'No such staff item');
  }

  return {
    kind: 'oqs',
    capabilities: { cardIo: false, faceAuth: true },
    async start() {
      log.info({ faceDir: config.faceDir, ...(config.archiveDir ? { archiveDir: config.archiveDir } : {}) }, 'watching the face folder');
      intake.start();
      await intake.scanNow();
    },
    async stop() {
      await intake.stop();
      for (const wait of [...waits.values()]) wait.finish(fail('ELIGIBILITY_TIMEOUT', 'The agent is stopping'));
    },
    status: () => status,
    subscribe: (listener) => events.subscribe(listener),
    scanNow: () => intake.scanNow(),

    awaitFaceResult(request: FaceWaitRequest, signal: AbortSignal): Promise<Result<ReaderResult>> {
      return new Promise((resolve) => {
        if (signal.aborted) return resolve(fail('ELIGIBILITY_TIMEOUT', 'Waiting was cancelled', { cancelled: true }));
        waits.get(request.sessionId)?.finish(fail('INPUT_STALE_SESSION', 'A newer wait replaced this one'));
        const onAbort = () => waiter.finish(fail('ELIGIBILITY_TIMEOUT', 'Waiting was cancelled', { cancelled: true }));
        const timer = setTimeout(() => waiter.finish(fail('ELIGIBILITY_TIMEOUT')), config.faceTimeoutMs);
        const waiter: PendingWait = {
          sessionId: request.sessionId,
          since: request.since,
          ...(request.birthDate ? { birthDate: request.birthDate } : {}),
          finish: (result) => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            if (waits.get(request.sessionId) === waiter) waits.delete(request.sessionId);
            resolve(result);
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waits.set(request.sessionId, waiter);
        claimWalkIns(waiter);
        intake.scanNow().catch((e: unknown) => log.error({ err: e }, 'face folder scan failed'));
      });
    },

    staff: {
      list: (options) => store.staffItems(options?.includeResolved ?? false),
      async load(id) {
        const item = queueItem(id);
        if (!item.ok) return item;
        const dirs = [config.faceDir, ...(config.archiveDir ? [config.archiveDir] : [])];
        for (const dir of dirs) {
          const bytes = await readFile(join(dir, item.value.fileName)).catch(() => undefined);
          if (!bytes) continue;
          const parsed = parseOqsFile(bytes, { maxBytes: config.maxFileBytes, encoding: config.encoding });
          if (!parsed.ok) return parsed;
          return ok({ item: item.value, parsed: parsed.value, eligibility: toEligibilityResult(parsed.value, 'face') });
        }
        return fail('OQS_FOLDER_UNAVAILABLE', 'The face file is no longer in the face or archive folder', { file: item.value.fileName });
      },
      resolve(id, by, resolution) {
        const item = queueItem(id);
        if (!item.ok) return item;
        return store.resolveStaffItem(id, by, resolution, clock.now().toISOString())
          ? ok(undefined)
          : fail('INPUT_NOT_ALLOWED_NOW', 'The item is already resolved');
      },
    },
  };
}
