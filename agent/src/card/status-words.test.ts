import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkStatus, STATUS_WORDS, triesLeftIn } from './status-words.ts';

const outcome = (sw: number) => {
  const result = checkStatus(sw);
  return result.ok ? { code: 'ok' } : { code: result.error.code, details: result.error.details };
};

describe('checkStatus', () => {
  it.each([
    [0x9000, { code: 'ok' }],
    [0x63c3, { code: 'PIN_INCORRECT', details: { sw: '63C3', triesLeft: 3 } }],
    [0x63c2, { code: 'PIN_INCORRECT', details: { sw: '63C2', triesLeft: 2 } }],
    [0x63c1, { code: 'PIN_INCORRECT', details: { sw: '63C1', triesLeft: 1 } }],
    [0x63cf, { code: 'PIN_INCORRECT', details: { sw: '63CF', triesLeft: 15 } }],
    [0x63c0, { code: 'PIN_BLOCKED', details: { sw: '63C0', triesLeft: 0 } }],
    [0x6984, { code: 'PIN_BLOCKED', details: { sw: '6984', triesLeft: 0 } }],
    [0x6983, { code: 'PIN_BLOCKED', details: { sw: '6983', triesLeft: 0 } }],
    [0x6982, { code: 'CARD_SECURITY_STATUS', details: { sw: '6982' } }],
    [0x6985, { code: 'CARD_SECURITY_STATUS', details: { sw: '6985' } }],
    [0x6986, { code: 'CARD_FILE_NOT_FOUND', details: { sw: '6986' } }],
    [0x6a82, { code: 'CARD_FILE_NOT_FOUND', details: { sw: '6A82' } }],
    [0x6a83, { code: 'CARD_FILE_NOT_FOUND', details: { sw: '6A83' } }],
    [0x6a88, { code: 'CARD_FILE_NOT_FOUND', details: { sw: '6A88' } }],
    [0x6b00, { code: 'CARD_UNSUPPORTED_TOKEN', details: { sw: '6B00' } }],
    [0x6700, { code: 'CARD_UNSUPPORTED_TOKEN', details: { sw: '6700' } }],
    [0x6a86, { code: 'CARD_UNSUPPORTED_TOKEN', details: { sw: '6A86' } }],
    [0x6d00, { code: 'CARD_UNSUPPORTED_TOKEN', details: { sw: '6D00' } }],
    [0x6e00, { code: 'CARD_UNSUPPORTED_TOKEN', details: { sw: '6E00' } }],
    [0x6881, { code: 'CARD_UNSUPPORTED_TOKEN', details: { sw: '6881' } }],
    [0x6882, { code: 'CARD_UNSUPPORTED_TOKEN', details: { sw: '6882' } }],
    [0x6300, { code: 'CARD_UNEXPECTED_STATUS', details: { sw: '6300' } }],
    [0x6110, { code: 'CARD_UNEXPECTED_STATUS', details: { sw: '6110' } }],
    [0x6c05, { code: 'CARD_UNEXPECTED_STATUS', details: { sw: '6C05' } }],
    [0x69fc, { code: 'CARD_UNEXPECTED_STATUS', details: { sw: '69FC' } }],
    [0x0000, { code: 'CARD_UNEXPECTED_STATUS', details: { sw: '0000' } }],
    [0x9001, { code: 'CARD_UNEXPECTED_STATUS', details: { sw: '9001' } }],
  ])('%s → %j', (sw, expected) => {
    expect(outcome(sw)).toEqual(expected);
  });

  it('the table test above covers every fixed entry', () => {
    // Guards against adding a status word to the table without deciding (and testing) its code.
    expect([...STATUS_WORDS.keys()].sort()).toEqual(
      [0x6982, 0x6985, 0x6983, 0x6984, 0x6986, 0x6a82, 0x6a83, 0x6a88, 0x6b00, 0x6700, 0x6a86, 0x6d00, 0x6e00, 0x6881, 0x6882].sort(),
    );
  });

  it('maps every possible status word to ok or a typed error carrying the hex SW', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (sw) => {
        const result = checkStatus(sw);
        if (sw === 0x9000) expect(result.ok).toBe(true);
        else expect(result.ok ? null : result.error.details?.sw).toBe(sw.toString(16).toUpperCase().padStart(4, '0'));
      }),
    );
  });
});

describe('triesLeftIn', () => {
  it('reads x from 63Cx only', () => {
    expect(triesLeftIn(0x63c2)).toBe(2);
    expect(triesLeftIn(0x63c0)).toBe(0);
    expect(triesLeftIn(0x6300)).toBeUndefined();
    expect(triesLeftIn(0x9000)).toBeUndefined();
  });
});
