import type { Page } from 'playwright-core';
import type { DocumentId, Language, PatientGuidance } from '@kiosk/protocol';
import { axeViolations, holdingTime, screenshot, setHighContrast, setLargeText } from './kiosk.ts';
import { fitProblems } from './fit.ts';

/** How the simulated patient answers. */
export interface Plan {
  auth: 'face' | 'pin';
  /** PINs to type, in order; the mock card's PIN is 1234. */
  pins: string[];
  documents: DocumentId[];
  /** Whether the patient starts a check-in from the welcome screen; not after the card was pulled off. */
  startFromWelcome: boolean;
}

/**
 * What the patient shows on the manual path, varied so that each of the kiosk's fallback guidances
 * (card + お知らせ, 資格確認書, お知らせ alone, nothing: the desk helps) is met in every language.
 */
export const FALLBACK_PLANS: Record<string, { documents: DocumentId[]; guidance: PatientGuidance }> = {
  'reader-unplugged': { documents: ['myna_card', 'shikaku_joho_oshirase'], guidance: 'card-with-notice-accepted' },
  'no-reader': { documents: ['shikaku_kakuninsho'], guidance: 'kakuninsho-accepted' },
  'reader-service-down': { documents: ['shikaku_joho_oshirase'], guidance: 'notice-alone-not-enough' },
  'expired-certificate': { documents: [], guidance: 'nothing-presented' },
};

export function planFor(scenario: string): Plan {
  return {
    auth: ['face-success', 'face-only-card', 'face-failed'].includes(scenario) ? 'face' : 'pin',
    // On the last try the kiosk warns before the keypad: the PIN is typed once.
    pins: scenario === 'wrong-pin-then-success' ? ['0000', '1234'] : ['1234'],
    documents: FALLBACK_PLANS[scenario]?.documents ?? ['myna_card', 'shikaku_joho_oshirase'],
    startFromWelcome: scenario !== 'card-removed-mid-read',
  };
}

/** Screens where the walk ends: the patient has nothing more to do on the kiosk. */
const TERMINAL = new Set(['completed', 'staff', 'error', 'unreachable', 'incompatible']);

/** What the patient sees, read in one round trip to the page. */
export interface Look {
  screen: string;
  seq: number;
  /** The screen's variant markers (error code, decision, guidance) joined, if it has any. */
  variant: string | null;
  /** The manual path's guidance for the documents shown, when the screen gives one. */
  guidance: string | null;
  text: string;
  pinDots: string | null;
  /** Where the call-staff button is ("x,y,width,height" in px), or null when it is missing. */
  callStaff: string | null;
  /** How far the screen is scrolled (the page or the main area): a new step starts at the top. */
  scrolled: number;
}

function look(page: Page): Promise<Look> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const markers = ['data-error', 'data-staff-reason', 'data-decision', 'data-guidance'].flatMap(
      (name) => document.querySelector(`main [${name}]`)?.getAttribute(name) ?? [],
    );
    return {
      screen: document.querySelector('main [data-screen], [data-screen="idle"]')?.getAttribute('data-screen') ?? '',
      seq: Number(main?.getAttribute('data-seq')),
      variant: markers.length > 0 ? markers.join('-') : null,
      guidance: document.querySelector('main [data-guidance]')?.getAttribute('data-guidance') ?? null,
      text: main?.innerText ?? '',
      pinDots: (document.querySelector('[data-testid="pin-dots"]') as HTMLElement | null)?.innerText ?? null,
      callStaff: (() => {
        const box = document.querySelector('[data-action="call-staff"]')?.getBoundingClientRect();
        return box ? [box.x, box.y, box.width, box.height].map(Math.round).join(',') : null;
      })(),
      scrolled: (document.scrollingElement?.scrollTop ?? 0) + (main?.scrollTop ?? 0),
    };
  });
}

/**
 * Checks run on every screen: the PIN is never visible, nothing that looks like a full birth date
 * or an insurance number is shown.
 */
function assertPrivate({ text: shown, pinDots }: Look): void {
  const text = shown.replace(/\s+/g, ' ');
  if (/\b\d{8}\b/.test(text)) throw new Error(`an 8-digit number is on screen: ${text}`);
  if (/(19|20)\d\d年\d{1,2}月\d{1,2}日/.test(text) || /(19|20)\d\d-\d\d-\d\d/.test(text)) throw new Error(`an unmasked date is on screen: ${text}`);
  if (pinDots !== null && /\d/.test(pinDots)) throw new Error('PIN digits are visible');
}

export interface Audit {
  /** Keys of screen variants already checked, so each is checked once per language. */
  seen: Set<string>;
  violations: string[];
}

/** The display modes every screen variant is checked in; axe runs in normal text (large text changes no markup). */
const MODES = [
  { name: 'normal', high: false, large: false, axe: true, screenshot: true },
  { name: 'high-contrast', high: true, large: false, axe: true, screenshot: true },
  { name: 'large-text', high: false, large: true, axe: false, screenshot: true },
  { name: 'large-text-high-contrast', high: true, large: true, axe: false, screenshot: false },
] as const;

/**
 * axe, the fit checks and screenshots in each display mode, once per screen variant and language, with
 * the page's time held so that a screen that clears itself (completed) stays while it is checked.
 */
