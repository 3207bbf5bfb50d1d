import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FLOW_STEPS, type FlowSnapshot } from '@kiosk/protocol';
import { App } from './App.tsx';
import { KioskConnection } from './connection/connection.ts';
import { CATALOGUES, plain } from './i18n/index.ts';
import { IDLE_AFTER_MS, IDLE_COUNTDOWN_S } from './useIdle.ts';
import { COMPLETED_CLEAR_S } from './screens/Completed.tsx';
import { MANUAL_END_CLEAR_S } from './screens/Fallback.tsx';
import { FakePort, snapshot } from './test/fakes.ts';

const ja = CATALOGUES.ja;
const en = CATALOGUES.en;

async function mount(first?: FlowSnapshot) {
  const port = new FakePort();
  const connection = new KioskConnection(port);
  connection.start();
  port.open();
  await act(async () => {});
  render(<App connection={connection} />);
  if (first) act(() => port.push(first));
  return { port, connection, show: (next: FlowSnapshot) => act(() => port.push(next)) };
}

const press = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
const shownScreen = () => document.querySelector('[data-screen]')?.getAttribute('data-screen');

/** A representative snapshot for every step, with the data that step's screen needs. */
const patient = { maskedName: '山＊ ＊＊', birthYearPrefix: '19', isNewPatient: false, copayPercent: 30 };
const STEP_EXTRAS: Record<FlowSnapshot['step'], Partial<FlowSnapshot>> = {
  welcome: {},
  reading: { progress: { done: 1, total: 3 } },
  'choose-auth': { auth: { methods: ['face', 'pin', 'staff'], pinFailures: 0, purpose: 'check-in', pinTriesLeft: 3 } },
  face: { auth: { methods: ['face', 'pin'], pinFailures: 0, purpose: 'check-in' } },
  pin: { auth: { methods: ['pin'], pinFailures: 0, purpose: 'check-in', pinTriesLeft: 3 } },
  'pin-confirm-last-try': { auth: { methods: ['pin'], pinFailures: 1, purpose: 'check-in', pinTriesLeft: 1 } },
  'visual-check': {},
  verifying: {},
  eligibility: {},
  'registration-offer': {},
  registering: {},
  result: { patient, eligibility: { outcome: 'valid' } },
  consent: { consent: { offered: ['medication', 'checkup'] } },
  prescription: {},
  'new-patient': { patient: { ...patient, isNewPatient: true } },
  completed: { queueNumber: 42 },
  fallback: { fallback: { reason: 'no-reader', documents: [] } },
  staff: { staff: { reason: 'pin-failures', since: '2026-11-22T09:00:00+09:00' } },
  error: { error: { code: 'CARD_NOT_MYNUMBER', message: 'x', retriable: false } },
};

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('only what the agent accepts', () => {
  it('a button whose command the snapshot does not list is not shown', async () => {
    const { show } = await mount(snapshot('face', { ...STEP_EXTRAS.face, can: ['call-staff', 'reset'] }));
    expect(document.querySelector('[data-action="switch-to-pin"]')).toBeNull();
    expect(document.querySelector('[data-action="call-staff"]')).not.toBeNull();
    show(snapshot('face', { ...STEP_EXTRAS.face, can: ['choose-auth', 'call-staff', 'reset'] }));
    expect(document.querySelector('[data-action="switch-to-pin"]')?.getAttribute('data-command')).toBe('choose-auth');
  });
});

describe('the demonstration', () => {
  it('says so on every screen, and a clinic agent never does', async () => {
    const { show } = await mount(snapshot('welcome', { demo: true }));
    expect(screen.getByTestId('demo-note').textContent).toBe(plain(ja.common.demo));
    show(snapshot('result', { ...STEP_EXTRAS.result, demo: true }));
    expect(screen.getByTestId('demo-note')).toBeTruthy();
    show(snapshot('welcome'));
    expect(screen.queryByTestId('demo-note')).toBeNull();
  });

  it('the desk confirms insurance when only the identity is known', async () => {
    await mount(snapshot('staff', { staff: { reason: 'insurance-pending', since: '2026-12-03T09:00:00+09:00' } }));
    expect(document.body.textContent).toContain(plain(ja.staffReasons['insurance-pending']));
  });
});

