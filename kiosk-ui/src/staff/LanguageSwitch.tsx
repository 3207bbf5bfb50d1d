import { useStaffText } from './language.tsx';
import { STAFF_LANGUAGES, STAFF_TEXT, type StaffLanguage } from './text.ts';

/** 日本語 / English, each named in its own language, the current one pressed. */
export function LanguageSwitch({ onLanguage }: { onLanguage: (language: StaffLanguage) => void }) {
  const { language, t } = useStaffText();
  return (
    <div role="group" aria-label={t.bar.languageGroup} className="sc-segmented">
      {STAFF_LANGUAGES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="sc-segmented__option"
          aria-pressed={option === language}
          data-action={`language-${option}`}
          onClick={() => onLanguage(option)}
        >
          {STAFF_TEXT[option].languageName}
        </button>
      ))}
    </div>
  );
}
