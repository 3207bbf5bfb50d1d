import { describe, expect, it } from 'vitest';
import { decideBinding, timing, type Waiter } from './binding.ts';

const start = new Date('2026-11-22T01:00:00.400Z');
const session = (id: string, since = start, birthDate?: string): Waiter => ({ sessionId: id, since, ...(birthDate ? { birthDate } : {}) });
const result = (generatedAt: Date | undefined, birthDates = ['19800401']) => ({ generatedAt, birthDates });
const plus = (ms: number) => new Date(start.getTime() + ms);

describe('timing to the second', () => {
  it('a result stamped in the session start second is neither before nor after', () => {
    expect(timing(new Date('2026-11-22T01:00:00.000Z'), start)).toBe('same-second');
    expect(timing(new Date('2026-11-22T01:00:01.000Z'), start)).toBe('after');
    expect(timing(new Date('2026-11-22T00:59:59.000Z'), start)).toBe('before');
  });
});

describe('decideBinding', () => {
  it('binds a result generated after the only waiting session started', () => {
    expect(decideBinding(result(plus(5000)), [session('s1')])).toEqual({ kind: 'bind', sessionId: 's1' });
  });

  it('sends a same-second result to review', () => {
    expect(decideBinding(result(new Date('2026-11-22T01:00:00.000Z')), [session('s1')])).toEqual({ kind: 'review', reason: 'same-second', sessionIds: ['s1'] });
  });

  it('sends a result with two candidate sessions to review', () => {
    const decision = decideBinding(result(plus(5000)), [session('s1'), session('s2', plus(1000))]);
    expect(decision).toEqual({ kind: 'review', reason: 'several-sessions', sessionIds: ['s1', 's2'] });
  });

  it('ignores sessions that started after the result', () => {
    expect(decideBinding(result(plus(5000)), [session('s1'), session('late', plus(9000))])).toEqual({ kind: 'bind', sessionId: 's1' });
  });

  it('sends a birth-date mismatch to review and accepts either date format', () => {
    expect(decideBinding(result(plus(5000)), [session('s1', start, '1990-01-01')])).toMatchObject({ kind: 'review', reason: 'birth-date-mismatch' });
    expect(decideBinding(result(plus(5000)), [session('s1', start, '1980-04-01')])).toEqual({ kind: 'bind', sessionId: 's1' });
  });

  it('is a walk-in without a waiting session, or when every session started later', () => {
    expect(decideBinding(result(plus(5000)), [])).toEqual({ kind: 'walk-in' });
    expect(decideBinding(result(plus(5000)), [session('late', plus(9000))])).toEqual({ kind: 'walk-in' });
  });

  it.each(['20240230', '202410（カット）', '1980****', '19800401 x'])(
    'never binds a result whose birth date is no date (%j): review of its own',
    (birthDate) => {
      for (const entered of [undefined, '2024-02-29', '2024-10-01']) {
        expect(decideBinding(result(plus(5000), [birthDate]), [session('s1', start, entered)])).toEqual({
          kind: 'review',
          reason: 'birth-date-unusable',
          sessionIds: ['s1'],
        });
      }
      expect(decideBinding(result(plus(5000), ['19800401', birthDate]), [session('s1')])).toMatchObject({ reason: 'birth-date-unusable' });
      expect(decideBinding(result(plus(5000), [birthDate]), [])).toEqual({ kind: 'walk-in' });
    },
  );

  it('never binds a result without a usable timestamp', () => {
    expect(decideBinding(result(undefined), [session('s1')])).toMatchObject({ kind: 'review', reason: 'no-timestamp' });
  });
});
