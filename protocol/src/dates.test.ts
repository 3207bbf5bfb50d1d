import { describe, expect, it } from 'vitest';
import { isIsoDate, IsoDateSchema } from './dates.ts';
import { ManualEntrySchema } from './staff.ts';

describe('Japan calendar dates', () => {
  it.each([
    ['2026-11-22', true],
    ['2028-02-29', true],
    ['9999-12-31', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-04-31', false],
    ['9999-99-99', false],
    ['0000-00-00', false],
    ['2026-1-01', false],
    ['20261122', false],
    ['2026-11-22T00:00', false],
    [' 2026-11-22', false],
  ])('isIsoDate(%j) is %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
    expect(IsoDateSchema.safeParse(value).success).toBe(expected);
  });

  it('a manual entry with an impossible printed expiry or birth date is invalid', () => {
    const entry = { documents: ['shikaku_kakuninsho'] };
    expect(ManualEntrySchema.safeParse({ ...entry, printedExpiry: { shikaku_kakuninsho: '2026-07-31' } }).success).toBe(true);
    expect(ManualEntrySchema.safeParse({ ...entry, printedExpiry: { shikaku_kakuninsho: '9999-99-99' } }).success).toBe(false);
    expect(ManualEntrySchema.safeParse({ ...entry, birthDate: '1980-02-30' }).success).toBe(false);
  });
});
