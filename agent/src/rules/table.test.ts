import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, RulesTableSchema, rulesTableFrom, timelineOf } from './table.ts';

describe('rules table', () => {
  it('the defaults are a valid table, frozen all the way down', () => {
    expect(RulesTableSchema.safeParse(DEFAULT_RULES).success).toBe(true);
    expect(Object.isFrozen(DEFAULT_RULES.temporaryHandling)).toBe(true);
  });

  it('no override → the defaults', () => {
    expect(rulesTableFrom(undefined)).toEqual({ ok: true, value: DEFAULT_RULES });
  });

  it('merges a nested override and keeps the sibling dates', () => {
    const result = rulesTableFrom({ temporaryHandling: { lastDay: '2026-09-30' }, certificate: { graceCountsFrom: 'expiry-date' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.temporaryHandling).toEqual({ kokuhoFrom: '2025-06-27', koukiFrom: '2025-08-04', allInsurersFrom: '2025-11-12', lastDay: '2026-09-30' });
    expect(result.value.certificate).toEqual({ warnMonthsBefore: 3, graceMonths: 3, graceCountsFrom: 'expiry-date' });
    expect(DEFAULT_RULES.temporaryHandling.lastDay).toBe('2026-07-31');
  });

  it.each([
    ['a non-object', 'yes', '(root)'],
    ['an impossible date', { oldCardLastDay: '2025-02-30' }, 'oldCardLastDay'],
    ['an unknown key', { oldCardsLastDay: '2025-12-01' }, 'oldCardsLastDay'],
    ['an unknown grace counting', { certificate: { graceCountsFrom: 'birthday' } }, 'certificate.graceCountsFrom'],
    ['a window that ends before it starts', { temporaryHandling: { lastDay: '2025-01-01' } }, 'temporaryHandling.allInsurersFrom'],
    ['後期 covered before 国保', { temporaryHandling: { koukiFrom: '2025-06-01' } }, 'temporaryHandling.kokuhoFrom'],
    ['後期 covered after all insurers', { temporaryHandling: { koukiFrom: '2025-12-01' } }, 'temporaryHandling.koukiFrom'],
  ])('refuses %s as INPUT_INVALID', (_, override, path) => {
    const result = rulesTableFrom(override);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INPUT_INVALID');
    expect(result.error.message).toContain(path === '(root)' ? 'must be an object' : path);
  });

  it('the timeline lists every date of the table, oldest first', () => {
    const timeline = timelineOf(DEFAULT_RULES);
    expect(timeline.map((e) => e.date)).toEqual([
      '2024-12-02',
      '2025-04-01',
      '2025-06-27',
      '2025-07-31',
      '2025-08-04',
      '2025-09-19',
      '2025-09-30',
      '2025-11-12',
      '2025-12-01',
      '2026-03-31',
      '2026-07-31',
      '2026-08-01',
    ]);
  });
});
