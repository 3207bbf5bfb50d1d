/**
 * A patient screen on another PC, as the display unit opens it: the page the agent serves over HTTPS at
 * `https://AGENT/#device=TOKEN`. It presents the token on the kiosk socket (the agent refuses a kiosk
 * from another machine without one) and takes it out of the address bar; without it the patient sees
 * the manual path, not a dead screen. The agent binds this machine's non-loopback address, so Chromium's
 * handshake comes from a non-loopback address like a remote kiosk's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createDeviceTokens } from '@kiosk/agent/security/device-tokens.ts';
import { openDatabase } from '@kiosk/agent/storage/db.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { nonLoopbackAddress, selfSignedCertificate } from '../support/tls.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable, waitForScreen } from './support/kiosk.ts';

const address = nonLoopbackAddress();
if (!address && process.env.CI === 'true') throw new Error('remote kiosk (browser): CI=true and this machine has no non-loopback IPv4 address');
if (!address) console.warn('[e2e] SKIPPED remote kiosk: this machine has no non-loopback IPv4 address to bind');
const enabled = chromiumAvailable() && address !== undefined;

const data = mkdtempSync(join(tmpdir(), 'kiosk-e2e-remote-'));
let agent: RunningAgent;
let browser: Browser;
let token: string;

beforeAll(async () => {
  if (!enabled) return;
  const pem = selfSignedCertificate(address!);
  writeFileSync(join(data, 'cert.pem'), pem.cert);
  writeFileSync(join(data, 'key.pem'), pem.key);
  const db = openDatabase(join(data, 'kiosk.sqlite'));
  const registered = createDeviceTokens(db).register('kiosk-2f', new Date());
  db.close();
  if (!registered.ok) throw new Error(registered.error.message);
  token = registered.value;
  agent = await startDemo({
    host: address!,
    port: 0,
    dataDir: data,
    logger: silentLogger,
    tls: { certPath: join(data, 'cert.pem'), keyPath: join(data, 'key.pem') },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await agent?.close();
  rmSync(data, { recursive: true, force: true });
});

describe.skipIf(!enabled)('a kiosk on another PC (HTTPS, device token in the URL fragment)', () => {
  async function open(url: string) {
    // The clinic's own certificate is not in this test browser's store.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1920, height: 1080 }, locale: 'ja-JP' });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(url);
    return { page, close: () => context.close() };
  }

  it('with its token: the welcome screen, and the token no longer in the address', async () => {
    const { page, close } = await open(`${agent.url}/#device=${token}`);
    await waitForScreen(page, 'welcome');
    expect(page.url()).toBe(`${agent.url}/`);
    await page.reload();
    await waitForScreen(page, 'welcome'); // kept for the tab: a reload still connects
    await close();
  });

  it('without a token: refused by the agent, the patient sees the manual path', async () => {
    const { page, close } = await open(`${agent.url}/`);
    await waitForScreen(page, 'unreachable', 30_000);
    await close();
  });
});
