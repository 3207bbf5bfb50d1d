import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '@kiosk/protocol';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { createLogger, type Logger } from '@kiosk/agent/logger.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import { drive, TEST_PIN } from '../support/drive.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { connected, StaffClient, STAFF_PASSWORD, STAFF_USER } from '../support/staff-harness.ts';

/**
 * The PIN travels once, from the kiosk to the card, and must not be found anywhere afterwards: not in
 * a log line, a snapshot, an event, an error acknowledgement, the staff board or export, nor in the
 * raw bytes of the SQLite files. The mock card's PIN is always 1234, which can also be a port or a
 * time fragment, so it is searched only where it cannot collide (a JSON string, a standalone token in
 * the database, its APDU hex); the wrong PINs typed here are distinctive and searched everywhere.
 */
const WRONG_PIN = '9731';
const LAST_TRY_PIN = '8642';
const PIN_AT_WRONG_STEP = '5079';
const DISTINCTIVE = [WRONG_PIN, LAST_TRY_PIN, PIN_AT_WRONG_STEP];

/** The shapes a PIN takes on its way to the card: digits, the VERIFY data as hex, the bytes as a list. */
function encodings(pin: string): RegExp[] {
  const bytes = [...pin].map((c) => c.charCodeAt(0));
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return [new RegExp(`(?<![0-9A-Za-z])${pin}(?![0-9A-Za-z])`), new RegExp(hex, 'i'), new RegExp(bytes.join(',\\s*'))];
}

/** For the card PIN in JSON text: only as a string value, plus the encodings that cannot collide. */
function cardPinInJson(pin: string): RegExp[] {
  const [, hex, list] = encodings(pin);
  return [new RegExp(`"${pin}"`), hex!, list!];
}

function findPins(text: string, patterns: RegExp[]): string[] {
  return patterns.filter((p) => p.test(text)).map((p) => p.source);
}

const jsonPatterns = [...DISTINCTIVE.flatMap(encodings), ...cardPinInJson(TEST_PIN)];
const bytePatterns = [...DISTINCTIVE, TEST_PIN].flatMap(encodings);

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } }), lines };
}

describe('the PIN search itself', () => {
  it('finds a PIN logged once under any field name the redaction does not know, and in APDU hex', () => {
    const { logger, lines } = capturingLogger();
    logger.info({ event: 'probe', pin: WRONG_PIN }, 'redacted field');
    expect(findPins(lines.join('\n'), jsonPatterns)).toEqual([]);
    logger.info({ event: 'probe', entered: TEST_PIN }, 'leak');
    logger.debug({ apdu: '0020008004' + '39373331' }, 'verify');
    expect(findPins(lines.join('\n'), jsonPatterns)).toEqual(expect.arrayContaining(['"1234"', '39373331']));
    expect(findPins('{"port":41234,"ms":97312}', jsonPatterns)).toEqual([]);
  });
});

