/**
 * What the agent's HTTP face shows a browser: the strict CSP and helmet's other headers on the kiosk
 * and staff pages, and the mock control endpoint and the demonstration marker only in the demo.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { INSTITUTION_CODE } from '@kiosk/mocks/terminal/fixtures.ts';
import { tempDir } from '../faults/support.ts';

const ui = tempDir('ui');
const share = tempDir('oqs-share');
let mock: RunningAgent;
let oqs: RunningAgent;

/** "a b;c d" → { a: ['b'], c: ['d'] } */
function parseCsp(header: string | null): Record<string, string[]> {
  const directives = (header ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0]);
  return Object.fromEntries(directives.map(([name, ...sources]) => [name!, sources]));
}

beforeAll(async () => {
  // A stand-in for the built UI, so the real static and staff-page routes serve HTML.
  writeFileSync(join(ui.path, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(ui.path, 'staff.html'), '<!doctype html><title>staff</title>');
  mock = await startDemo({ port: 0, dataDir: ':memory:', uiDir: ui.path, logger: silentLogger });
  const folders = Object.fromEntries(['face', 'req', 'res'].map((name) => [name, join(share.path, name)]));
  for (const dir of Object.values(folders)) mkdirSync(dir);
  oqs = await startAgent({
    port: 0,
    driver: 'oqs',
    dataDir: ':memory:',
    uiDir: ui.path,
    logger: silentLogger,
    oqs: { faceDir: folders.face!, reqDir: folders.req!, resDir: folders.res!, institutionCode: INSTITUTION_CODE },
  });
});
afterAll(async () => {
  await mock?.close();
  await oqs?.close();
  ui.remove();
  share.remove();
});

describe('security headers', () => {
  it.each(['/', '/staff'])('%s is served as HTML with the strict CSP and helmet headers', async (path) => {
    const res = await fetch(`${mock.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy');
    expect(parseCsp(csp)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'font-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'self'"],
    });
    expect(csp).not.toMatch(/unsafe-|\*/);
    expect(
      Object.fromEntries(
        [
          'x-content-type-options',
          'x-frame-options',
          'referrer-policy',
          'cross-origin-opener-policy',
          'cross-origin-resource-policy',
          'x-permitted-cross-domain-policies',
        ].map((h) => [h, res.headers.get(h)]),
      ),
    ).toEqual({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'x-permitted-cross-domain-policies': 'none',
    });
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('sends the same CSP on JSON answers and refusals', async () => {
    const page = (await fetch(`${mock.url}/`)).headers.get('content-security-policy');
    expect((await fetch(`${mock.url}/healthz`)).headers.get('content-security-policy')).toBe(page);
    expect((await fetch(`${mock.url}/staff/api/board`)).headers.get('content-security-policy')).toBe(page);
  });
});

describe('/healthz is public: no filesystem path, no reader or folder detail', () => {
  it('with oqs it says the service state only; the folder path is for the CLI and the log', async () => {
    const health = (await (await fetch(`${oqs.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toEqual({
      ok: true,
      driver: 'oqs',
      service: 'ok',
      protocolVersion: expect.any(String),
      readers: [{ driver: 'oqs', state: 'empty' }],
      rulesEdition: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const text = JSON.stringify(health);
    expect(text).not.toContain(share.path);
    expect(text).not.toMatch(/[\\/]face\b/);
  });

  it('the kiosk snapshot carries no folder path either', () => {
    expect(JSON.stringify(oqs.flow.snapshot())).not.toContain(share.path);
  });
});

describe('the demonstration and a clinic driver', () => {
  it('the demo has the mock control endpoint and says it is a demonstration', async () => {
    const list = await fetch(`${mock.url}/mock/scenarios`);
    expect(list.status).toBe(200);
    await list.arrayBuffer();
    expect(await (await fetch(`${mock.url}/healthz`)).json()).toMatchObject({ ok: true, driver: 'mock', demo: true });
    expect(mock.flow.snapshot().demo).toBe(true);
  });

  it('the oqs driver is no demonstration: no marker, and the endpoint answers 404 for reads and for plays', async () => {
    const health = (await (await fetch(`${oqs.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, driver: 'oqs' });
    expect(health).not.toHaveProperty('demo');
    expect(oqs.flow.snapshot()).not.toHaveProperty('demo');
    const list = await fetch(`${oqs.url}/mock/scenarios`);
    const play = await fetch(`${oqs.url}/mock/scenario`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'pin-success' }),
    });
    expect([list.status, play.status]).toEqual([404, 404]);
    expect(await play.text()).not.toContain('pin-success');
  });
});
