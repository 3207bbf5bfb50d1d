import { openKiosk, playScenario, press, waitForScreen } from './support/kiosk.ts';
const k = await openKiosk();
const p = k.page;
await p.goto(k.agent.url);
await waitForScreen(p, 'welcome');
await p.screenshot({ path: '/tmp/look-welcome.png' });
await press(p, 'language-ja-easy');
await p.screenshot({ path: '/tmp/look-welcome-easy.png' });
await press(p, 'language-ja');
await playScenario(k.agent, 'pin-success');
await p.waitForSelector('main [data-screen="choose-auth"], main [data-screen="staff"]', { timeout: 120000 });
await p.screenshot({ path: '/tmp/look-2.png' });
if (await p.locator('[data-action="auth-pin"]').count()) { await press(p, 'auth-pin'); await waitForScreen(p, 'pin'); await p.locator('[data-key="1"]').click(); await p.locator('[data-key="2"]').click(); await p.screenshot({ path: '/tmp/look-pin.png' }); }
await k.close(); process.exit(0);
