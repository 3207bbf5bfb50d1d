import { z } from 'zod';

/**
 * Characters no staff text field needs and that change how text is shown: C0 and C1 controls (ESC
 * starts terminal escape sequences), format characters (bidi embeddings, overrides and isolates
 * U+202A–U+202E, U+2066–U+2069, marks, zero-width characters, BOM), line and paragraph separators, and
 * lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

export function hasUnsafeText(value: string): boolean {
  return UNSAFE.test(value);
}

/** A staff text field: at most `max` characters, none of them unsafe. */
export function plainText(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => !hasUnsafeText(value), 'control and bidi characters are not allowed');
}

/** Each unsafe character as a visible escape (ESC → "\u001b"), for terminals and exports. */
export function escapeUnsafeText(value: string): string {
  return value.replace(UNSAFE_ALL, (ch) => {
    const code = ch.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
