import type { Language } from '@kiosk/protocol';
import { speechLang, spoken, type Text } from './i18n/index.ts';

/**
 * Voice guidance through the browser's local speech synthesis (works offline with the voices installed
 * on the kiosk PC). Only catalogue text reaches it, and catalogue text is static, so no name, birth
 * date, insurance number or PIN digit can ever be spoken.
 */
export function speak(texts: readonly Text[], language: Language): void {
  const synth = globalThis.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
  synth.cancel();
  const lang = speechLang(language);
  const prefix = lang.slice(0, 2);
  // Only a voice on this PC: a network voice fails offline and would send the text out of the clinic.
  // Without one the browser's default voice for the language speaks (speech-dispatcher on Debian).
  const voice = synth.getVoices().find((candidate) => candidate.localService && candidate.lang.replace('_', '-').startsWith(prefix));
  const utterance = new SpeechSynthesisUtterance(texts.map(spoken).join(' '));
  utterance.lang = lang;
  utterance.rate = 0.9;
  if (voice) utterance.voice = voice;
  synth.speak(utterance);
}

export function silence(): void {
  globalThis.speechSynthesis?.cancel();
}
