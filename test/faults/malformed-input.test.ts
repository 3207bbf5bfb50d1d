/**
 * Malformed socket.io commands, raw socket.io packets and HTTP bodies: every command and body is
 * answered, none with a 5xx, the agent keeps serving, no record is lost, and a check-in afterwards
 * completes. 500 seeded fast-check payloads here (the bench sends 10,000 with the same generator,
 * test/support/fuzz.ts), plus hand-made HTTP abuse the generator cannot produce. The records are in a data folder on disk and are read back from the file after each run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { checkInAfterFuzz, fuzzAgent } from '../support/fuzz.ts';
import { agentDbFile, readCheckIns, tempDir, type CheckInRow } from './support.ts';

const data = tempDir('malformed');
let agent: RunningAgent;
/** The rows of every check-in acknowledged to the kiosk, as they were right after it completed. */
const acknowledged = new Map<string, CheckInRow>();

beforeAll(async () => {
  agent = await startDemo({ port: 0, dataDir: data.path, logger: silentLogger });
  await checkInStillWorks();
});
afterAll(async () => {
  await agent?.close();
  data.remove();
});

async function checkInStillWorks(): Promise<void> {
  const done = await checkInAfterFuzz(agent.url);
  expect(done.queueNumber).toBeGreaterThan(0);
  const row = readCheckIns(agentDbFile(data.path)).find((r) => r.sessionId === done.sessionId);
  expect(row).toMatchObject({ status: 'completed', queueNumber: done.queueNumber });
  acknowledged.set(done.sessionId, row!);
}

/** Every acknowledged check-in is still in the file, unchanged (fuzzed commands may add sessions of their own). */
function noRecordLost(): void {
  const rows = readCheckIns(agentDbFile(data.path));
  expect(rows.filter((r) => acknowledged.has(r.sessionId))).toEqual([...acknowledged.values()]);
}

describe('malformed payloads', () => {
  it('answers 500 seeded random socket.io commands, raw socket.io packets and HTTP bodies, never 5xx, loses no record, and still checks a patient in', async () => {
    const result = await fuzzAgent(agent.url, 500, 20251122);
    expect(result).toMatchObject({ sent: 500, answered: 500 - result.raw, serverErrors: 0, alive: 1 });
    expect(result.raw).toBeGreaterThan(100);
    expect(result.rejected).toBeGreaterThan(250);
    noRecordLost();
    await checkInStillWorks();
    noRecordLost();
  });

  it('answers broken JSON, wrong content types and an oversized body over HTTP with 4xx, never 5xx, and loses no record', async () => {
    const post = (body: string | Blob, type = 'application/json') =>
      fetch(`${agent.url}/mock/scenario`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: Promise<Response>[] = [
      post('{"scenario":'),
      post('\u0000\u0001\u0002'),
      post(new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x7b])])),
      post('{"scenario": "pin-success"}', 'text/plain'),
      post('scenario=pin-success', 'application/x-www-form-urlencoded'),
      post(JSON.stringify({ scenario: 'x'.repeat(5 * 1024 * 1024) })),
      post(JSON.stringify({ scenario: { $gt: '' } })),
      post('[]'),
      post('"__proto__"'),
      fetch(`${agent.url}/mock/scenario`, { method: 'POST' }),
    ];
    for (const response of await Promise.all(cases)) {
      expect(response.status, await response.text().then((t) => t.slice(0, 80))).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect((await fetch(`${agent.url}/healthz`)).ok).toBe(true);
    noRecordLost();
    await checkInStillWorks();
    noRecordLost();
  });
});
