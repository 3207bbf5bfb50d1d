import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { Language } from '@kiosk/protocol';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { testCaCertificatePem } from '@kiosk/mocks/card/index.ts';

export const CHROMIUM = '/usr/bin/chromium';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS = join(REPO, 'test/artifacts/screenshots');
const UI_DIST = join(REPO, 'kiosk-ui/dist/index.html');

/**
 * Whether the e2e suite can run here. Without Chromium it is skipped loudly on a developer machine
 * and fails under CI=true, where a missing browser is a broken install, not a reason to pass.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`e2e: ${CHROMIUM} is missing (apt-get install chromium)`);
  console.warn(`\n*** e2e SKIPPED: ${CHROMIUM} not found. Install Debian's chromium to run the kiosk UI tests. ***\n`);
  return false;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Kiosk {
  agent: RunningAgent;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** One agent (mock driver, throw-away data dir) and one browser (fresh profile) per test file. */
export async function openKiosk(): Promise<Kiosk> {
  if (!existsSync(UI_DIST)) throw new Error('kiosk-ui/dist is missing: run `npm run build -w @kiosk/kiosk-ui` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-data-'));
  const profile = mkdtempSync(join(tmpdir(), 'kiosk-e2e-profile-'));
  // The mock cards are issued by the mocks' test CA, which a real clinic PC never trusts.
  const agent = await startDemo({ port: 0, dataDir, trustPems: [await testCaCertificatePem()] });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1920, height: 1080 },
    deviceScaleFactor: 1,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // A clock the tests can hold still (see holdingTime); until then it runs at the real pace.
  await page.clock.install();
  // Generous: a loaded 2-core CI runner can take many seconds for a first paint.
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(90_000);
  return {
    agent,
    context,
    page,
    async close() {
      await context.close();
      await agent.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function scenarioNames(agent: RunningAgent): Promise<string[]> {
  const response = await fetch(`${agent.url}/mock/scenarios`);
  const body = (await response.json()) as { scenarios: { name: string }[] };
  return body.scenarios.map((scenario) => scenario.name);
}

export async function playScenario(agent: RunningAgent, scenario: string): Promise<void> {
  const response = await fetch(`${agent.url}/mock/scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario }),
  });
  if (!response.ok) throw new Error(`scenario ${scenario}: HTTP ${response.status} ${await response.text()}`);
}

export async function waitForScreen(page: Page, screen: string, timeout = 60_000): Promise<void> {
  try {
    await page.locator(`main [data-screen="${screen}"]`).waitFor({ timeout });
  } catch (error) {
    // Say what the patient saw instead, so a failure in CI can be read without a trace.
    const seen = await page
      .evaluate(() => {
        const main = document.querySelector('main');
        return main
          ? `${main.getAttribute('data-status')} ${main.querySelector('[data-screen]')?.getAttribute('data-screen')}`
          : document.body.innerHTML.slice(0, 200);
      })
      .catch((cause: unknown) => String(cause));
    throw new Error(`screen "${screen}" not shown within ${timeout} ms; the page shows: ${seen}`, { cause: error });
  }
}

export async function press(page: Page, action: string): Promise<void> {
  await page.locator(`[data-action="${action}"]`).click();
}

export async function setLanguage(page: Page, language: Language): Promise<void> {
  await press(page, `language-${language}`);
  const expected = language === 'en' ? 'en' : 'ja';
  await page.waitForFunction((lang) => document.documentElement.lang === lang, expected);
}

async function setPref(page: Page, pref: 'highContrast' | 'largeText', on: boolean): Promise<void> {
  const button = page.locator(`[data-action="pref-${pref}"]`);
  if (((await button.getAttribute('aria-pressed')) === 'true') !== on) await button.click();
}

export const setHighContrast = (page: Page, on: boolean) => setPref(page, 'highContrast', on);
export const setLargeText = (page: Page, on: boolean) => setPref(page, 'largeText', on);

/**
 * JPEG: a full-HD PNG took about a second to encode here, ten times a JPEG, and the suite takes hundreds.
 * KIOSK_SCREENSHOTS=png for screenshots to look at with tools that read PNG only.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (process.env.KIOSK_SCREENSHOTS === 'png') await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), type: 'png' });
  else await page.screenshot({ path: join(SCREENSHOTS, `${name}.jpg`), type: 'jpeg', quality: 90 });
}

/**
 * Pauses the page's clock a second ahead of the time it shows: Playwright pauses only at a given time
 * and refuses one in the page's past. Now and then (twice in a dozen runs here) the page's clock had
 * moved on by more than that second before the pause reached it; a fresh reading is taken then.
 */
async function pauseClock(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const shown = await page.evaluate(() => Date.now());
    try {
      await page.clock.pauseAt(shown + 1000);
      return;
    } catch (error) {
      if (attempt === 3 || !String(error).includes('fast-forward to the past')) throw error;
    }
  }
}

/**
 * Runs `jumps` with the page's clock standing still but for the fast-forwards they make, so a boundary
 * holds however slow the runner is; the clock runs at the real pace again afterwards.
 */
export async function whileTimeStandsStill(page: Page, jumps: () => Promise<void>): Promise<void> {
  await pauseClock(page);
  try {
    await jumps();
  } finally {
    await page.clock.resume();
  }
}

/**
 * Runs `action` while the paused page clock advances a millisecond at a time until it is done: axe,
 * screenshots and clicks wait on timers and animation frames, which a paused clock never gives.
 */
export async function withClockTicking(page: Page, action: () => Promise<void>): Promise<void> {
  let done = false;
  const running = action().finally(() => {
    done = true;
  });
  running.catch(() => {}); // awaited below, once the clock has stopped ticking
  while (!done) await page.clock.runFor(1);
  await running;
}

/**
 * Runs the checks of a screen with the page's time held back to the little they need, so a screen that
 * counts down (the idle warning, the completed screen, reconnecting) is still the one checked at the
 * end, however slow the runner: on a loaded 2-core CI machine the 30 s idle warning once ran out
 * before its screenshot and axe were done.
 */
export async function holdingTime(page: Page, checks: () => Promise<void>): Promise<void> {
  await whileTimeStandsStill(page, () => withClockTicking(page, checks));
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

/** axe-core's own source (half a megabyte), put into the page once per page load. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe violations as short strings (rule id and the first offending selectors), for readable failures. */
export async function axeViolations(page: Page): Promise<string[]> {
  // AxeBuilder evaluates axe's source twice on every run unless given its own: on a 2-core runner that
  // was most of the browser suite's time. The kiosk is one page, so axe goes in once and stays.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  // Legacy mode runs axe in the page itself instead of opening a helper page per run; it only gives up
  // cross-origin frames, and the kiosk has none. Only violations are wanted back.
  const result = await new AxeBuilder({ page, axeSource: 'void 0' })
    .withTags(AXE_TAGS)
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  return result.violations.map(
    (v) =>
      `${v.id}: ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  );
}
