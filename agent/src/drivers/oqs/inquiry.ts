import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '@kiosk/protocol';
import { japanDate, type Clock } from '../../clock.ts';
import type { EligibilityResult, InsuranceNumberSource, InsuranceQuery } from '../../flow/ports.ts';
import type { Logger } from '../../logger.ts';
import type { Db } from '../../storage/db.ts';
import type { OqsConfig } from './config.ts';
import { toEligibilityResult } from './eligibility.ts';
import { FolderIntake, type IntakeFile } from './intake.ts';
import { registrationAccepted } from './outcome.ts';
import { parseOqsFile, type ParsedOqsFile } from './parse.ts';
import {
  PREFIX,
  checkInsurance,
  inquiryRequestTree,
  newRequestId,
  padInsurerNumber,
  registrationRequestTree,
  writeRequestFile,
  type ReferenceNumberRegistration,
} from './requests.ts';
import { createOqsStore } from './store.ts';

export interface OqsInquiryDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

/** 一件照会 and 照会番号登録 through the terminal's req/res folders. */
export interface OqsInquiry extends InsuranceNumberSource {
  /**
   * Writes an OQSsiimm01req and waits for its OQSsiimm01res: ok once the terminal accepted it;
   * ELIGIBILITY_SERVICE_ERROR when it refused (terminal codes in details), ELIGIBILITY_TIMEOUT without an answer.
   */
  registerReferenceNumber(input: ReferenceNumberRegistration, signal?: AbortSignal): Promise<Result<{ requestId: string }>>;
  stop(): void;
}

const RESULT_PREFIXES = [PREFIX.inquiryResult, PREFIX.registrationResult];

/** A res file may carry an mtime slightly before our clock (share or terminal clock): accept this much. */
const RESULT_CLOCK_SKEW_MS = 5_000;

/** Which request a res file answers: the file-name prefix of its kind and the request id. */
interface Wait {
  resultPrefix: string;
  requestId: string;
  /** Result files older than this cannot answer the request. */
  notBeforeMs: number;
  settle(result: Result<ParsedOqsFile>): void;
}

/** Resolves with the promise, or with a cancellation as soon as the caller's signal aborts. */
function untilAborted<T>(promise: Promise<Result<T>>, signal: AbortSignal | undefined): Promise<Result<T>> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(fail('ELIGIBILITY_TIMEOUT', 'Waiting was cancelled', { cancelled: true }));
  return new Promise((resolve) => {
    const onAbort = () => resolve(fail('ELIGIBILITY_TIMEOUT', 'Waiting was cancelled', { cancelled: true }));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((r) => {
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    });
  });
}