describe('PIN privacy on the running agent', () => {
  let agent: RunningAgent;
  let dataDir: string;
  let kiosk: TestKiosk;
  let staffSocket: ReturnType<StaffClient['socket']>;
  const { logger, lines } = capturingLogger();
  const received: Array<{ event: string; args: unknown[] }> = [];
  const acks: Array<Ack<unknown>> = [];
  const boards: unknown[] = [];
  let staffBoardText = '';
  let exportText = '';
  const dbFiles = () =>
    readdirSync(dataDir)
      .filter((f) => f.startsWith('kiosk.sqlite'))
      .map((f) => join(dataDir, f));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiosk-pin-privacy-'));
    agent = await startDemo({ port: 0, dataDir, logger, retentionDays: 0 });
    await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, new Date());
    const staff = await StaffClient.login(agent.url);
    staffSocket = staff.socket();
    staffSocket.on('staff:board', (b: unknown) => boards.push(b));
    await connected(staffSocket);

    kiosk = await TestKiosk.connect(agent.url);
    kiosk.socket.onAny((event: string, ...args: unknown[]) => received.push({ event, args }));
    // Every acknowledgement (error acks included) is kept for the search.
    const emit = kiosk.emit.bind(kiosk);
    kiosk.emit = async (event, payload) => {
      const reply = await emit(event, payload);
      acks.push(reply);
      return reply;
    };

    const play = async (scenario: string, run: () => Promise<void>) => {
      await playScenario(agent.url, scenario);
      await run();
      await kiosk.command({ type: 'reset', reason: 'patient' });
      await playScenario(agent.url, 'remove-card');
      await kiosk.step('welcome');
    };
    await play('pin-success', async () => {
      await drive(kiosk, { auth: 'pin', pins: [TEST_PIN] });
    });
    await play('wrong-pin-then-success', async () => {
      await drive(kiosk, { auth: 'pin', pins: [WRONG_PIN, TEST_PIN] });
    });
    await play('pin-last-try', async () => {
      // The kiosk warns before the last try and asks for the PIN again: the same wrong PIN locks the card.
      await drive(kiosk, { auth: 'pin', pins: [LAST_TRY_PIN, LAST_TRY_PIN], until: ['staff', 'completed'] });
    });
    await play('pin-locked', async () => {
      await drive(kiosk, { auth: 'pin', until: ['staff', 'completed'] });
      // A patient who keeps typing at the staff screen, and a malformed PIN: both refused.
      await kiosk.command({ type: 'submit-pin', pin: PIN_AT_WRONG_STEP });
      await kiosk.emit('flow:command', { type: 'submit-pin', pin: `${PIN_AT_WRONG_STEP}0` });
    });
    staffBoardText = JSON.stringify(await (await staff.get('/staff/api/board')).json());
    exportText = (await (await staff.get('/staff/api/export?format=csv')).text()) + (await (await staff.get('/staff/api/export?format=json')).text());
  });

  afterAll(async () => {
    staffSocket?.close();
    kiosk?.close();
    await agent?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('played every PIN scenario as intended', () => {
    const events = received.filter((r) => r.event === 'flow:event').map((r) => r.args[0]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'authentication', outcome: 'failure', pinTriesLeft: 2 }));
    expect(events.filter((e) => (e as { type: string }).type === 'completed')).toHaveLength(2);
    const blocked = new Set(kiosk.snapshots.filter((s) => s.staff?.reason === 'pin-blocked').map((s) => s.sessionId));
    expect(blocked.size).toBe(2);
    expect(acks.some((a) => !a.ok && a.error.code === 'INPUT_NOT_ALLOWED_NOW')).toBe(true);
    expect(acks.some((a) => !a.ok && a.error.code === 'INPUT_INVALID')).toBe(true);
    // The capture is the agent's own logger: the refused malformed PIN was logged there (as a code).
    expect(lines.some((l) => l.includes('"command-rejected"'))).toBe(true);
  });

  it('never logs a PIN', () => {
    expect(findPins(lines.join('\n'), jsonPatterns)).toEqual([]);
  });

  it('never sends a PIN back: snapshots, events, acknowledgements and error messages', () => {
    expect(findPins(JSON.stringify(received), jsonPatterns)).toEqual([]);
    expect(findPins(JSON.stringify(acks), jsonPatterns)).toEqual([]);
  });

  it('never shows a PIN to staff: live board, board API and export', () => {
    expect(boards.length).toBeGreaterThan(0);
    expect(findPins(JSON.stringify(boards) + staffBoardText, jsonPatterns)).toEqual([]);
    expect(findPins(exportText, jsonPatterns)).toEqual([]);
  });

  it('never stores a PIN: the raw bytes of the database, its WAL and shared memory', async () => {
    const live = dbFiles();
    expect(live.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const file of live) expect({ file, found: findPins(readFileSync(file).toString('latin1'), bytePatterns) }).toEqual({ file, found: [] });
    // Closing checkpoints the WAL into the main file: search what is left on disk too.
    await agent.close();
    for (const file of dbFiles()) expect({ file, found: findPins(readFileSync(file).toString('latin1'), bytePatterns) }).toEqual({ file, found: [] });
  });
});
