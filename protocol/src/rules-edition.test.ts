import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_MAX_AGE_DAYS, rulesEditionAgeDays, rulesEditionStale } from './rules-edition.ts';

describe('rules edition age', () => {
  const info = { edition: { checkedOn: '2026-12-02', sources: [] }, maxAgeDays: DEFAULT_RULES_MAX_AGE_DAYS };

  it('counts whole Japan days, across month and year ends', () => {
    expect(rulesEditionAgeDays('2026-12-02', '2026-12-02')).toBe(0);
    expect(rulesEditionAgeDays('2026-12-02', '2027-01-01')).toBe(30);
    expect(rulesEditionAgeDays('2026-12-02', '2027-04-01')).toBe(120);
  });

  it.each([
    ['2027-03-31', false], // 119 days
    ['2027-04-01', false], // 120 days: the limit itself is still fresh
    ['2027-04-02', true], // 121 days
  ])('by default (120 days) on %s stale is %s', (today, stale) => {
    expect(rulesEditionStale(info, today)).toBe(stale);
  });

  it('follows the configured age', () => {
    expect(rulesEditionStale({ ...info, maxAgeDays: 30 }, '2027-01-01')).toBe(false);
    expect(rulesEditionStale({ ...info, maxAgeDays: 30 }, '2027-01-02')).toBe(true);
  });
});
