import type { FlowSnapshot } from '@kiosk/protocol';
import { TestKiosk } from '../test/support/kiosk-client.ts';
import { elapsedMs, summary, type BenchRow } from './measure.ts';

/**
 * Agent → kiosk fan-out: one client changes the language, and the time until each of `clients`
 * connected kiosks has the new snapshot is recorded.
 */
export async function fanout(url: string, clients = 10, rounds = 200): Promise<{ rows: BenchRow[]; result: ReturnType<typeof summary> }> {
  const kiosks = await Promise.all(Array.from({ length: clients }, () => TestKiosk.connect(url)));
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const language = i % 2 === 0 ? 'en' : 'ja';
    const start = process.hrtime.bigint();
    const arrivals = kiosks.map((k) => k.waitFor((s: FlowSnapshot) => s.language === language, 5000).then(() => latencies.push(elapsedMs(start))));
    await kiosks[0]!.command({ type: 'set-language', language });
    await Promise.all(arrivals);
  }
  for (const k of kiosks) k.close();
  const result = summary(latencies);
  return {
    rows: [
      { name: `snapshot fan-out to ${clients} kiosks`, value: `p50 ${result.p50} ms, p99 ${result.p99} ms`, compare: `${rounds} changes × ${clients} clients` },
    ],
    result,
  };
}
