import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LANGUAGES } from '@kiosk/protocol';
import {
  axeViolations,
  chromiumAvailable,
  holdingTime,
  openKiosk,
  playScenario,
  press,
  screenshot,
  setHighContrast,
  setLanguage,
  setLargeText,
  waitForScreen,
  whileTimeStandsStill,
  withClockTicking,
  type Kiosk,
} from './support/kiosk.ts';
import { fitProblems } from './support/fit.ts';

const enabled = chromiumAvailable();

/** The fit checks in normal and large text, in the contrast mode set; large text off afterwards. */
async function expectFits(page: Page, where: string): Promise<void> {
  for (const large of [false, true]) {
    await setLargeText(page, large);
    expect(await fitProblems(page), `${where} ${large ? 'large' : 'normal'} text`).toEqual([]);
  }
  await setLargeText(page, false);
}

/** A screenshot, axe and the fit checks in each language and contrast mode, back to normal contrast afterwards. */
async function checkEveryLanguageAndMode(page: Page, screen: string): Promise<void> {
  for (const language of LANGUAGES) {
    await setLanguage(page, language);
    for (const high of [false, true]) {
      await setHighContrast(page, high);
      await screenshot(page, `${language}__${screen}__${high ? 'high-contrast' : 'normal'}`);
      expect(await axeViolations(page), `${screen} ${language} ${high ? 'high' : 'normal'}`).toEqual([]);
      await expectFits(page, `${screen} ${language} ${high ? 'high' : 'normal'}`);
    }
  }
  await setHighContrast(page, false);
}

describe.skipIf(!enabled)('timing and the manual path', () => {
  let kiosk: Kiosk;
  beforeAll(async () => {
    kiosk = await openKiosk();
  });
  afterAll(async () => kiosk?.close());

  it('resets an idle session to welcome after the warning countdown, in the UI and in the agent', async () => {
    const { page, agent } = kiosk;
    await page.goto(agent.url);
    await waitForScreen(page, 'welcome');
    await playScenario(agent, 'pin-success');
    await waitForScreen(page, 'choose-auth', 30_000);
    await press(page, 'auth-pin');
    await waitForScreen(page, 'pin');
    // The jumps outlast socket.io's heartbeat: the wait runs through a reconnect, as it must.
    await whileTimeStandsStill(page, async () => {
      await page.locator('[data-key="1"]').click();
      await page.clock.fastForward('01:29');
      expect(await page.locator('[data-screen="idle"]').count()).toBe(0);
      await page.clock.fastForward('00:02');
      await page.locator('[data-screen="idle"]').waitFor();
    });
    await waitForScreen(page, 'pin');
    await page.clock.fastForward('00:31');
    await waitForScreen(page, 'welcome');
    expect(await page.locator('[data-screen="idle"]').count()).toBe(0);
    expect(await page.locator('[data-testid="pin-dots"]').count()).toBe(0);
    // The reset reaches the agent once the kiosk has reconnected after the jumps (socket.io's back-off).
    await expect.poll(() => agent.flow.snapshot().step, { timeout: 15_000 }).toBe('welcome');
    expect(agent.flow.snapshot().sessionId).toBeNull();
  });

  it('shows the idle warning in every language and contrast mode without an axe violation', async () => {
    const { page, agent } = kiosk;
    agent.flow.send({ type: 'reset', reason: 'patient' });
    await page.goto(agent.url);
    await waitForScreen(page, 'welcome');
    await playScenario(agent, 'pin-success');
    await waitForScreen(page, 'choose-auth', 30_000);
    // The warning covers the bars, so the display mode is set before it appears.
    const modes = [
      { high: false, large: false },
      { high: true, large: false },
      { high: false, large: true },
    ];
    for (const language of LANGUAGES) {
      for (const { high, large } of modes) {
        await setLanguage(page, language);
        await setHighContrast(page, high);
        await setLargeText(page, large);
        await whileTimeStandsStill(page, async () => {
          await page.clock.fastForward('01:31');
          await page.locator('[data-screen="idle"]').waitFor();
        });
        // The warning counts down 30 s, which a loaded CI machine once spent before the checks were done.
        await holdingTime(page, async () => {
          const mode = large ? 'large-text' : high ? 'high-contrast' : 'normal';
          await screenshot(page, `${language}__idle__${mode}`);
          if (!large) expect(await axeViolations(page), `${language} ${mode}`).toEqual([]);
          expect(await fitProblems(page), `idle ${language} ${mode}`).toEqual([]);
          await press(page, 'idle-continue');
          await page.locator('[data-screen="idle"]').waitFor({ state: 'detached' });
        });
      }
    }
    await setHighContrast(page, false);
    await setLargeText(page, false);
  });

  it('shows reconnecting, then the manual path, when the agent stops answering, in every language and contrast mode', async () => {
    const { page, agent } = kiosk;
    // Independent of how the test before it ended.
    agent.flow.send({ type: 'reset', reason: 'patient' });
    await page.goto(agent.url);
    await waitForScreen(page, 'welcome');
    // "Reconnecting" lasts 3 s before the manual path: with the clock standing still it stays while
    // it is checked, the clock ticking only as far as axe, screenshots and clicks need (a few ms each).
    await whileTimeStandsStill(page, async () => {
      await agent.close();
      await waitForScreen(page, 'reconnecting', 20_000);
      await withClockTicking(page, () => checkEveryLanguageAndMode(page, 'reconnecting'));
      expect(await page.locator('main [data-screen]').getAttribute('data-screen')).toBe('reconnecting');
    });
    await waitForScreen(page, 'unreachable', 20_000);
    await checkEveryLanguageAndMode(page, 'unreachable');
  });
});