export async function audit(page: Page, language: Language, label: string, audit: Audit): Promise<void> {
  const { screen, variant } = await look(page);
  const key = `${language}:${screen}:${variant ?? ''}`;
  if (audit.seen.has(key)) return;
  audit.seen.add(key);
  await page.evaluate(() => document.fonts.ready);
  await holdingTime(page, async () => {
    for (const mode of MODES) {
      await setHighContrast(page, mode.high);
      await setLargeText(page, mode.large);
      if (mode.screenshot) await screenshot(page, `${language}__${screen}${variant ? `-${variant}` : ''}__${mode.name === 'normal' ? label : mode.name}`);
      if (mode.axe) audit.violations.push(...(await axeViolations(page)).map((v) => `${key} ${mode.name} ${v}`));
      audit.violations.push(...(await fitProblems(page)).map((problem) => `${key} ${mode.name} does not fit: ${problem}`));
    }
    await setHighContrast(page, false);
    await setLargeText(page, false);
  });
}

async function waitForChange(page: Page, seq: number, screen: string, timeout: number): Promise<boolean> {
  try {
    await page.waitForFunction(
      ([s, name]) => {
        const main = document.querySelector('main');
        const shown = document.querySelector('main [data-screen]')?.getAttribute('data-screen');
        return Number(main?.getAttribute('data-seq')) !== s || shown !== name;
      },
      [seq, screen] as const,
      { timeout },
    );
    return true;
  } catch {
    return false;
  }
}

async function has(page: Page, action: string): Promise<boolean> {
  return (await page.locator(`[data-action="${action}"]:not([disabled])`).count()) > 0;
}

/** What the walk saw: the screens in order, the last one, and how many times the patient touched the screen. */
export interface Walked {
  visited: string[];
  last: Look | undefined;
  taps: number;
}

/**
 * Plays the patient: looks at the screen, does what the plan says, waits for the agent's next snapshot,
 * until a terminal screen or nothing changes any more. Counts every touch (each PIN digit is one).
 */
export async function walk(page: Page, plan: Plan, onScreen: (seen: Look, index: number) => Promise<void>): Promise<Walked> {
  const visited: string[] = [];
  let taps = 0;
  const tap = async (selector: string) => {
    taps++;
    await page.locator(selector).click();
  };
  const press = (action: string) => tap(`[data-action="${action}"]`);
  const pins = [...plan.pins];
  let welcomeActions = 0;
  let fallbackSubmitted = false;
  let callStaffAt: string | null | undefined;
  let last: Look | undefined;
  for (let index = 0; index < 24; index++) {
    const seen = await look(page);
    last = seen;
    const { screen, seq } = seen;
    if (visited.at(-1) !== screen) visited.push(screen);
    assertPrivate(seen);
    if (seen.scrolled !== 0) throw new Error(`${screen} opened scrolled by ${seen.scrolled} px`);
    // The call-staff button stays in one place on every screen, so a patient who needs help finds it.
    callStaffAt ??= seen.callStaff;
    if (seen.callStaff === null || seen.callStaff !== callStaffAt) throw new Error(`call staff is at ${seen.callStaff} on ${screen}, not ${callStaffAt}`);
    await onScreen(seen, index);
    if (TERMINAL.has(screen)) break;
    // The manual path's last screen: to the desk, nothing to press (no documents question again).
    if (screen === 'fallback' && seen.guidance !== null) {
      const offered = await page.locator('main [data-action]').count();
      if (offered > 0) throw new Error(`the manual path's last screen offers ${offered} actions`);
      break;
    }
    switch (screen) {
      case 'welcome':
        // The scenario's card arrives by itself: give the reader a moment before the patient acts.
        if (index === 0 && (await waitForChange(page, seq, screen, 5_000))) continue;
        if (!plan.startFromWelcome || welcomeActions > 0) return { visited, last, taps };
        // A face-first reader offers "start"; beside a card reader the patient without a card goes manual.
        await press((await has(page, 'start')) ? 'start' : 'manual-path');
        welcomeActions += 1;
        break;
      case 'choose-auth':
        if (await has(page, `auth-${plan.auth}`)) await press(`auth-${plan.auth}`);
        else if (await has(page, 'auth-pin')) await press('auth-pin');
        else await press('auth-visual');
        plan = { ...plan, auth: 'pin' }; // a second visit means the first method failed
        break;
      case 'face':
        if ((await page.locator('main [data-error]').count()) > 0 && (await has(page, 'switch-to-pin'))) await press('switch-to-pin');
        break;
      case 'pin': {
        const pin = pins.shift();
        if (pin === undefined) return { visited, last, taps };
        for (const digit of pin) await tap(`[data-key="${digit}"]`);
        await press('pin-submit');
        break;
      }
      case 'pin-confirm-last-try':
        await press('last-try-use');
        break;
      case 'registration-offer':
        await press('register');
        break;
      case 'result':
      case 'consent':
        if (await has(page, 'consent-all')) await press('consent-all');
        else await press('continue');
        break;
      case 'prescription':
        await press('prescription-paper');
        break;
      case 'new-patient':
        await press('details-correct');
        break;
      case 'fallback':
        // The document choice (its submit stays disabled until a document is chosen).
        if (await has(page, 'documents-none')) {
          if (fallbackSubmitted) return { visited, last, taps };
          fallbackSubmitted = true;
          for (const id of plan.documents) await press(`document-${id}`);
          await press(plan.documents.length > 0 ? 'documents-submit' : 'documents-none');
        } else return { visited, last, taps };
        break;
      default:
        break; // waiting steps: the agent moves on by itself
    }
    if (!(await waitForChange(page, seq, screen, 12_000))) break;
  }
  return { visited, last, taps };
}
