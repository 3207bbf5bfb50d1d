import type { Page } from 'playwright-core';
import type { DocumentId, Language } from '@kiosk/protocol';
import { axeViolations, press, screenshot, setHighContrast } from './kiosk.ts';

/** How the simulated patient answers. */
export interface Plan {
  auth: 'face' | 'pin';
  /** PINs to type, in order; the mock card's PIN is 1234. */
  pins: string[];
  documents: DocumentId[];
  /** Whether the patient starts a check-in from the welcome screen; not after the card was pulled off. */
  startFromWelcome: boolean;
}

export function planFor(scenario: string): Plan {
  return {
    auth: ['face-success', 'face-only-card', 'face-failed'].includes(scenario) ? 'face' : 'pin',
    // On the last try the kiosk asks for a fresh entry after the warning.
    pins: scenario === 'wrong-pin-then-success' ? ['0000', '1234'] : scenario === 'pin-last-try' ? ['1234', '1234'] : ['1234'],
    documents: ['myna_card', 'shikaku_joho_oshirase'],
    startFromWelcome: scenario !== 'card-removed-mid-read',
  };
}

/** Screens where the walk ends: the patient has nothing more to do on the kiosk. */
const TERMINAL = new Set(['completed', 'staff', 'error', 'unreachable', 'incompatible']);

/** What the patient sees, read in one round trip to the page. */
interface Look {
  screen: string;
  seq: number;
  /** The screen's variant marker (an error code, a decision, a guidance), if it has one. */
  variant: string | null;
  text: string;
  pinDots: string | null;
}

function look(page: Page): Promise<Look> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const marked = document.querySelector('main [data-error], main [data-decision], main [data-guidance]');
    return {
      screen: document.querySelector('main [data-screen], [data-screen="idle"]')?.getAttribute('data-screen') ?? '',
      seq: Number(main?.getAttribute('data-seq')),
      variant: marked?.getAttribute('data-error') ?? marked?.getAttribute('data-decision') ?? marked?.getAttribute('data-guidance') ?? null,
      text: main?.innerText ?? '',
      pinDots: (document.querySelector('[data-testid="pin-dots"]') as HTMLElement | null)?.innerText ?? null,
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
  /** Keys of screens already checked, so each screen variant is checked once per language and mode. */
  seen: Set<string>;
  violations: string[];
}

/** axe in both contrast modes and a screenshot in each, once per screen variant and language. */
export async function audit(page: Page, language: Language, label: string, audit: Audit): Promise<void> {
  const { screen, variant } = await look(page);
  const key = `${language}:${screen}:${variant ?? ''}`;
  if (audit.seen.has(key)) return;
  audit.seen.add(key);
  await page.evaluate(() => document.fonts.ready);
  await screenshot(page, `${language}__${screen}${variant ? `-${variant}` : ''}__${label}`);
  audit.violations.push(...(await axeViolations(page)).map((v) => `${key} normal ${v}`));
  if (audit.seen.has(`${language}:${screen}:high`)) return;
  audit.seen.add(`${language}:${screen}:high`);
  await setHighContrast(page, true);
  await screenshot(page, `${language}__${screen}__high-contrast`);
  audit.violations.push(...(await axeViolations(page)).map((v) => `${key} high-contrast ${v}`));
  await setHighContrast(page, false);
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

async function typePin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.locator(`[data-key="${digit}"]`).click();
  await press(page, 'pin-submit');
}

/**
 * Plays the patient: looks at the screen, does what the plan says, waits for the agent's next snapshot,
 * until a terminal screen or nothing changes any more. Returns the screens seen, in order.
 */
export async function walk(page: Page, plan: Plan, onScreen: (screen: string, index: number) => Promise<void>): Promise<string[]> {
  const visited: string[] = [];
  const pins = [...plan.pins];
  let welcomeActions = 0;
  let fallbackSubmitted = false;
  for (let index = 0; index < 24; index++) {
    const seen = await look(page);
    const { screen, seq } = seen;
    if (visited.at(-1) !== screen) visited.push(screen);
    assertPrivate(seen);
    await onScreen(screen, index);
    if (TERMINAL.has(screen)) break;
    switch (screen) {
      case 'welcome':
        // The scenario's card arrives by itself: give the reader a moment before the patient acts.
        if (index === 0 && (await waitForChange(page, seq, screen, 5_000))) continue;
        if (!plan.startFromWelcome) return visited;
        if (welcomeActions === 0 && (await has(page, 'start'))) await press(page, 'start');
        else if (welcomeActions === 1) await press(page, 'manual-path');
        else return visited;
        welcomeActions += 1;
        break;
      case 'choose-auth':
        if (await has(page, `auth-${plan.auth}`)) await press(page, `auth-${plan.auth}`);
        else if (await has(page, 'auth-pin')) await press(page, 'auth-pin');
        else await press(page, 'auth-visual');
        plan = { ...plan, auth: 'pin' }; // a second visit means the first method failed
        break;
      case 'face':
        if ((await page.locator('main [data-error]').count()) > 0 && (await has(page, 'switch-to-pin'))) await press(page, 'switch-to-pin');
        break;
      case 'pin': {
        const pin = pins.shift();
        if (pin === undefined) return visited;
        await typePin(page, pin);
        break;
      }
      case 'pin-confirm-last-try':
        await press(page, 'last-try-use');
        break;
      case 'registration-offer':
        await press(page, 'register');
        break;
      case 'result':
      case 'consent':
        if (await has(page, 'consent-all')) await press(page, 'consent-all');
        else await press(page, 'continue');
        break;
      case 'prescription':
        await press(page, 'prescription-paper');
        break;
      case 'new-patient':
        await press(page, 'details-correct');
        break;
      case 'fallback':
        if (await has(page, 'documents-submit')) {
          for (const id of plan.documents) await press(page, `document-${id}`);
          if (fallbackSubmitted) return visited;
          fallbackSubmitted = true;
          await press(page, 'documents-submit');
        } else if (await has(page, 'continue')) await press(page, 'continue');
        else return visited;
        break;
      default:
        break; // waiting steps: the agent moves on by itself
    }
    if (!(await waitForChange(page, seq, screen, 12_000))) break;
  }
  return visited;
}
