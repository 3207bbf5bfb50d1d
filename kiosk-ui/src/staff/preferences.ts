import { STAFF_LANGUAGES, type StaffLanguage } from './text.ts';

/** What one desk PC remembers between sign-ins: the console's language and whether alerts sound. */
const KEYS = { language: 'kiosk-staff:language', sound: 'kiosk-staff:sound' } as const;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled: defaults every time
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: the choice holds until the page closes
  }
}

export const preferences = {
  language(): StaffLanguage {
    const saved = read(KEYS.language);
    return (STAFF_LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as StaffLanguage) : 'ja';
  },
  setLanguage: (language: StaffLanguage) => write(KEYS.language, language),
  soundOn: () => read(KEYS.sound) !== 'off',
  setSoundOn: (on: boolean) => write(KEYS.sound, on ? 'on' : 'off'),
};
