import { fail, ok, type OrcaAttentionReason, type OrcaEntry, type Result } from '@kiosk/protocol';
import { japanDate, japanTime, type Clock } from '../clock.ts';
import type { ReceptionDesk, ReceptionPerson, ReceptionSink } from '../flow/ports.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import { createOrcaApi, type Acceptance, type Outcome } from './api.ts';
import { createOrcaClient, type OrcaConnection } from './client.ts';
import { matchingCombination, orcaDate, orcaKana, registrationOf, samePerson } from './match.ts';
import { createOutbox, type OutboxRow, type OutboxState } from './outbox.ts';

export interface OrcaSettings {
  connection: OrcaConnection;
  /** 診療科 code; default 01 (ORCA's first department, 内科). */
  department?: string;
  /** ドクター code; without one, the only physician ORCA has registered (several: the outbox waits, `orca check` says so). */
  physician?: string;
  /** Backoff between attempts while ORCA cannot be used: from minMs doubling to maxMs. */
  retry?: { minMs: number; maxMs: number };
}

export const DEFAULT_DEPARTMENT = '01';
const DEFAULT_RETRY = { minMs: 1000, maxMs: 60_000 };

export interface OrcaReception {
  sink: ReceptionSink;
  desk: ReceptionDesk;
  /** Starts sending what the outbox holds (after a restart too). */
  start(): void;
  /** Stops the worker; an attempt in flight is abandoned (and resolved with the 受付一覧 on the next start). */
  stop(): Promise<void>;
}

type Step = 'idle' | 'progress' | 'retry';
type Resolution =
  | { status: 'ok'; patientId: string; combination?: string }
  | { status: 'attention'; reason: OrcaAttentionReason; candidates?: string[]; apiResult?: string; message?: string }
  | { status: 'retry'; reason: string };

const sameId = (a: string, b: string) => a.replace(/^0+(?=\d)/, '') === b.replace(/^0+(?=\d)/, '');

/**
 * The ORCA adapter of the reception port: the outbox (written inside the check-in's transaction), one worker
 * sending it in order, and the staff actions. Exactly once: before a 受付 or 取消 whose answer was lost is
 * sent again, ORCA's 受付一覧 says whether it was carried out. Personal data stays in `people` (memory)
 * until the patient is found in ORCA; the database keeps only ORCA's numbers.
 */
