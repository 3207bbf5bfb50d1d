import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '@kiosk/protocol';
import { chromiumAvailable, openKiosk, playScenario, scenarioNames, setLanguage, waitForScreen, type Kiosk } from './support/kiosk.ts';
import { audit, planFor, walk, type Audit } from './support/patient.ts';

/**
 * Where each mock scenario must leave the patient (from the scenario catalogue's descriptions).
 * A scenario missing here still runs and must end on one of the ending screens.
 */
const ENDS: Record<string, readonly string[]> = {
  'face-success': ['completed'],
  'pin-success': ['completed'],
  'wrong-pin-then-success': ['completed'],
  'pin-last-try': ['completed'],
  'pin-locked': ['staff', 'visual-check'],
  'not-my-number-card': ['error', 'staff'],
  'card-removed-mid-read': ['error', 'welcome'],
  'reader-unplugged': ['fallback', 'staff'],
  'no-reader': ['fallback', 'staff'],
  'reader-service-down': ['fallback', 'staff'],
  'face-failed': ['completed'],
  'face-only-card': ['completed'],
  'expiring-certificate': ['completed'],
  'grace-certificate': ['completed'],
  'expired-certificate': ['fallback', 'staff', 'error'],
  'wrong-issuer': ['staff', 'error'],
  'unregistered-card': ['completed'],
  'lost-card': ['staff', 'error'],
  'eligibility-invalid': ['staff'],
  'eligibility-new-qualification': ['staff'],
  'eligibility-not-found': ['staff'],
  'eligibility-multiple': ['staff'],
  'new-patient': ['completed'],
  smartphone: ['completed'],
  'juki-card': ['error', 'staff'],
};
const ANY_END = ['completed', 'staff', 'error', 'fallback', 'visual-check', 'welcome'];

const enabled = chromiumAvailable();

/**
 * Every scenario runs in Japanese; English and やさしい日本語 run the scenarios whose screens differ
 * (success, staff, error and manual path). KIOSK_E2E_FULL=1 runs every scenario in every language:
 * on a 2-core runner that takes far longer than CI allows.
 */
const FULL_MATRIX = process.env.KIOSK_E2E_FULL === '1';
const CORE_SCENARIOS = ['pin-success', 'face-success', 'pin-locked', 'not-my-number-card', 'no-reader', 'eligibility-invalid', 'unregistered-card'];

describe.skipIf(!enabled)('every mock scenario in every language', () => {
  let kiosk: Kiosk;
  let names: string[] = [];
  const checks: Audit = { seen: new Set(), violations: [] };

  beforeAll(async () => {
    kiosk = await openKiosk();
    names = await scenarioNames(kiosk.agent);
    await kiosk.page.goto(kiosk.agent.url);
    await waitForScreen(kiosk.page, 'welcome');
  });
  afterAll(async () => kiosk?.close());

  async function fromWelcome(language: Language): Promise<void> {
    kiosk.agent.flow.send({ type: 'reset', reason: 'patient' });
    await waitForScreen(kiosk.page, 'welcome');
    await setLanguage(kiosk.page, language);
  }

  it('knows the scenarios', () => {
    expect(names).toContain('pin-success');
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  for (const language of LANGUAGES) {
    it(`plays ${FULL_MATRIX || language === 'ja' ? 'every scenario' : 'the core scenarios'} in ${language}`, async () => {
      const outcomes: string[] = [];
      for (const scenario of FULL_MATRIX || language === 'ja' ? names : CORE_SCENARIOS) {
        await fromWelcome(language);
        await audit(kiosk.page, language, 'start', checks);
        await playScenario(kiosk.agent, scenario);
        const visited = await walk(kiosk.page, planFor(scenario), (_screen, index) => audit(kiosk.page, language, `${scenario}-${index}`, checks));
        const end = visited.at(-1) ?? '';
        // The language chosen on the welcome screen survives the whole check-in.
        expect(await kiosk.page.evaluate(() => document.documentElement.dataset.language), scenario).toBe(language);
        if (!(ENDS[scenario] ?? ANY_END).includes(end)) outcomes.push(`${scenario}: ${visited.join(' → ')}`);
      }
      expect(outcomes).toEqual([]);
      expect(checks.violations).toEqual([]);
    });
  }
});
