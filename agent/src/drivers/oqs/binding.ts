import type { ReviewReason } from '@kiosk/protocol';
import { birthDateProblem } from './dates.ts';

/**
 * Which kiosk session a face result belongs to. The face file does not say which reader or session
 * produced it, so anything short of one clear candidate goes to staff review — never a guess.
 */

export interface Waiter {
  sessionId: string;
  since: Date;
  birthDate?: string;
}

export interface BindingCandidate {
  /** ProcessExecutionTime; undefined when absent or unreadable. */
  generatedAt: Date | undefined;
  /** Birthdate of each person in the result, as written (a cut or impossible one sends the result to review). */
  birthDates: string[];
}

export type BindingDecision = { kind: 'bind'; sessionId: string } | { kind: 'review'; reason: ReviewReason; sessionIds: string[] } | { kind: 'walk-in' };

/**
 * ProcessExecutionTime has whole seconds. A result stamped in the second the session started may
 * come from the previous patient, so it is neither clearly before nor clearly after.
 */
export function timing(generatedAt: Date, since: Date): 'before' | 'same-second' | 'after' {
  const sessionSecond = Math.floor(since.getTime() / 1000) * 1000;
  const resultSecond = Math.floor(generatedAt.getTime() / 1000) * 1000;
  if (resultSecond < sessionSecond) return 'before';
  return resultSecond === sessionSecond ? 'same-second' : 'after';
}

const digits = (v: string): string => v.replace(/\D/g, '');

function birthDateMatches(entered: string | undefined, birthDates: string[]): boolean {
  if (!entered || birthDates.length === 0) return true;
  return birthDates.some((b) => digits(b) === digits(entered));
}

export function decideBinding(candidate: BindingCandidate, waiters: readonly Waiter[]): BindingDecision {
  if (waiters.length === 0) return { kind: 'walk-in' };
  const { generatedAt } = candidate;
  if (!generatedAt) return { kind: 'review', reason: 'no-timestamp', sessionIds: waiters.map((w) => w.sessionId) };
  const eligible = waiters.filter((w) => timing(generatedAt, w.since) !== 'before');
  if (eligible.length === 0) return { kind: 'walk-in' };
  const sessionIds = eligible.map((w) => w.sessionId);
  // A birth date that is no date cannot confirm (or rule out) anyone: a person looks at it.
  if (candidate.birthDates.some((b) => birthDateProblem(b))) return { kind: 'review', reason: 'birth-date-unusable', sessionIds };
  if (eligible.length > 1) return { kind: 'review', reason: 'several-sessions', sessionIds };
  const [waiter] = eligible as [Waiter];
  if (timing(generatedAt, waiter.since) === 'same-second') return { kind: 'review', reason: 'same-second', sessionIds };
  if (!birthDateMatches(waiter.birthDate, candidate.birthDates)) return { kind: 'review', reason: 'birth-date-mismatch', sessionIds };
  return { kind: 'bind', sessionId: waiter.sessionId };
}
