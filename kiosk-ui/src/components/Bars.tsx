import { LANGUAGES, type Language } from '@kiosk/protocol';
import { CATALOGUES, htmlLang, plain } from '../i18n/index.ts';
import type { Catalogue } from '../i18n/types.ts';
import { Button } from './Button.tsx';
import { T } from './Text.tsx';

export interface DisplayPrefs {
  readonly highContrast: boolean;
  readonly largeText: boolean;
  readonly voice: boolean;
}

export function TopBar(props: {
  t: Catalogue;
  language: Language;
  onLanguage: (language: Language) => void;
  prefs: DisplayPrefs;
  onPrefs: (prefs: DisplayPrefs) => void;
}) {
  const { t, language, onLanguage, prefs, onPrefs } = props;
  const toggles = [
    { key: 'highContrast', label: t.common.highContrast, icon: '◐' },
    { key: 'largeText', label: t.common.largeText, icon: 'Ａ' },
    { key: 'voice', label: t.common.voice, icon: '♪' },
  ] as const;
  return (
    <header className="topbar">
      <div className="topbar__group" role="group" aria-label={plain(t.common.languageGroup)}>
        {LANGUAGES.map((option) => (
          <Button key={option} variant="quiet" action={`language-${option}`} pressed={option === language} onPress={() => onLanguage(option)}>
            <span lang={htmlLang(option)}>
              <T text={CATALOGUES[option].languageName} />
            </span>
          </Button>
        ))}
      </div>
      <div className="topbar__group" role="group" aria-label={plain(t.common.displayGroup)}>
        {toggles.map(({ key, label, icon }) => (
          <Button key={key} variant="quiet" action={`pref-${key}`} pressed={prefs[key]} onPress={() => onPrefs({ ...prefs, [key]: !prefs[key] })}>
            <span aria-hidden="true">{icon} </span>
            <T text={label} />
          </Button>
        ))}
      </div>
    </header>
  );
}

/**
 * The bottom bar: "call staff" always in the same corner (WCAG 3.2.6 Consistent Help). The demonstration
 * says so in its middle, on every screen: the top bar has no room left for a sentence on one line.
 */
export function BottomBar(props: { t: Catalogue; onStartOver: (() => void) | null; onCallStaff: () => void; demo: boolean }) {
  const { t, onStartOver, onCallStaff, demo } = props;
  return (
    <footer className="bottombar">
      <div className="bottombar__start">
        {onStartOver && (
          <Button variant="quiet" action="start-over" command="reset" onPress={onStartOver}>
            <span aria-hidden="true">↺ </span>
            <T text={t.common.startOver} />
          </Button>
        )}
      </div>
      {demo && (
        <p className="bottombar__demo" role="note" data-testid="demo-note">
          <T text={t.common.demo} />
        </p>
      )}
      <Button variant="secondary" className="call-staff" action="call-staff" command="call-staff" onPress={onCallStaff}>
        <T text={t.common.callStaff} />
      </Button>
    </footer>
  );
}
