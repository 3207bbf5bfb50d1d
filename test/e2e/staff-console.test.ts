/**
 * The staff console in Chromium, as a front desk meets it: signed in, with a board the mock kiosk filled
 * (check-ins, a patient on the manual path, a locked PIN, a 目視 request arriving while the desk watches),
 * in Japanese first and in English; axe (WCAG 2.2 AA) finds nothing; one alert is answered with the
 * keyboard alone; screenshots of each view go to test/artifacts/screenshots.
 * The browser runs in a zone other than Japan's: every time on screen must still be Japan time.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StaffBoard } from '@kiosk/protocol';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { testCaCertificatePem } from '@kiosk/mocks/card/index.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { BOARD_WAIT, StaffClient, STAFF_PASSWORD, STAFF_USER } from '../support/staff-harness.ts';
import { axeViolations, chromiumAvailable, CHROMIUM, SCREENSHOTS } from './support/kiosk.ts';

const enabled = chromiumAvailable();

/** Japan time of an instant, as the console must print it whatever the browser's zone. */
const japanHHmm = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `staff-console__${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Tab (never the mouse) until the focused element matches, as a clerk would; fails past `limit` presses. */
async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} not reached with ${limit} Tab presses`);
}

describe.skipIf(!enabled)('the staff console in the browser', () => {
  let agent: RunningAgent;
  let kiosk: TestKiosk;
  let staff: StaffClient;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  const board = async (): Promise<StaffBoard> => ((await (await staff.get('/staff/api/board')).json()) as { data: StaffBoard }).data;
  /** One patient at the kiosk, from welcome back to welcome. */
  const patient = async (scenario: string, play: () => Promise<unknown>) => {
    await kiosk.step('welcome');
    await playScenario(agent.url, scenario);
    await play();
    await kiosk.command({ type: 'reset', reason: 'patient' });
    await playScenario(agent.url, 'remove-card');
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'staff-e2e-'));
    agent = await startDemo({ port: 0, dataDir, logger: silentLogger, trustPems: [await testCaCertificatePem()] });
    await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, new Date());
    staff = await StaffClient.login(agent.url);
    kiosk = await TestKiosk.connect(agent.url);

    // Two check-ins, a new patient (who gets a patient number), a patient who chose documents, a locked PIN.
    await patient('pin-success', () => drive(kiosk, { auth: 'pin' }));
    await patient('face-success', () => drive(kiosk, { auth: 'face' }));
    await patient('new-patient', () => drive(kiosk, { auth: 'pin' }));
    await patient('pin-success', async () => {
      await kiosk.step('choose-auth');
      await kiosk.command({ type: 'manual-path' });
      await kiosk.step('fallback');
      await kiosk.command({ type: 'fallback-documents', documents: ['shikaku_kakuninsho', 'shikaku_joho_oshirase'] });
      await kiosk.waitFor((s) => s.fallback?.decision !== undefined);
    });
    await patient('pin-locked', () => drive(kiosk, { auth: 'pin', until: ['staff'] }));
    await vi.waitFor(async () => expect((await board()).alerts.map((a) => a.kind).sort()).toEqual(['fallback-documents', 'pin-blocked']), BOARD_WAIT);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--lang=ja'] });
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      deviceScaleFactor: 1,
      locale: 'ja-JP',
      // Not Japan: the desk PC's zone must not move any time on the console.
      timezoneId: 'America/Los_Angeles',
    });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
  });

  afterAll(async () => {
    await browser?.close();
    kiosk?.close();
    await agent?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in, in Japanese first, on a styled page axe finds nothing on', async () => {
    await page.goto(`${agent.url}/staff/`);
    await page.getByLabel('ユーザー名').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    await shot(page, 'ja__sign-in');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('ユーザー名').fill(STAFF_USER);
    await page.getByLabel('パスワード').fill('wrong password');
    await page.getByRole('button', { name: 'サインイン' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('ユーザー名かパスワードが違います');

    await page.getByLabel('パスワード').fill(STAFF_PASSWORD);
    await page.getByLabel('パスワード').press('Enter');
    await page.getByRole('heading', { name: /対応が必要/ }).waitFor();
  });

  it('shows the queue in words, Japan times, the documents chosen on the kiosk and the patient number', async () => {
    const data = await board();
    const rows = page.locator('table.sc-queue tbody tr');
    await expect.poll(() => rows.count()).toBe(data.queue.length);
    const text = (await page.locator('table.sc-queue').innerText()).replace(/\s+/g, ' ');
    for (const word of [
      '受付済み',
      '暗証番号',
      '顔認証',
      '有効',
      '書類で受付',
      '資格確認書',
      '資格情報のお知らせ',
      '係員対応',
      '暗証番号がロックされています',
      '新患',
    ]) {
      expect(text, word).toContain(word);
    }
    for (const code of ['completed', 'fallback', 'pin-blocked', 'shikaku_kakuninsho', 'new-patient', 'valid']) expect(text).not.toContain(code);
    for (const entry of data.queue) expect(text).toContain(japanHHmm(entry.startedAt));
    const patientNumber = data.queue.find((q) => q.patientNumber)?.patientNumber;
    expect(patientNumber).toBeDefined();
    expect(text).toContain(patientNumber);
    // No session id on screen, only the four-character references.
    const body = await page.locator('body').innerText();
    for (const entry of data.queue) expect(body).not.toContain(entry.sessionId.slice(0, 8));
  });

  it('announces a patient who needs a person now, puts them first, and axe finds nothing (ja, en)', async () => {
    // A face that fails, then 目視: the patient stands at the kiosk while the desk watches the console.
    await kiosk.step('welcome');
    await playScenario(agent.url, 'face-failed');
    await kiosk.step('choose-auth');
    await kiosk.command({ type: 'choose-auth', method: 'face' });
    await kiosk.waitFor((s) => s.step === 'choose-auth' && kiosk.snapshots.some((seen) => seen.step === 'face'));
    await kiosk.command({ type: 'choose-auth', method: 'visual' });
    await kiosk.step('visual-check');

    const first = page.locator('ol.sc-alerts > li').first();
    await expect.poll(() => first.getAttribute('data-kind')).toBe('visual-check');
    expect(await first.getAttribute('class')).toContain('sc-alert--fresh');
    expect(await first.innerText()).toContain('受付機の前でお待ちです');
    await expect.poll(() => page.getByTestId('announcer').textContent()).toContain('目視確認の依頼');
    // Exactly what the agent accepts while the kiosk waits for the 目視 answer.
    expect(await first.locator('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action')))).toEqual([
      'approve-visual',
      'decline-visual',
      'take-over',
      'dismiss',
    ]);

    await shot(page, 'ja__board');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: /Needs a person/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await shot(page, 'en__board');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('heading', { name: /対応が必要/ }).waitFor();

    // A smaller desk monitor: the same board, nothing cut off sideways.
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await shot(page, 'ja__board-1366x768');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  it('opens the desk entry from the manual-path alert with the documents the patient chose (ja, en)', async () => {
    const card = page.locator('li[data-kind="fallback-documents"]');
    await card.locator('[data-action="desk-entry"]').click();
    const dialog = page.getByTestId('desk-entry');
    await dialog.waitFor();
    expect(await dialog.getByLabel('資格確認書', { exact: true }).isChecked()).toBe(true);
    expect(await dialog.getByLabel('資格情報のお知らせ').isChecked()).toBe(true);
    await expect.poll(() => dialog.getByTestId('desk-result').innerText()).toContain('判定');
    await shot(page, 'ja__desk-entry');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Back where the clerk was.
    await expect
      .poll(() =>
        page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-kind') + ' ' + document.activeElement?.getAttribute('data-action')),
      )
      .toBe('fallback-documents desk-entry');
  });

  it('answers the 目視 alert with the keyboard alone, with the focus visible', async () => {
    const sessionId = kiosk.latest!.sessionId;
    await page.locator('body').focus();
    await tabTo(page, 'li[data-kind="visual-check"] [data-action="approve-visual"]');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(ring).not.toBe('none');
    await shot(page, 'ja__keyboard-focus');
    await page.keyboard.press('Enter');
    // The kiosk goes on with the check-in; the alert leaves the console.
    await kiosk.waitFor((s) => s.sessionId === sessionId && s.step !== 'visual-check');
    await page.locator('li[data-kind="visual-check"]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('alerts-h');
  });
});
