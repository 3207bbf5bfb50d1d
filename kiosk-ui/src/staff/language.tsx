import { createContext, useContext } from 'react';
import type { StaffWording } from '@kiosk/protocol';
import { STAFF_TEXT, type StaffLanguage, type StaffText } from './text.ts';

export const StaffLanguageContext = createContext<StaffLanguage>('ja');

/** The console's language, its own text, `w` to word a protocol code in it, and `list` to join words as the language does. */
export function useStaffText(): { language: StaffLanguage; t: StaffText; w: (wording: StaffWording) => string; list: (words: readonly string[]) => string } {
  const language = useContext(StaffLanguageContext);
  return { language, t: STAFF_TEXT[language], w: (wording) => wording[language], list: (words) => words.join(language === 'ja' ? '、' : ', ') };
}

/**
 * The short reference of a check-in that staff may need to tell two apart (an alert, its queue row, the
 * desk entry it links to): four characters of the opaque session id, never the id itself.
 */
export function shortRef(sessionId: string): string {
  return sessionId
    .replace(/^manual-/, '')
    .replace(/[^0-9a-z]/gi, '')
    .slice(0, 4)
    .toUpperCase();
}
