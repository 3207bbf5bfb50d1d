import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '@kiosk/protocol';
import { SCENARIOS } from '@kiosk/mocks/driver/scenarios.ts';
import { chromiumAvailable, openKiosk, playScenario, scenarioNames, setLanguage, waitForScreen, type Kiosk } from './kiosk.ts';
import { audit, FALLBACK_PLANS, planFor, walk, type Audit } from './patient.ts';

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
  // The manual path ends on its own last screen (walk() checks it offers nothing more).
  'reader-unplugged': ['fallback'],
  'no-reader': ['fallback'],
  'reader-service-down': ['fallback'],
  'face-failed': ['completed'],
  'face-only-card': ['completed'],
  'expiring-certificate': ['completed'],
  'grace-certificate': ['completed'],
  'expired-certificate': ['fallback'],
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

/**
 * Every mock scenario in one language, each its own test, on one agent and one browser. One test file
 * per language (scenarios.<language>.test.ts) lets the languages run side by side.
 */
export function playEveryScenario(language: Language): void {
  describe.skipIf(!chromiumAvailable())(`every mock scenario in ${language}`, () => {
    let kiosk: Kiosk;
    const checks: Audit = { seen: new Set(), violations: [] };
    /** Screens on which every offered action was compared with what the agent accepts. */
    let offerChecks = 0;

    /** Every button that sends a flow command is one the agent accepts now (the snapshot's `can`). */
    async function expectOnlyAcceptedActions(where: string): Promise<void> {
      const offered = await kiosk.page.evaluate(() => ({
        seq: Number(document.querySelector<HTMLElement>('main')?.dataset.seq),
        commands: Array.from(document.querySelectorAll<HTMLElement>('[data-command]'), (button) => button.dataset.command),
      }));
      const agent = kiosk.agent.flow.snapshot();
      if (offered.seq !== agent.seq) return; // the agent moved on since the screen was drawn
      offerChecks++;
      for (const command of offered.commands) expect(agent.can, `${where}: ${agent.step} offers ${command}`).toContain(command);
    }

    beforeAll(async () => {
      kiosk = await openKiosk();
      await kiosk.page.goto(kiosk.agent.url);
      await waitForScreen(kiosk.page, 'welcome');
    });
    afterAll(async () => kiosk?.close());

    /** Back to a plugged-in reader and a running service (some scenarios unplug it), then to welcome. */
    async function fromWelcome(): Promise<void> {
      await playScenario(kiosk.agent, 'service-up');
      await playScenario(kiosk.agent, 'plug-reader');
      kiosk.agent.flow.send({ type: 'reset', reason: 'patient' });
      await waitForScreen(kiosk.page, 'welcome');
      await setLanguage(kiosk.page, language);
    }

    it('plays the whole catalogue the agent offers', async () => {
      expect(await scenarioNames(kiosk.agent)).toEqual(SCENARIOS.map(({ name }) => name));
    });

    // The first scenario of a language meets most screens for the first time and audits each (axe and a
    // screenshot in both contrast modes): minutes on a loaded 2-core runner.
    it.for(SCENARIOS.map(({ name }) => name))(`%s in ${language}`, { timeout: 300_000 }, async (scenario) => {
      const before = checks.violations.length;
      await fromWelcome();
      await audit(kiosk.page, language, 'start', checks);
      // The agent's own steps: the screen may skip one that lasts a moment (a card pulled off mid-read).
      const agentSteps: string[] = [];
      const unsubscribe = kiosk.agent.flow.subscribe((snapshot) => void agentSteps.push(snapshot.step));
      try {
        await playScenario(kiosk.agent, scenario);
        const guidances: string[] = [];
        const { visited, last } = await walk(kiosk.page, planFor(scenario), async (seen, index) => {
          if (seen.guidance) guidances.push(seen.guidance);
          await expectOnlyAcceptedActions(`${scenario}-${index}`);
          await audit(kiosk.page, language, `${scenario}-${index}`, checks);
        });
        // The language chosen on the welcome screen survives the whole check-in.
        expect(await kiosk.page.evaluate(() => document.documentElement.dataset.language)).toBe(language);
        expect(ENDS[scenario] ?? ANY_END, visited.join(' → ')).toContain(visited.at(-1));
        // The manual path told the patient what the documents they have mean.
        const fallback = FALLBACK_PLANS[scenario];
        if (fallback) expect(guidances, visited.join(' → ')).toContain(fallback.guidance);
        if (fallback) expect(last?.guidance, visited.join(' → ')).toBe(fallback.guidance);
        // Every scenario takes the kiosk off the welcome screen at some point (a card, a reader fault).
        expect(
          agentSteps.some((step) => step !== 'welcome'),
          agentSteps.join(' → '),
        ).toBe(true);
        expect(checks.violations.slice(before)).toEqual([]);
      } finally {
        unsubscribe();
      }
    });

    // By now the patient of the valid card is known and has answered the consent questions less than 24
    // hours ago (the face result and the card's certificate each), as a returning patient has.
    it.for([
      { scenario: 'face-success', budget: 3 },
      { scenario: 'pin-success', budget: 7 },
    ])(`a returning patient checks in within the tap budget: $scenario in ${language}`, async ({ scenario, budget }) => {
      const before = checks.violations.length;
      await fromWelcome();
      await playScenario(kiosk.agent, scenario);
      const { visited, taps } = await walk(kiosk.page, planFor(scenario), (_seen, index) =>
        audit(kiosk.page, language, `${scenario}-returning-${index}`, checks),
      );
      expect(visited.at(-1), visited.join(' → ')).toBe('completed');
      expect(taps, visited.join(' → ')).toBeLessThanOrEqual(budget);
      expect(checks.violations.slice(before)).toEqual([]);
    });

    it('compared the offered actions with the agent on the screens it walked', () => {
      expect(offerChecks).toBeGreaterThan(SCENARIOS.length);
    });
  });
}
