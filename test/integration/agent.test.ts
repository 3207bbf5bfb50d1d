import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, PROTOCOL_VERSION } from '@kiosk/protocol';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive, TEST_PIN } from '../support/drive.ts';

let agent: RunningAgent;
let kiosk: TestKiosk;

beforeAll(async () => {
  agent = await startDemo({ port: 0, dataDir: ':memory:', logger: silentLogger });
});
afterAll(async () => {
  await agent?.close();
});
beforeEach(async (context) => {
  kiosk = await TestKiosk.connect(agent.url);
  context.onTestFinished(async () => {
    await kiosk.command({ type: 'reset', reason: 'patient' });
    await playScenario(agent.url, 'remove-card');
    await kiosk.step('welcome');
    kiosk.close();
  });
});

describe('agent on the mock reader', () => {
  it('reports health with driver, protocol version and readers', async () => {
    const health = (await (await fetch(`${agent.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, driver: 'mock', protocolVersion: PROTOCOL_VERSION });
    expect(health.readers).toEqual([{ driver: 'mock', state: expect.any(String) }]);
  });

  it('sends the full snapshot at once to a client that connects', async () => {
    const late = await TestKiosk.connect(agent.url, false);
    const first = await late.waitFor(() => true);
    expect(first.step).toBe('welcome');
    late.close();
  });

  it('walks the PIN scenario to a queue number', async () => {
    await playScenario(agent.url, 'pin-success');
    const steps = await drive(kiosk, { auth: 'pin' });
    expect(steps).toContain('choose-auth');
    expect(steps).toContain('pin');
    expect(kiosk.latest?.queueNumber).toBeGreaterThan(0);
    expect(kiosk.events.map((e) => e.type)).toEqual(expect.arrayContaining(['session-started', 'card-read', 'authentication', 'eligibility', 'completed']));
  });

  it('walks the face scenario to a queue number', async () => {
    await playScenario(agent.url, 'face-success');
    const steps = await drive(kiosk, { auth: 'face' });
    expect(steps).not.toContain('pin');
    expect(kiosk.latest?.step).toBe('completed');
    expect(kiosk.events).toContainEqual(expect.objectContaining({ type: 'authentication', method: 'face', outcome: 'success' }));
  });

  it('counts a wrong PIN, then accepts the right one; the PIN never leaves the agent', async () => {
    await playScenario(agent.url, 'wrong-pin-then-success');
    await drive(kiosk, { auth: 'pin', pins: ['0000', TEST_PIN] });
    expect(kiosk.latest?.step).toBe('completed');
    expect(kiosk.events).toContainEqual(expect.objectContaining({ type: 'authentication', outcome: 'failure', pinTriesLeft: 2 }));
    const wire = JSON.stringify([kiosk.snapshots, kiosk.events]);
    expect(wire).not.toContain(TEST_PIN);
    expect(wire).not.toContain('0000');
  });

  it('routes a locked card to staff without asking for a PIN', async () => {
    await playScenario(agent.url, 'pin-locked');
    const steps = await drive(kiosk, { auth: 'pin', until: ['staff', 'completed'] });
    expect(steps).not.toContain('pin');
    expect(kiosk.latest?.staff?.reason).toBe('pin-blocked');
  });

  it('refuses a command from a screen still showing an ended session; the current session goes on', async () => {
    await playScenario(agent.url, 'pin-success');
    const first = (await kiosk.step('choose-auth')).sessionId;
    await playScenario(agent.url, 'remove-card');
    await kiosk.step('welcome');
    await playScenario(agent.url, 'pin-success');
    const current = await kiosk.waitFor((s) => s.step === 'choose-auth' && s.sessionId !== first);
    const stale = await kiosk.command({ type: 'choose-auth', method: 'pin', sessionId: first });
    expect(stale).toMatchObject({ ok: false, error: { code: 'INPUT_STALE_SESSION', retriable: false } });
    expect((await kiosk.command({ type: 'choose-auth', method: 'pin', sessionId: current.sessionId })).ok).toBe(true);
    expect((await kiosk.step('pin')).sessionId).toBe(current.sessionId);
  });

  it('switches to the manual path when no reader is connected', async () => {
    await playScenario(agent.url, 'no-reader');
    const snap = await kiosk.waitFor((s) => s.reader.readers.length === 0);
    expect(snap.reader.service).toBe('ok');
    await kiosk.command({ type: 'manual-path' });
    await kiosk.step('fallback');
    await playScenario(agent.url, 'plug-reader');
  });
});

describe('malformed input', () => {
  const garbage: unknown[] = [
    null,
    42,
    'text',
    [],
    {},
    { type: 'nope' },
    { type: 'submit-pin', pin: '12' },
    { type: 'submit-pin', pin: 1234 },
    { type: 'set-language', language: 'fr' },
    { type: 'consent', items: { x: true } },
    { __proto__: { type: 'start' } },
    'x'.repeat(10_000),
  ];

  it('answers every malformed command with INPUT_INVALID and keeps serving', async () => {
    for (const payload of garbage) {
      const reply = await kiosk.emit('flow:command', payload);
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code).toBe('INPUT_INVALID');
        expect(ERROR_CODES).toContain(reply.error.code);
      }
    }
    expect((await fetch(`${agent.url}/healthz`)).ok).toBe(true);
    expect((await kiosk.command({ type: 'set-language', language: 'en' })).ok).toBe(true);
    expect((await kiosk.waitFor((s) => s.language === 'en')).language).toBe('en');
  });

  it('refuses a session command that does not name its session; set-language and call-staff need none', async () => {
    const unnamed = await kiosk.emit('flow:command', { type: 'start' });
    expect(unnamed).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(JSON.stringify(unnamed)).toContain('sessionId');
    expect((await kiosk.emit('flow:command', { type: 'set-language', language: 'ja' })).ok).toBe(true);
  });

  it('does not lose the session in progress when garbage arrives mid-check-in', async () => {
    await playScenario(agent.url, 'pin-success');
    const atAuth = await drive(kiosk, { auth: 'pin', until: ['choose-auth'] });
    expect(atAuth).toContain('choose-auth');
    const session = kiosk.latest?.sessionId;
    for (const payload of garbage) await kiosk.emit('flow:command', payload);
    await kiosk.emit('no-such-event' as 'hello', { x: 1 });
    expect(kiosk.latest?.sessionId).toBe(session);
    expect(kiosk.latest?.step).toBe('choose-auth');
    await drive(kiosk, { auth: 'pin' });
    expect(kiosk.latest?.step).toBe('completed');
  });

  it('refuses commands before hello, and a client of another major version', async () => {
    const anonymous = await TestKiosk.connect(agent.url, false);
    const before = await anonymous.command({ type: 'start' });
    expect(before).toMatchObject({ ok: false, error: { code: 'TRANSPORT_HELLO_REQUIRED' } });
    const mismatch = await anonymous.emit('hello', { protocolVersion: '2.0.0', role: 'kiosk' });
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'TRANSPORT_VERSION_MISMATCH', retriable: false } });
    anonymous.close();
  });

  it('answers a malformed HTTP body with a typed error', async () => {
    const response = await fetch(`${agent.url}/mock/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });
});
