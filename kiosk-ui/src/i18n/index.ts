import type { Language } from '@kiosk/protocol';
import { en } from './en.ts';
import { ja } from './ja.ts';
import { jaEasy } from './ja-easy.ts';
import type { Catalogue, Text } from './types.ts';

export type { Catalogue, Text } from './types.ts';

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { ja, en, 'ja-easy': jaEasy };

/** The `lang` attribute: やさしい日本語 is Japanese to browsers and screen readers. */
export function htmlLang(language: Language): 'ja' | 'en' {
  return language === 'en' ? 'en' : 'ja';
}

/** BCP 47 tag for speech synthesis voices. */
export function speechLang(language: Language): 'ja-JP' | 'en-US' {
  return language === 'en' ? 'en-US' : 'ja-JP';
}

/** A piece of catalogue text: plain, or a base with its furigana reading. */
export type Segment = { text: string; reading?: string };

const RUBY = /\{([^|{}]+)\|([^|{}]+)\}/g;

/** Splits `{漢字|かんじ}` markup into segments; text without markup is one plain segment. */
export function segments(text: Text): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(RUBY)) {
    if (match.index > last) out.push({ text: text.slice(last, match.index) });
    out.push({ text: match[1] ?? '', reading: match[2] ?? '' });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** The text as read aloud: furigana readings replace their kanji so the voice says them right. */
export function spoken(text: Text): string {
  return text.replace(RUBY, (_all, _base: string, reading: string) => reading);
}

/** The text as shown without ruby (for attributes such as aria-label). */
export function plain(text: Text): string {
  return text.replace(RUBY, (_all, base: string) => base);
}
