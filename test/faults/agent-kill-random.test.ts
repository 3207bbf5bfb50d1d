/**
 * kill -9 at any moment, not only at the fixed steps of agent-kill.test.ts: check-ins run one after
 * another against the agent process, which is SIGKILLed a seeded random delay after the round's first
 * acknowledged check-in, and restarted on the same data folder, three rounds. After every restart each
 * check-in whose queue number reached the kiosk is in the records, completed, with that number; nothing
 * is left in progress and no number is issued twice. The seed is printed; KIOSK_KILL_SEED=N replays the
 * same delays.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { TestKiosk } from '../support/kiosk-client.ts';
import { checkInWithPin } from '../support/drive.ts';
import { expectAcknowledgedKept, RESTART_TEST_TIMEOUT_MS, sleep, spawnAgent, tempDir, type AgentProcess } from './support.ts';

const ROUNDS = 3;
const seed = Number(process.env.KIOSK_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
// Counted from the round's first acknowledged check-in, so each kill falls among check-ins however long
// the agent takes to start on a loaded runner. Uniform (noBias): fast-check's default sampling favours
// the bounds, which put nearly every kill at the same moment.
const delays = fc.sample(fc.noBias(fc.integer({ min: 0, max: 3_500 })), { seed, numRuns: ROUNDS });
console.log(`[agent-kill-random] seed ${seed}: kills ${delays.join(', ')} ms after each round's first check-in (replay: KIOSK_KILL_SEED=${seed})`);

const data = tempDir('kill-random');
let agent: AgentProcess;
/** Queue numbers the kiosk was shown, by session: the acknowledged check-ins. */
const acknowledged = new Map<string, number>();

/** Check-ins one after another until the agent dies under them; any failure before the kill is a failure. */
async function checkInsUntilKilled(url: string, killed: () => boolean, onAcknowledged: () => void): Promise<void> {
  let kiosk: TestKiosk | undefined;
  try {
    kiosk = await TestKiosk.connect(url);
    const socket = kiosk.socket;
    const gone = new Promise<never>((_, reject) => {
      if (!socket.connected) reject(new Error('agent gone'));
      socket.once('disconnect', () => reject(new Error('agent gone')));
    });
    const shown = (sessionId: string, queueNumber: number) => {
      acknowledged.set(sessionId, queueNumber);
      onAcknowledged();
    };
    for (;;) await Promise.race([checkInWithPin(kiosk, url, shown), gone]);
  } catch (error) {
    if (!killed()) throw error;
  } finally {
    kiosk?.close();
  }
}

beforeAll(async () => {
  agent = await spawnAgent({ dataDir: data.path });
}, RESTART_TEST_TIMEOUT_MS);
afterAll(async () => {
  await agent?.stop();
  data.remove();
});

describe('agent killed with SIGKILL at a random moment', () => {
  it(`keeps every acknowledged check-in over ${ROUNDS} kills and restarts`, { timeout: RESTART_TEST_TIMEOUT_MS }, async () => {
    for (const delay of delays) {
      let killing = false;
      let firstAcknowledged!: () => void;
      const acknowledgedOnce = new Promise<void>((resolve) => (firstAcknowledged = resolve));
      const running = checkInsUntilKilled(
        agent.url,
        () => killing,
        () => firstAcknowledged(),
      );
      running.catch(() => {}); // awaited below; a failure before the kill must not go unhandled meanwhile
      await Promise.race([acknowledgedOnce, running]); // a failure before the first check-in fails here
      await sleep(delay);
      killing = true;
      await agent.kill9();
      await running;
      console.log(`[agent-kill-random] killed ${delay} ms after the first check-in; ${acknowledged.size} check-ins acknowledged so far`);

      agent = await spawnAgent({ dataDir: data.path });
      expectAcknowledgedKept(data.path, acknowledged);
    }
  });
});
