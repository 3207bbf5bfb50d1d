import { describe, expect, it } from 'vitest';
import { ManualEntrySchema, StaffActionRequestSchema, StaffLoginSchema } from './staff.ts';
import { escapeUnsafeText } from './text.ts';

const UNSAFE = [
  '\u0000',
  '\u0007',
  '\t',
  '\n',
  '\u001b[2J',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u200b',
  '\u200e',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u2028',
  '\ufeff',
  '\ud800',
];

describe('staff text fields', () => {
  it.each(UNSAFE)('refuse a control or bidi character: %j', (ch) => {
    const entry = { documents: ['shikaku_kakuninsho'] };
    for (const field of ['insurerNumber', 'symbol', 'number', 'sessionId']) {
      expect(ManualEntrySchema.safeParse({ ...entry, [field]: `1${ch}2` }).success, field).toBe(false);
    }
    expect(StaffActionRequestSchema.safeParse({ type: 'dismiss', alertId: `system:${ch}` }).success).toBe(false);
    expect(StaffLoginSchema.safeParse({ username: `desk${ch}`, password: 'x' }).success).toBe(false);
  });

  it('accept printed text as it is: kana, kanji, full-width digits and spaces', () => {
    expect(ManualEntrySchema.safeParse({ documents: ['shikaku_kakuninsho'], symbol: 'ア試験１　２', number: '０１２３' }).success).toBe(true);
    // A password is never shown anywhere: any character may be in it.
    expect(StaffLoginSchema.safeParse({ username: 'desk1', password: 'p\u202ew\tx' }).success).toBe(true);
  });

  it('escapeUnsafeText writes each such character as a visible \\u escape', () => {
    expect(UNSAFE.map(escapeUnsafeText)).toEqual([
      '\\u0000',
      '\\u0007',
      '\\u0009',
      '\\u000a',
      '\\u001b[2J',
      '\\u007f',
      '\\u0085',
      '\\u009b',
      '\\u200b',
      '\\u200e',
      '\\u202a',
      '\\u202e',
      '\\u2066',
      '\\u2069',
      '\\u2028',
      '\\ufeff',
      '\\ud800',
    ]);
    expect(escapeUnsafeText('試験 太郎 ＝１')).toBe('試験 太郎 ＝１');
    expect(escapeUnsafeText('x\u{e0001}y')).toBe('x\\u{e0001}y');
  });
});