describe('every step', () => {
  it.each(FLOW_STEPS)('%s has its screen, its heading and the call-staff button in the footer', async (step) => {
    const { port } = await mount(snapshot(step, STEP_EXTRAS[step]));
    expect(shownScreen()).toBe(step);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(plain(ja.steps[step].title));
    const footer = screen.getByRole('contentinfo');
    fireEvent.click(within(footer).getByRole('button', { name: new RegExp(ja.common.callStaff) }));
    expect(port.commands()).toContainEqual({ type: 'call-staff' });
  });
});

describe('PIN entry', () => {
  it('shows dots only, sends the PIN once and forgets it at once', async () => {
    const { port } = await mount(snapshot('pin', STEP_EXTRAS.pin));
    for (const digit of ['9', '7', '3', '1']) press(digit);
    expect(screen.getByTestId('pin-dots').textContent).toBe('●●●●');
    expect(document.body.textContent).not.toContain('9731');
    press(ja.pin.submit);
    expect(port.commands()).toEqual([{ type: 'submit-pin', pin: '9731' }]);
    expect(screen.getByTestId('pin-dots').textContent).toBe('');
  });

  it('does not submit fewer than 4 digits, and can delete', async () => {
    const { port } = await mount(snapshot('pin', STEP_EXTRAS.pin));
    press('1');
    press('2');
    press(ja.pin.delete);
    expect(screen.getByTestId('pin-dots').textContent).toBe('●');
    expect((screen.getByRole('button', { name: ja.pin.submit }) as HTMLButtonElement).disabled).toBe(true);
    expect(port.commands()).toEqual([]);
  });

  it('says what went wrong and what to do next after a wrong PIN', async () => {
    await mount(snapshot('pin', { ...STEP_EXTRAS.pin, error: { code: 'PIN_INCORRECT', message: 'x', retriable: true, details: { triesLeft: 2 } } }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain(ja.errors.PIN_INCORRECT.what);
    expect(alert.textContent).toContain(ja.errors.PIN_INCORRECT.next);
  });

  it('asks before the last try, with staff as the safe choice', async () => {
    const { port } = await mount(snapshot('pin-confirm-last-try', STEP_EXTRAS['pin-confirm-last-try']));
    press(ja.lastTry.ask);
    press(ja.lastTry.use);
    expect(port.commands()).toEqual([
      { type: 'confirm-last-try', confirm: false },
      { type: 'confirm-last-try', confirm: true },
    ]);
  });
});

describe('choices send the matching commands', () => {
  it('welcome: start and the manual path', async () => {
    const { port } = await mount(snapshot('welcome'));
    press(ja.welcome.start);
    press(ja.welcome.noCard);
    expect(port.commands()).toEqual([{ type: 'start' }, { type: 'manual-path' }]);
  });

  it('choose-auth: face, PIN and staff (目視)', async () => {
    const { port } = await mount(snapshot('choose-auth', STEP_EXTRAS['choose-auth']));
    press(new RegExp(ja.auth.face));
    press(new RegExp('暗証番号'));
    press(ja.auth.staff);
    expect(port.commands()).toEqual([
      { type: 'choose-auth', method: 'face' },
      { type: 'choose-auth', method: 'pin' },
      { type: 'choose-auth', method: 'visual' },
    ]);
  });

  it('registration: agree or decline', async () => {
    const { port } = await mount(snapshot('registration-offer'));
    press(ja.registration.agree);
    press(ja.registration.decline);
    expect(port.commands()).toEqual([
      { type: 'registration', agree: true },
      { type: 'registration', agree: false },
    ]);
  });

  it('consent: all, none, or one by one', async () => {
    const { port } = await mount(snapshot('consent', STEP_EXTRAS.consent));
    press(ja.consent.all);
    press(ja.consent.none);
    press(ja.consent.chooseEach);
    const submit = screen.getByRole('button', { name: ja.consent.submit }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    const [agreeMedication, agreeCheckup] = screen.getAllByRole('button', { name: new RegExp(`^✓?${ja.consent.agree}$`) });
    const [, disagreeCheckup] = screen.getAllByRole('button', { name: new RegExp(`^✓?${ja.consent.disagree}$`) });
    fireEvent.click(agreeMedication!);
    fireEvent.click(agreeCheckup!);
    fireEvent.click(disagreeCheckup!);
    expect(disagreeCheckup!.getAttribute('aria-pressed')).toBe('true');
    press(ja.consent.submit);
    expect(port.commands()).toEqual([
      { type: 'consent', all: true },
      { type: 'consent', all: false },
      { type: 'consent', items: { diagnosis: false, medication: true, checkup: false, operation: false } },
    ]);
  });

  it('consent: says so when nothing is offered', async () => {
    const { port } = await mount(snapshot('consent', { consent: { offered: [] } }));
    expect(screen.getByRole('status').textContent).toContain(ja.notices['sharing-not-offered']);
    press(ja.common.continue);
    expect(port.commands()).toEqual([{ type: 'continue' }]);
  });

  it('prescription: electronic or paper', async () => {
    const { port } = await mount(snapshot('prescription'));
    press(new RegExp(ja.prescription.electronic));
    press(new RegExp(ja.prescription.paper));
    expect(port.commands()).toEqual([
      { type: 'prescription', choice: 'electronic' },
      { type: 'prescription', choice: 'paper' },
    ]);
  });

  it('new patient: confirm with an optional phone number', async () => {
    const { port } = await mount(snapshot('new-patient', STEP_EXTRAS['new-patient']));
    for (const digit of '0312345678') press(digit);
    expect(screen.getByTestId('phone').textContent).toBe('0312345678');
    press(ja.newPatient.correct);
    press(ja.newPatient.wrong);
    expect(port.commands()).toEqual([
      { type: 'new-patient', confirmed: true, phone: '0312345678' },
      { type: 'new-patient', confirmed: false },
    ]);
  });

  it('new patient: a too short phone number cannot be sent', async () => {
    await mount(snapshot('new-patient', STEP_EXTRAS['new-patient']));
    press('0');
    expect((screen.getByRole('button', { name: ja.newPatient.correct }) as HTMLButtonElement).disabled).toBe(true);
    expect(document.body.textContent).toContain(ja.newPatient.phoneInvalid);
  });
});

describe('fallback documents', () => {
  it('sends the documents the patient has, or none', async () => {
    const { port } = await mount(snapshot('fallback', STEP_EXTRAS.fallback));
    expect(document.body.textContent).toContain(ja.fallbackReasons['no-reader']);
    press(new RegExp(ja.fallback.documents.myna_card.replace(/[()（）]/g, '.')));
    press(new RegExp(ja.fallback.documents.shikaku_joho_oshirase));
    press(ja.fallback.none);
    press(ja.fallback.submit);
    expect(port.commands()).toEqual([
      { type: 'fallback-documents', documents: [] },
      { type: 'fallback-documents', documents: ['myna_card', 'shikaku_joho_oshirase'] },
    ]);
  });

  it('ends on one last screen: to the desk, never the documents question again, and clears itself', async () => {
    vi.useFakeTimers();
    const decision = { decision: 'rejected' as const, documents: [], reasons: [], staffChecks: [], patientGuidance: 'nothing-presented' as const };
    const { port } = await mount(snapshot('fallback', { fallback: { reason: 'patient-choice', documents: [], decision } }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(plain(ja.fallback.end.title));
    expect(document.body.textContent).toContain(ja.guidance['nothing-presented']);
    // "None of these" is not answered with "this document is not enough".
    expect(document.body.textContent).not.toContain(ja.fallback.decisions.rejected);
    expect(document.querySelector('main [data-action]')).toBeNull();
    act(() => vi.advanceTimersByTime(MANUAL_END_CLEAR_S * 1000));
    expect(port.commands()).toEqual([{ type: 'reset', reason: 'completed' }]);
  });

  it.each([
    ['rejected', 'notice-alone-not-enough'],
    ['accepted', 'card-with-notice-accepted'],
    ['accepted', 'kakuninsho-accepted'],
    ['conditional', 'self-declaration-at-desk'],
  ] as const)('shows a %s decision with the %s guidance, not by colour alone', async (decision, guidance) => {
    await mount(
      snapshot('fallback', {
        fallback: {
          reason: 'patient-choice',
          documents: ['shikaku_joho_oshirase'],
          decision: { decision, documents: ['shikaku_joho_oshirase'], reasons: [], staffChecks: [], patientGuidance: guidance },
        },
      }),
    );
    expect(document.body.textContent).toContain(ja.fallback.decisions[decision]);
    expect(document.body.textContent).toContain(ja.guidance[guidance]);
  });
});

/** The sentences of the screen, ruby readings left out, each once per block of text. */
function sentencesOnScreen(): string[] {
  const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
  for (const rt of main.querySelectorAll('rt')) rt.remove();
  return [...main.querySelectorAll('h1, p, li, dt, dd, .button__label')].flatMap((block) =>
    (block.textContent ?? '')
      .split(/(?<=[。．.!?！？])/)
      .map((sentence) => sentence.replace(/[\s。．.]/g, ''))
      .filter(Boolean),
  );
}

describe('no sentence twice on one screen', () => {
  const staffErrors = {
    'pin-blocked': 'PIN_BLOCKED',
    'pin-failures': 'PIN_TOO_MANY_FAILURES',
    'card-lost': 'ELIGIBILITY_LOST_CARD',
    'face-failed': 'FACE_NOT_MATCHED',
  } as const;
  it.each(['ja', 'en', 'ja-easy'] as const)('on the staff screen for every reason, with the error that led there (%s)', async (language) => {
    const { show } = await mount(snapshot('welcome', { language }));
    for (const reason of Object.keys(ja.staffReasons) as (keyof typeof ja.staffReasons)[]) {
      const code = staffErrors[reason as keyof typeof staffErrors] ?? 'INTERNAL';
      show(snapshot('staff', { language, staff: { reason, since: '2026-11-22T09:00:00+09:00' }, error: { code, message: 'x', retriable: false } }));
      const sentences = sentencesOnScreen();
      expect(
        sentences.filter((s, i) => sentences.indexOf(s) !== i),
        reason,
      ).toEqual([]);
    }
  });

  it.each(['ja', 'en', 'ja-easy'] as const)('on the manual path when the reader is down (%s)', async (language) => {
    await mount(snapshot('fallback', { language, fallback: { reason: 'reader-service-down', documents: [] } }));
    const sentences = sentencesOnScreen();
    expect(sentences.filter((s, i) => sentences.indexOf(s) !== i)).toEqual([]);
  });
});

describe('texts that say what happens', () => {
  it('an expired certificate is not "the card reader cannot be used"', async () => {
    await mount(snapshot('fallback', { fallback: { reason: 'certificate-expired', documents: [] } }));
    expect(document.body.textContent).toContain(ja.fallbackReasons['certificate-expired']);
    expect(document.querySelector('main')!.textContent).not.toContain('カードリーダー');
  });

  it('the consent screen names only the items offered', async () => {
    await mount(snapshot('consent', { consent: { offered: ['medication', 'checkup'] } }));
    const shown = document.querySelector('main')!.textContent ?? '';
    expect(shown).toContain(ja.consent.items.medication);
    expect(shown).not.toContain('診療');
    expect(shown).not.toContain('手術');
  });

  it('no hyphen hint beside a keypad without a hyphen key; a number of 10 or 11 digits', async () => {
    const { port } = await mount(snapshot('new-patient', STEP_EXTRAS['new-patient']));
    expect(document.body.textContent).not.toMatch(/ハイフン|-/);
    for (const digit of '090123456789') press(digit);
    expect(screen.getByTestId('phone').textContent).toBe('09012345678');
    press(ja.newPatient.correct);
    expect(port.commands()).toEqual([{ type: 'new-patient', confirmed: true, phone: '09012345678' }]);
  });
});

describe('every step starts at its top', () => {
  it('a screen scrolled by the patient does not leave the next one scrolled', async () => {
    const { show } = await mount(snapshot('fallback', STEP_EXTRAS.fallback));
    const main = document.querySelector('main')!;
    main.scrollTop = 120;
    show(snapshot('staff', STEP_EXTRAS.staff));
    expect(main.scrollTop).toBe(0);
  });
});

describe('privacy', () => {
  it('shows the name as masked by the agent and the birth date masked', async () => {
    await mount(snapshot('result', STEP_EXTRAS.result));
    expect(screen.getByTestId('masked-name').textContent).toBe('山＊ ＊＊');
    // One mask character, the agent's, in every language: the masked values have one width.
    for (const language of ['ja', 'en', 'ja-easy'] as const)
      expect(plain(CATALOGUES[language].result.birthMasked('19')).replace(/[^*＊]/g, '')).toBe('＊＊＊＊＊＊');
    expect(document.body.textContent).toContain('3割');
  });

  it('drops the patient data as soon as the card is removed (the agent resets)', async () => {
    const { show } = await mount(snapshot('result', STEP_EXTRAS.result));
    show(snapshot('error', { error: { code: 'CARD_REMOVED', message: 'x', retriable: true } }));
    expect(document.body.textContent).not.toContain('山田');
    expect(document.body.textContent).toContain(ja.errors.CARD_REMOVED.next);
  });

  it('writes nothing to browser storage', async () => {
    const local = vi.spyOn(Storage.prototype, 'setItem');
    const { show } = await mount(snapshot('pin', STEP_EXTRAS.pin));
    for (const digit of ['1', '2', '3', '4']) press(digit);
    press(ja.pin.submit);
    show(snapshot('result', STEP_EXTRAS.result));
    press(en.languageName);
    press(new RegExp(en.common.highContrast));
    expect(local).not.toHaveBeenCalled();
  });
});

describe('languages and display modes', () => {
  it('switches language on any screen without losing the screen, and sets lang', async () => {
    const { port, show } = await mount(snapshot('consent', STEP_EXTRAS.consent));
    press(en.languageName);
    expect(document.documentElement.lang).toBe('en');
    expect(port.commands()).toEqual([{ type: 'set-language', language: 'en' }]);
    expect(shownScreen()).toBe('consent');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(en.steps.consent.title);
    show(snapshot('consent', { ...STEP_EXTRAS.consent, language: 'ja-easy' }));
    expect(document.documentElement.lang).toBe('ja');
    expect(document.querySelector('h1 ruby rt')?.textContent).toBe('じょうほう');
  });

  it('toggles high contrast and large text, shown by a check mark and aria-pressed', async () => {
    await mount(snapshot('welcome'));
    const contrast = screen.getByRole('button', { name: new RegExp(ja.common.highContrast) });
    fireEvent.click(contrast);
    expect(contrast.getAttribute('aria-pressed')).toBe('true');
    expect(contrast.textContent).toContain('✓');
    expect(document.documentElement.dataset.contrast).toBe('high');
    press(new RegExp(ja.common.largeText));
    expect(document.documentElement.dataset.textSize).toBe('large');
  });

  /** The browser's speech synthesis, faked: returns every utterance spoken, in order. */
  function fakeSpeech(voices: () => unknown[]): { text: string; voice: unknown }[] {
    const spoken: { text: string; voice: unknown }[] = [];
    class Utterance {
      lang = '';
      rate = 1;
      voice: unknown = null;
      constructor(readonly text: string) {}
    }
    vi.stubGlobal('SpeechSynthesisUtterance', Utterance);
    vi.stubGlobal('speechSynthesis', { cancel: vi.fn(), getVoices: voices, speak: (u: Utterance) => spoken.push(u) });
    return spoken;
  }

  it('speaks only catalogue text when voice guidance is on', async () => {
    const spoken = fakeSpeech(() => []);
    const { show } = await mount(snapshot('result', STEP_EXTRAS.result));
    press(new RegExp(ja.common.voice));
    show(snapshot('completed', { queueNumber: 42, patient }));
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.map((u) => u.text).join(' ')).not.toMatch(/山田|19\*|42/);
    expect(spoken.at(-1)?.text).toContain(ja.steps.completed.title);
    vi.unstubAllGlobals();
  });

  it('speaks with a voice on this PC, never a network voice', async () => {
    const cloud = { lang: 'ja-JP', localService: false, name: 'cloud' };
    const local = { lang: 'ja_JP', localService: true, name: 'local' };
    const english = { lang: 'en-US', localService: true, name: 'english' };
    let voices = [cloud, english, local];
    const spoken = fakeSpeech(() => voices);
    const { show } = await mount(snapshot('result', STEP_EXTRAS.result));
    press(new RegExp(ja.common.voice));
    expect(spoken.at(-1)?.voice).toBe(local);
    voices = [cloud, english];
    show(snapshot('completed', { queueNumber: 42, patient }));
    expect(spoken.at(-1)?.voice).toBeNull();
    vi.unstubAllGlobals();
  });
});

describe('timing', () => {
  it('warns after inactivity with a countdown, then resets to welcome and tells the agent', async () => {
    vi.useFakeTimers();
    const { port } = await mount(snapshot('result', STEP_EXTRAS.result));
    act(() => vi.advanceTimersByTime(IDLE_AFTER_MS - 1000));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByRole('alertdialog').textContent).toContain(ja.idle.countdown(IDLE_COUNTDOWN_S));
    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.getByTestId('idle-countdown').textContent).toBe(ja.idle.countdown(IDLE_COUNTDOWN_S - 10));
    act(() => vi.advanceTimersByTime(20_000));
    expect(port.commands()).toContainEqual({ type: 'reset', reason: 'idle' });
    expect(shownScreen()).toBe('welcome');
    expect(document.body.textContent).not.toContain('山田');
  });

  it('keeps the session when the patient chooses to continue', async () => {
    vi.useFakeTimers();
    const { port } = await mount(snapshot('pin', STEP_EXTRAS.pin));
    act(() => vi.advanceTimersByTime(IDLE_AFTER_MS));
    press(ja.idle.keepGoing);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    act(() => vi.advanceTimersByTime(IDLE_COUNTDOWN_S * 1000));
    expect(port.commands()).toEqual([]);
    expect(shownScreen()).toBe('pin');
  });

  it('touches restart the inactivity wait', async () => {
    vi.useFakeTimers();
    await mount(snapshot('consent', STEP_EXTRAS.consent));
    act(() => vi.advanceTimersByTime(IDLE_AFTER_MS - 1000));
    fireEvent.pointerDown(document.body);
    act(() => vi.advanceTimersByTime(2000));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('keeps counting through a dropped link that comes back to the same screen', async () => {
    vi.useFakeTimers();
    const { port } = await mount(snapshot('pin', STEP_EXTRAS.pin));
    act(() => vi.advanceTimersByTime(IDLE_AFTER_MS - 5000));
    act(() => port.close());
    expect(shownScreen()).toBe('reconnecting');
    await act(async () => port.open());
    act(() => port.push(snapshot('pin', STEP_EXTRAS.pin)));
    act(() => vi.advanceTimersByTime(5000));
    expect(screen.getByRole('alertdialog')).toBeTruthy();
  });

  it('does not time out while the patient waits for staff', async () => {
    vi.useFakeTimers();
    await mount(snapshot('staff', STEP_EXTRAS.staff));
    act(() => vi.advanceTimersByTime(IDLE_AFTER_MS * 2));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('clears the completion screen by itself', async () => {
    vi.useFakeTimers();
    const { port } = await mount(snapshot('completed', STEP_EXTRAS.completed));
    expect(screen.getByTestId('queue-number').textContent).toBe('42');
    act(() => vi.advanceTimersByTime(COMPLETED_CLEAR_S * 1000));
    expect(port.commands()).toEqual([{ type: 'reset', reason: 'completed' }]);
    expect(shownScreen()).toBe('welcome');
  });
});

describe('progress and connection', () => {
  it('shows determinate progress when the agent reports it, indeterminate otherwise', async () => {
    const { show } = await mount(snapshot('reading', { progress: { done: 1, total: 3 } }));
    expect(screen.getByRole('progressbar').getAttribute('value')).toBe('1');
    show(snapshot('eligibility'));
    expect(screen.getByRole('progressbar').hasAttribute('value')).toBe(false);
  });

  it('shows the manual path when the agent does not answer, and restores the screen from the next snapshot', async () => {
    vi.useFakeTimers();
    const port = new FakePort();
    const connection = new KioskConnection(port);
    connection.start();
    render(<App connection={connection} />);
    expect(shownScreen()).toBe('reconnecting');
    act(() => vi.advanceTimersByTime(3000));
    expect(shownScreen()).toBe('unreachable');
    for (const item of ja.connection.bring) expect(document.body.textContent).toContain(item);
    await act(async () => port.open());
    act(() => port.push(snapshot('pin', STEP_EXTRAS.pin)));
    expect(shownScreen()).toBe('pin');
  });

  it('shows reconnecting, without the old screen, while the link is down', async () => {
    const { port } = await mount(snapshot('result', STEP_EXTRAS.result));
    act(() => port.close());
    expect(shownScreen()).toBe('reconnecting');
    expect(document.body.textContent).not.toContain('山田');
  });

  it('start over ends the session at once', async () => {
    const { port } = await mount(snapshot('result', STEP_EXTRAS.result));
    press(new RegExp(ja.common.startOver));
    // The reset names the session it ends, not the welcome screen shown right after.
    expect(port.sessionsNamed()).toEqual([{ command: { type: 'reset', reason: 'patient' }, sessionId: 'session-1' }]);
    expect(shownScreen()).toBe('welcome');
  });
});