export function createOrcaReception(settings: OrcaSettings, deps: { db: Db; clock: Clock; logger: Logger }): OrcaReception {
  const { db, clock, logger } = deps;
  const outbox = createOutbox(db);
  const api = createOrcaApi(createOrcaClient(settings.connection));
  const department = settings.department ?? DEFAULT_DEPARTMENT;
  const retry = settings.retry ?? DEFAULT_RETRY;
  const people = new Map<string, ReceptionPerson>();
  const listeners = new Set<() => void>();
  let stopping = new AbortController();
  let running: Promise<void> | undefined;
  let wakeUp: ((urgent: boolean) => void) | undefined;
  /** A wake-up that came while the worker was busy: honoured at its next wait. */
  let missed: 'none' | 'work' | 'urgent' = 'none';
  let physicianFound: string | undefined = settings.physician;

  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  /** New work cuts an idle wait; a staff action also cuts a backoff. */
  const wake = (urgent: boolean) =>
    setImmediate(() => {
      if (wakeUp) wakeUp(urgent);
      else missed = urgent || missed === 'urgent' ? 'urgent' : 'work';
    });

  async function physician(): Promise<Outcome<string>> {
    if (physicianFound) return { status: 'ok', value: physicianFound };
    const codes = await api.codes('physicians', japanDate(clock.now()), stopping.signal);
    if (codes.status !== 'ok')
      return codes.status === 'retry' ? codes : { status: 'retry', reason: `ORCA physicians: ${codes.apiResult} ${codes.message}`, inDoubt: false };
    if (codes.value.size !== 1) return { status: 'retry', reason: `ORCA has ${codes.value.size} physicians: name one with --orca-physician`, inDoubt: false };
    physicianFound = [...codes.value.keys()][0]!;
    return { status: 'ok', value: physicianFound };
  }

  /**
   * The row's 受付 in ORCA's 受付一覧: by its 受付ID once known, else by patient and the time the agent sent,
   * never one another row already holds (the same patient twice in one second).
   */
  async function findAcceptance(row: OutboxRow, physicianCode: string): Promise<Outcome<Acceptance | undefined>> {
    const listed = await api.acceptances({ date: row.acceptDate, department, physician: physicianCode }, stopping.signal);
    if (listed.status !== 'ok') return listed;
    const others = outbox.claimedBy(row.acceptDate, row.id);
    const mine = listed.value.find(
      (a) =>
        row.patientId !== null &&
        sameId(a.patientId, row.patientId) &&
        (row.acceptanceId ? a.acceptanceId === row.acceptanceId : a.time === row.acceptTime && !others.has(a.acceptanceId)),
    );
    return { status: 'ok', value: mine };
  }

  async function resolvePatient(row: OutboxRow): Promise<Resolution> {
    const person = people.get(row.sessionId);
    const known = row.patientId ?? (row.identityKey ? outbox.patientOf(row.identityKey) : undefined);
    const chosen = row.patientId !== null;
    if (!person) return known ? { status: 'ok', patientId: known } : { status: 'attention', reason: 'patient-unknown' };
    if (known) {
      const got = await api.patient(known, stopping.signal);
      if (got.status === 'retry') return got;
      if (got.status === 'refused') return { status: 'attention', reason: 'orca-refused', apiResult: got.apiResult, message: got.message };
      const combination = got.value ? matchingCombination(person, got.value, row.acceptDate) : undefined;
      // Staff chose this patient: send it, with the combination when one matches.
      if (chosen || combination) return { status: 'ok', patientId: known, ...(combination ? { combination } : {}) };
      if (got.value) return { status: 'attention', reason: 'choose-patient', candidates: [got.value.patientId] };
      if (row.identityKey) outbox.forget(row.identityKey); // no longer in ORCA: look again by name
    }
    if (!person.nameKana || !person.birthDate) return { status: 'attention', reason: 'patient-unknown' };
    const found = await api.search({ kana: orcaKana(person.nameKana), birthDate: orcaDate(person.birthDate) }, stopping.signal);
    if (found.status === 'retry') return found;
    if (found.status === 'refused') return { status: 'attention', reason: 'orca-refused', apiResult: found.apiResult, message: found.message };
    const sameName = found.value.filter((p) => samePerson(person, p));
    if (sameName.length === 0) {
      if (!row.newPatient) return { status: 'attention', reason: 'patient-not-found' };
      const request = registrationOf(person);
      if (!request)
        return { status: 'attention', reason: 'patient-not-found', message: 'the eligibility result lacks the name, kana, birth date or sex ORCA needs' };
      // A registration whose answer is lost is found by the name search on the next attempt.
      const made = await api.register(request, stopping.signal);
      if (made.status === 'retry') return made;
      if (made.status === 'refused') return { status: 'attention', reason: 'orca-refused', apiResult: made.apiResult, message: made.message };
      logger.info({ event: 'orca-patient-registered', sessionId: row.sessionId }, 'new patient registered in ORCA');
      const combination = matchingCombination(person, made.value, row.acceptDate);
      return { status: 'ok', patientId: made.value.patientId, ...(combination ? { combination } : {}) };
    }
    const confirmed: { patientId: string; combination: string }[] = [];
    for (const candidate of sameName) {
      const got = await api.patient(candidate.patientId, stopping.signal);
      if (got.status === 'retry') return got;
      const combination = got.status === 'ok' && got.value ? matchingCombination(person, got.value, row.acceptDate) : undefined;
      if (combination) confirmed.push({ patientId: candidate.patientId, combination });
    }
    if (confirmed.length === 1) return { status: 'ok', ...confirmed[0]! };
    return { status: 'attention', reason: 'choose-patient', candidates: (confirmed.length > 0 ? confirmed : sameName).map((p) => p.patientId) };
  }

  const noteRetry = (row: OutboxRow, reason: string, inDoubt?: boolean): Step => {
    outbox.update(row.id, ['pending', 'cancel'], { message: reason, ...(inDoubt !== undefined ? { inDoubt } : {}) });
    logger.warn({ event: 'orca-retry', sessionId: row.sessionId, attempts: row.attempts, reason }, 'ORCA: will try again');
    return 'retry';
  };

  const toAttention = (row: OutboxRow, found: { reason: OrcaAttentionReason; candidates?: string[]; apiResult?: string; message?: string }) => {
    outbox.update(row.id, ['pending'], {
      state: 'attention',
      inDoubt: false,
      reason: found.reason,
      apiResult: found.apiResult ?? null,
      message: found.message ?? null,
      candidates: found.candidates ?? null,
    });
    logger.warn({ event: 'orca-attention', sessionId: row.sessionId, reason: found.reason, apiResult: found.apiResult }, 'ORCA: staff must look at a 受付');
  };

  const sent = (row: OutboxRow, acceptanceId: string) => {
    outbox.accepted(row.id, acceptanceId);
    people.delete(row.sessionId);
    logger.info({ event: 'orca-sent', sessionId: row.sessionId, acceptanceId }, 'ORCA: 受付 registered');
  };

  async function sendAcceptance(row: OutboxRow): Promise<Step> {
    const doctor = await physician();
    if (doctor.status !== 'ok') return noteRetry(row, doctor.status === 'retry' ? doctor.reason : doctor.message);
    if (row.inDoubt && row.patientId) {
      const found = await findAcceptance(row, doctor.value);
      if (found.status === 'retry') return noteRetry(row, found.reason);
      if (found.status === 'refused') return (toAttention(row, { reason: 'orca-refused', apiResult: found.apiResult, message: found.message }), 'progress');
      if (found.value) return (sent(row, found.value.acceptanceId), 'progress');
    }
    const resolved = await resolvePatient(row);
    if (resolved.status === 'retry') return noteRetry(row, resolved.reason);
    if (resolved.status === 'attention') return (toAttention(row, resolved), 'progress');
    if (row.identityKey) outbox.remember(row.identityKey, resolved.patientId, clock.now().toISOString());
    // Marked in doubt before it leaves: a crash or a lost answer from here on is checked in the 受付一覧.
    const claimed = outbox.update(row.id, ['pending'], {
      patientId: resolved.patientId,
      combination: resolved.combination ?? null,
      inDoubt: true,
      attempts: row.attempts + 1,
    });
    if (!claimed) return 'progress'; // cancelled meanwhile
    const answer = await api.accept(
      {
        patientId: resolved.patientId,
        date: row.acceptDate,
        time: row.acceptTime,
        department,
        physician: doctor.value,
        ...(resolved.combination ? { combination: resolved.combination } : {}),
      },
      stopping.signal,
    );
    if (answer.status === 'ok') return (sent(row, answer.value.acceptanceId), 'progress');
    if (answer.status === 'retry') return noteRetry({ ...row, attempts: row.attempts + 1 }, answer.reason, answer.inDoubt);
    outbox.update(row.id, ['cancel'], { inDoubt: false });
    toAttention(row, { reason: 'orca-refused', apiResult: answer.apiResult, message: answer.message });
    return 'progress';
  }

  async function sendCancel(row: OutboxRow): Promise<Step> {
    const done = (state: OutboxState, extra = {}) => {
      outbox.update(row.id, ['cancel'], { state, inDoubt: false, ...extra });
      if (state === 'cancelled') {
        people.delete(row.sessionId);
        logger.info({ event: 'orca-cancelled', sessionId: row.sessionId }, 'ORCA: 受付 cancelled');
      }
      return 'progress' as const;
    };
    let acceptanceId = row.acceptanceId;
    if (row.inDoubt) {
      const doctor = await physician();
      if (doctor.status !== 'ok') return noteRetry(row, doctor.status === 'retry' ? doctor.reason : doctor.message);
      const found = await findAcceptance(row, doctor.value);
      if (found.status === 'retry') return noteRetry(row, found.reason);
      if (found.status === 'refused') return done('sent', { reason: 'orca-refused', apiResult: found.apiResult, message: found.message });
      if (!found.value) return done('cancelled');
      acceptanceId = found.value.acceptanceId;
    }
    if (!acceptanceId || !row.patientId) return done('cancelled'); // never reached ORCA
    outbox.update(row.id, ['cancel'], { acceptanceId, inDoubt: true });
    const answer = await api.cancel({ patientId: row.patientId, date: row.acceptDate, acceptanceId }, stopping.signal);
    if (answer.status === 'ok') return done('cancelled', { message: null });
    if (answer.status === 'retry') return noteRetry(row, answer.reason, answer.inDoubt);
    return done('sent', { reason: 'orca-refused', apiResult: answer.apiResult, message: answer.message });
  }

  async function step(): Promise<Step> {
    const row = outbox.next();
    if (!row) return 'idle';
    try {
      return row.state === 'cancel' ? await sendCancel(row) : await sendAcceptance(row);
    } catch (error) {
      logger.error({ event: 'orca-worker-error', sessionId: row.sessionId, error: (error as Error).name }, 'ORCA outbox step failed');
      return 'retry';
    } finally {
      changed();
    }
  }

  async function loop(): Promise<void> {
    let delay = retry.minMs;
    while (!stopping.signal.aborted) {
      const result = await step();
      if (stopping.signal.aborted) return;
      if (result === 'progress') {
        delay = retry.minMs;
        continue;
      }
      const skip = missed === 'urgent' || (missed === 'work' && result === 'idle');
      missed = 'none';
      if (skip) continue;
      await new Promise<void>((resolve) => {
        const timer = result === 'retry' ? setTimeout(() => done(), delay) : undefined;
        const done = () => {
          if (timer) clearTimeout(timer);
          wakeUp = undefined;
          resolve();
        };
        wakeUp = (urgent) => {
          if (urgent || result === 'idle') done();
        };
        stopping.signal.addEventListener('abort', done, { once: true });
      });
      if (result === 'retry') delay = Math.min(delay * 2, retry.maxMs);
    }
  }

  const entryOf = (row: OutboxRow): OrcaEntry => {
    const state = row.state === 'cancel' ? 'pending' : row.state;
    const actions: OrcaEntry['actions'] =
      row.state === 'attention' ? ['orca-resend', 'orca-cancel'] : row.state === 'pending' || row.state === 'sent' ? ['orca-cancel'] : [];
    return {
      state,
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.apiResult ? { apiResult: row.apiResult } : {}),
      ...(row.message ? { message: row.message } : {}),
      ...(row.candidates.length > 0 ? { candidates: row.candidates } : {}),
      ...(row.patientId ? { patientId: row.patientId } : {}),
      ...(row.acceptanceId ? { acceptanceId: row.acceptanceId } : {}),
      actions,
    };
  };

  const refuse = (sessionId: string, what: string): Result<void> => {
    const row = outbox.get(sessionId);
    return fail(
      'INPUT_NOT_ALLOWED_NOW',
      row ? `this 受付 is ${row.state}: ${what}` : 'this check-in has no 受付 for ORCA',
      row ? { state: row.state } : undefined,
    );
  };

  const sink: ReceptionSink = {
    enqueue(item) {
      outbox.insert({
        sessionId: item.sessionId,
        createdAt: item.at.toISOString(),
        acceptDate: japanDate(item.at),
        acceptTime: japanTime(item.at),
        newPatient: item.newPatient,
        ...(item.identityKey ? { identityKey: item.identityKey } : {}),
      });
      if (item.person) people.set(item.sessionId, item.person);
      wake(false);
      setImmediate(changed);
    },
  };

  const desk: ReceptionDesk = {
    states(sessionIds) {
      return new Map(outbox.ofSessions(sessionIds).map((row) => [row.sessionId, entryOf(row)]));
    },
    resend(sessionId, patientId) {
      const row = outbox.get(sessionId);
      if (!row || row.state !== 'attention') return refuse(sessionId, 'only a 受付 that needs attention is sent again');
      const applied = outbox.update(row.id, ['attention'], {
        state: 'pending',
        ...(patientId ? { patientId, combination: null } : {}),
        reason: null,
        apiResult: null,
        message: null,
        candidates: null,
      });
      if (!applied) return refuse(sessionId, 'it changed meanwhile');
      if (patientId && row.identityKey) outbox.remember(row.identityKey, patientId, clock.now().toISOString());
      wake(true);
      changed();
      return ok(undefined);
    },
    cancel(sessionId) {
      const row = outbox.get(sessionId);
      if (!row || !['pending', 'attention', 'sent'].includes(row.state)) return refuse(sessionId, 'it cannot be cancelled');
      if (!outbox.update(row.id, [row.state], { state: 'cancel', reason: null, apiResult: null, message: null, candidates: null })) {
        return refuse(sessionId, 'it changed meanwhile');
      }
      wake(true);
      changed();
      return ok(undefined);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return {
    sink,
    desk,
    start() {
      if (running) return;
      stopping = new AbortController();
      running = loop().catch((error: unknown) => logger.error({ event: 'orca-worker-stopped', error: (error as Error).name }, 'ORCA worker stopped'));
    },
    async stop() {
      stopping.abort();
      await running;
      running = undefined;
    },
  };
}
