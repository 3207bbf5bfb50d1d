import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '@kiosk/protocol';
import { FakePort, snapshot } from '../test/fakes.ts';
import { HELLO_RETRY_MS, KioskConnection } from './connection.ts';

const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => undefined);

describe('KioskConnection', () => {
  let port: FakePort;
  let connection: KioskConnection;
  beforeEach(() => {
    vi.useFakeTimers();
    port = new FakePort();
    connection = new KioskConnection(port, { ackTimeoutMs: 3000 });
  });
  afterEach(() => {
    connection.stop();
    vi.useRealTimers();
  });

  it('connects only when started and says hello on every connect', async () => {
    expect(port.connectCalls).toBe(0);
    connection.start();
    expect(port.connectCalls).toBe(1);
    port.open();
    await flush();
    port.close();
    port.open();
    await flush();
    const hellos = port.requests.filter((r) => r.event === 'hello').map((r) => r.payload);
    expect(hellos).toEqual([
      { protocolVersion: PROTOCOL_VERSION, role: 'kiosk', client: 'kiosk-ui' },
      { protocolVersion: PROTOCOL_VERSION, role: 'kiosk', client: 'kiosk-ui' },
    ]);
    expect(connection.getState().status).toBe('online');
  });

  it('ignores invalid snapshots and snapshots older than the one shown', async () => {
    connection.start();
    port.open();
    await flush();
    const newer = snapshot('pin');
    const older = { ...snapshot('result'), seq: newer.seq - 1 };
    port.push(newer);
    port.push(older);
    port.push({ ...snapshot('result'), step: 'no-such-step' });
    port.push({ seq: 'x' });
    expect(connection.getState().snapshot).toEqual(newer);
  });

  it('accepts a restarted agent counting from zero again after reconnecting', async () => {
    connection.start();
    port.open();
    await flush();
    port.push(snapshot('pin', { seq: 50 }));
    port.close();
    expect(connection.getState()).toMatchObject({ status: 'reconnecting', snapshot: null });
    port.open();
    await flush();
    port.push(snapshot('welcome', { seq: 1 }));
    expect(connection.getState()).toMatchObject({ status: 'online', snapshot: { seq: 1, step: 'welcome' } });
  });

  it('falls back to the manual path when the agent does not answer within the timeout', () => {
    connection.start();
    vi.advanceTimersByTime(2999);
    expect(connection.getState().status).toBe('connecting');
    vi.advanceTimersByTime(1);
    expect(connection.getState().status).toBe('unreachable');
  });

  it('falls back to the manual path when a reconnect takes longer than the timeout', async () => {
    connection.start();
    port.open();
    await flush();
    port.close();
    vi.advanceTimersByTime(3000);
    expect(connection.getState().status).toBe('unreachable');
    port.open();
    await flush();
    expect(connection.getState().status).toBe('online');
  });

  it('says hello again while unreachable over a live link, and comes back when the agent answers', async () => {
    port.reply = () => new Error('no ack in time');
    connection.start();
    port.open();
    await flush();
    expect(connection.getState().status).toBe('unreachable');
    port.reply = () => ({ ok: true });
    vi.advanceTimersByTime(HELLO_RETRY_MS);
    await flush();
    expect(port.requests.filter((r) => r.event === 'hello')).toHaveLength(2);
    port.push(snapshot('welcome'));
    expect(connection.getState()).toMatchObject({ status: 'online', snapshot: { step: 'welcome' } });
  });

  it('shows the snapshot the agent repeats after a hello answered only after the deadline', async () => {
    // A loaded kiosk PC: the connect-time snapshot arrives, the deadline passes, then the hello ack.
    let answerHello: (reply: unknown) => void = () => {};
    port.reply = (event) => (event === 'hello' ? new Promise((resolve) => (answerHello = resolve)) : { ok: true });
    connection.start();
    port.open();
    const welcome = snapshot('welcome');
    port.push(welcome);
    vi.advanceTimersByTime(3000);
    expect(connection.getState()).toMatchObject({ status: 'unreachable', snapshot: null });
    answerHello({ ok: true });
    await flush();
    port.push(welcome);
    expect(connection.getState()).toMatchObject({ status: 'online', snapshot: { step: 'welcome' } });
  });

  it('leaves a dropped link to say hello on reconnect, not on the retry timer', async () => {
    connection.start();
    port.open();
    await flush();
    port.close();
    vi.advanceTimersByTime(3000 + HELLO_RETRY_MS * 3);
    await flush();
    expect(connection.getState().status).toBe('unreachable');
    expect(port.requests.filter((r) => r.event === 'hello')).toHaveLength(1);
  });

  it('treats a missing command ack as unreachable and drops the screen data', async () => {
    connection.start();
    port.open();
    await flush();
    port.push(snapshot('result', { patient: { maskedName: '山田 *', birthYearPrefix: '19', isNewPatient: false } }));
    port.reply = () => new Error('operation has timed out');
    expect(await connection.send({ type: 'continue' })).toBeNull();
    expect(connection.getState()).toMatchObject({ status: 'unreachable', snapshot: null });
    port.push(snapshot('result'));
    expect(connection.getState().status).toBe('online');
  });

  it('reports an agent with another protocol major version as incompatible', async () => {
    port.reply = (event) => (event === 'hello' ? { ok: false, error: { code: 'TRANSPORT_VERSION_MISMATCH', message: 'x', retriable: false } } : { ok: true });
    connection.start();
    port.open();
    await flush();
    expect(connection.getState().status).toBe('incompatible');
  });

  it('clears the patient data at once when the UI ends the session, keeping the language', async () => {
    connection.start();
    port.open();
    await flush();
    const shown = snapshot('result', { language: 'en', patient: { maskedName: '山田 *', birthYearPrefix: '19', isNewPatient: false }, queueNumber: 7 });
    port.push(shown);
    connection.clearSession();
    const cleared = connection.getState().snapshot;
    expect(cleared).toMatchObject({ step: 'welcome', sessionId: null, language: 'en' });
    expect(JSON.stringify(cleared)).not.toContain('山田');
    expect(cleared).not.toHaveProperty('queueNumber');
    // The agent's next snapshot still wins.
    port.push(snapshot('welcome', { seq: shown.seq + 1 }));
    expect(connection.getState().snapshot?.seq).toBe(shown.seq + 1);
  });

  it('names the session its screen shows in every command, through a dropped link, until the UI ends it', async () => {
    connection.start();
    port.open();
    await flush();
    await connection.send({ type: 'start' });
    port.push(snapshot('pin'));
    await connection.send({ type: 'submit-pin', pin: '1234' });
    // A dropped link hides the screen but the same patient still stands there (an idle reset comes now).
    port.close();
    await connection.send({ type: 'reset', reason: 'idle' });
    connection.clearSession();
    await connection.send({ type: 'start' });
    expect(port.sessionsNamed().map(({ sessionId }) => sessionId)).toEqual([null, 'session-1', 'session-1', null]);
  });

  it('switches language locally and tells the agent', async () => {
    connection.start();
    port.open();
    await flush();
    connection.setLanguage('ja-easy');
    expect(connection.getState().language).toBe('ja-easy');
    expect(port.commands()).toEqual([{ type: 'set-language', language: 'ja-easy' }]);
  });
});
