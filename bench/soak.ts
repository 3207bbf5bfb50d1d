import type { RunningAgent } from '@kiosk/agent/app.ts';
import { TestKiosk } from '../test/support/kiosk-client.ts';
import { drive } from '../test/support/drive.ts';
import { elapsedMs, round, type BenchRow } from './measure.ts';

type Playable = { play(name: string): Promise<{ ok: boolean }> };

/**
 * Soak: `count` complete mock check-ins (PIN path: card read, PIN, certificate chain, signed-nonce
 * proof, eligibility, consents) through a real socket.io client. Records lost = acknowledged
 * completions missing from the database afterwards (must be 0).
 */
export async function soak(agent: RunningAgent, count: number): Promise<{ rows: BenchRow[]; result: Record<string, number> }> {
  const kiosk = await TestKiosk.connect(agent.url);
  const driver = agent.driver as unknown as Playable;
  const completedBefore = countCompleted(agent);
  global.gc?.();
  const { rss: rssBefore, heapUsed: heapBefore } = process.memoryUsage();
  const start = process.hrtime.bigint();
  let acknowledged = 0;
  for (let i = 0; i < count; i++) {
    await driver.play('pin-success');
    await drive(kiosk, { auth: 'pin' });
    acknowledged += 1;
    await kiosk.command({ type: 'reset', reason: 'completed' });
    await driver.play('remove-card');
    await kiosk.step('welcome');
    kiosk.forget();
  }
  const seconds = elapsedMs(start) / 1000;
  global.gc?.();
  const { rss: rssAfter, heapUsed: heapAfter } = process.memoryUsage();
  const lost = acknowledged - (countCompleted(agent) - completedBefore);
  kiosk.close();
  const result = {
    count,
    seconds: round(seconds),
    perSecond: round(count / seconds),
    rssBeforeMiB: round(rssBefore / 2 ** 20, 1),
    rssAfterMiB: round(rssAfter / 2 ** 20, 1),
    heapBeforeMiB: round(heapBefore / 2 ** 20, 1),
    heapAfterMiB: round(heapAfter / 2 ** 20, 1),
    recordsLost: lost,
  };
  return {
    rows: [
      { name: `soak: ${count} mock check-ins (PIN path)`, value: `${result.perSecond} check-ins/s`, compare: `${result.seconds} s in all` },
      {
        name: 'soak: agent RSS before → after',
        value: `${result.rssBeforeMiB} → ${result.rssAfterMiB} MiB`,
        compare: `same process, after gc; JS heap ${result.heapBeforeMiB} → ${result.heapAfterMiB} MiB`,
      },
      { name: 'soak: records lost', value: String(lost), compare: 'must be 0' },
    ],
    result,
  };
}

function countCompleted(agent: RunningAgent): number {
  return (agent.db.prepare("SELECT count(*) AS n FROM checkins WHERE status = 'completed'").get() as { n: number }).n;
}