export function createOqsInquiry(config: OqsConfig, deps: OqsInquiryDeps): OqsInquiry {
  const store = createOqsStore(deps.db);
  const log = deps.logger.child({ module: 'oqs-inquiry' });
  const requestEncoding = config.encoding === 'utf-8' ? 'utf-8' : 'shift_jis';
  const waits = new Map<string, Wait>();
  const inflight = new Map<string, { atMs: number; promise: Promise<Result<EligibilityResult>> }>();
  const seen = new Set<string>();
  let intake: FolderIntake | undefined;

  function onResults(files: IntakeFile[]): void {
    for (const file of files) {
      seen.add(file.name);
      const parsed = parseOqsFile(file.bytes, { maxBytes: config.maxFileBytes, encoding: config.encoding });
      const id = parsed.ok ? parsed.value.header.ArbitraryFileIdentifier?.trim() : undefined;
      const wait = [...waits.values()].find(
        (w) => file.name.startsWith(w.resultPrefix) && (w.requestId === id || file.name === `${w.resultPrefix}${w.requestId}.xml`),
      );
      if (!parsed.ok) log.warn({ file: file.name, code: parsed.error.code }, 'unreadable result file');
      wait?.settle(parsed);
    }
  }

  function watchResults(): void {
    if (intake) return;
    intake = new FolderIntake({
      dir: config.resDir,
      pollIntervalMs: config.pollIntervalMs,
      stableMs: config.stableMs,
      accept: (name) => RESULT_PREFIXES.some((prefix) => name.startsWith(prefix)) && name.toLowerCase().endsWith('.xml'),
      isSettled: (name) => seen.has(name),
      // Answers older than every request still waiting belong to someone else.
      isDone: (_name, _size, mtimeMs) => mtimeMs < Math.min(...[...waits.values()].map((w) => w.notBeforeMs)),
      onBatch: onResults,
      onReachability: (reachable, detail) => {
        if (!reachable) log.warn({ errno: detail }, 'res folder not reachable');
      },
      onError: (e) => log.error({ err: e }, 'result handling failed'),
    });
    intake.start();
  }

  /** Waits for the res file answering one request (一件照会 or 照会番号登録), up to inquiryTimeoutMs. */
  function awaitResult(resultPrefix: string, requestId: string, notBeforeMs: number): Promise<Result<ParsedOqsFile>> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => wait.settle(fail('ELIGIBILITY_TIMEOUT', 'No answer from the eligibility terminal', { requestId })),
        config.inquiryTimeoutMs,
      );
      const wait: Wait = {
        resultPrefix,
        requestId,
        notBeforeMs,
        settle: (result) => {
          clearTimeout(timer);
          waits.delete(requestId);
          if (waits.size === 0) {
            void intake?.stop();
            intake = undefined;
            seen.clear();
          }
          resolve(result);
        },
      };
      waits.set(requestId, wait);
      watchResults();
    });
  }

  async function register(input: ReferenceNumberRegistration): Promise<Result<{ requestId: string }>> {
    const valid = checkInsurance(input);
    if (!valid.ok) return valid;
    if (input.referenceNumber.trim() === '' || input.referenceNumber.length > 50) return fail('INPUT_INVALID', 'reference number must be 1 to 50 characters');
    const now = deps.clock.now();
    const requestId = newRequestId(now);
    const tree = registrationRequestTree(input, { institutionCode: config.institutionCode, requestId });
    const written = await writeRequestFile(config.reqDir, `${PREFIX.registrationRequest}${requestId}.xml`, tree, requestEncoding);
    if (!written.ok) return written;
    const answer = await awaitResult(PREFIX.registrationResult, requestId, now.getTime() - RESULT_CLOCK_SKEW_MS);
    if (!answer.ok) {
      log.warn({ requestId, code: answer.error.code }, '照会番号登録 failed');
      return answer;
    }
    const { header, body } = answer.value;
    if (!registrationAccepted(answer.value)) {
      // Terminal codes only: its messages may quote the request.
      const codes = {
        requestId,
        segmentOfResult: header.SegmentOfResult?.trim() ?? null,
        errorCode: header.ErrorCode?.trim() || null,
        resultCode: body.ProcessingResultCode?.trim() || null,
      };
      log.warn(codes, '照会番号登録 refused by the terminal');
      return fail('ELIGIBILITY_SERVICE_ERROR', 'The eligibility terminal refused the reference number registration', codes);
    }
    log.info({ requestId }, '照会番号登録 accepted');
    return ok({ requestId });
  }

  async function inquire(queryKey: string, query: InsuranceQuery, now: Date): Promise<Result<EligibilityResult>> {
    const windowStart = new Date(now.getTime() - config.requestDedupMs);
    // A request written before a restart is still answered: wait for it instead of asking twice.
    let requestId = store.requestFor(queryKey, windowStart.toISOString());
    const notBeforeMs = requestId ? windowStart.getTime() : now.getTime() - RESULT_CLOCK_SKEW_MS;
    if (!requestId) {
      requestId = newRequestId(now);
      const tree = inquiryRequestTree(query, {
        institutionCode: config.institutionCode,
        requestId,
        confirmationDate: japanDate(now).replace(/-/g, ''),
      });
      const written = await writeRequestFile(config.reqDir, `${PREFIX.inquiryRequest}${requestId}.xml`, tree, requestEncoding);
      if (!written.ok) return written;
      store.saveRequest(queryKey, requestId, now.toISOString());
    }
    const answer = await awaitResult(PREFIX.inquiryResult, requestId, notBeforeMs);
    log.info({ requestId, ...(answer.ok ? { outcome: answer.value.outcome } : { code: answer.error.code }) }, '一件照会 finished');
    return answer.ok ? ok(toEligibilityResult(answer.value, 'insurance-numbers')) : answer;
  }

  return {
    async byInsuranceNumbers(query, signal) {
      const valid = checkInsurance(query);
      if (!valid.ok) return valid;
      if (!/^\d{8}$/.test(query.birthDate)) return fail('INPUT_INVALID', 'birth date must be YYYYMMDD');
      const now = deps.clock.now();
      const queryKey = createHash('sha256')
        .update(JSON.stringify([padInsurerNumber(query.insurerNumber), query.symbol ?? '', query.number, query.branch ?? '', query.birthDate, japanDate(now)]))
        .digest('hex');
      for (const [key, entry] of inflight) if (now.getTime() - entry.atMs >= config.requestDedupMs) inflight.delete(key);
      let entry = inflight.get(queryKey);
      if (!entry) {
        const promise = inquire(queryKey, query, now).then((result) => {
          // A failed attempt may be retried at once (it waits for the same request id).
          if (!result.ok) inflight.delete(queryKey);
          return result;
        });
        entry = { atMs: now.getTime(), promise };
        inflight.set(queryKey, entry);
      }
      return untilAborted(entry.promise, signal);
    },

    registerReferenceNumber: (input, signal) => untilAborted(register(input), signal),

    stop() {
      for (const wait of [...waits.values()]) wait.settle(fail('ELIGIBILITY_TIMEOUT', 'The agent is stopping'));
    },
  };
}
