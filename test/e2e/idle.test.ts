import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LANGUAGES } from '@kiosk/protocol';
import {
  axeViolations,
  chromiumAvailable,
  openKiosk,
  playScenario,
  press,
  screenshot,
  setHighContrast,
  setLanguage,
  waitForScreen,
  type Kiosk,
} from './support/kiosk.ts';

const enabled = chromiumAvailable();

/**
 * Runs `jumps` with the page's clock standing still but for its own fast-forwards, so a boundary holds
 * however slow the runner is; the clock runs again afterwards (screenshots and clicks need it).
 */
async function whileTimeStandsStill(page: Page, jumps: () => Promise<void>): Promise<void> {
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  try {
    await jumps();
  } finally {
    await page.clock.resume();
  }
}

describe.skipIf(!enabled)('timing and the manual path', () => {
  let kiosk: Kiosk;
  beforeAll(async () => {
    kiosk = await openKiosk();
    await kiosk.page.clock.install();
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
    await expect.poll(() => agent.flow.snapshot().step).toBe('welcome');
    expect(agent.flow.snapshot().sessionId).toBeNull();
  });

  it('shows the idle warning in every language and contrast mode without an axe violation', async () => {
    const { page, agent } = kiosk;
    agent.flow.send({ type: 'reset', reason: 'patient' });
    await page.goto(agent.url);
    await waitForScreen(page, 'welcome');
    await playScenario(agent, 'pin-success');
    await waitForScreen(page, 'choose-auth', 30_000);
    for (const language of LANGUAGES) {
      for (const high of [false, true]) {
        await setLanguage(page, language);
        await setHighContrast(page, high);
        await whileTimeStandsStill(page, async () => {
          await page.clock.fastForward('01:31');
          await page.locator('[data-screen="idle"]').waitFor();
        });
        await screenshot(page, `${language}__idle__${high ? 'high-contrast' : 'normal'}`);
        expect(await axeViolations(page), `${language} ${high ? 'high' : 'normal'}`).toEqual([]);
        await press(page, 'idle-continue');
        await page.locator('[data-screen="idle"]').waitFor({ state: 'detached' });
      }
    }
    await setHighContrast(page, false);
  });

  it('shows the manual path when the agent stops answering, in every language and contrast mode', async () => {
    const { page, agent } = kiosk;
    // Independent of how the test before it ended.
    agent.flow.send({ type: 'reset', reason: 'patient' });
    await page.goto(agent.url);
    await waitForScreen(page, 'welcome');
    await agent.close();
    await waitForScreen(page, 'unreachable', 20_000);
    for (const language of LANGUAGES) {
      await setLanguage(page, language);
      for (const high of [false, true]) {
        await setHighContrast(page, high);
        await screenshot(page, `${language}__unreachable__${high ? 'high-contrast' : 'normal'}`);
        expect(await axeViolations(page), `${language} ${high ? 'high' : 'normal'}`).toEqual([]);
      }
      await setHighContrast(page, false);
    }
  });
});
