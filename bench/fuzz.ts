import fc from 'fast-check';
import { TestKiosk } from '../test/support/kiosk-client.ts';
import { elapsedMs, round, type BenchRow } from './measure.ts';

/**
 * Sends `count` random and malformed payloads (socket.io commands and HTTP bodies) at the agent and
 * checks that every one got an answer and the agent still serves.
 */
export async function fuzz(url: string, count: number, seed = 42): Promise<{ rows: BenchRow[]; result: Record<string, number> }> {
  const kiosk = await TestKiosk.connect(url);
  const payloads = fc.sample(
    fc.oneof(
      fc.anything(),
      fc.record({
        type: fc.constantFrom('start', 'submit-pin', 'consent', 'reset', 'fallback-documents'),
        pin: fc.string(),
        items: fc.anything(),
        documents: fc.anything(),
        reason: fc.string(),
      }),
    ),
    { numRuns: count, seed },
  );
  let answered = 0;
  let rejected = 0;
  const start = process.hrtime.bigint();
  for (const [i, payload] of payloads.entries()) {
    if (i % 10 === 9) {
      const response = await fetch(`${url}/mock/scenario`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload) ?? 'null',
      });
      await response.arrayBuffer();
      answered += 1;
      if (!response.ok) rejected += 1;
      continue;
    }
    const reply = await kiosk.emit('flow:command', payload);
    answered += 1;
    if (!reply.ok) rejected += 1;
  }
  const seconds = elapsedMs(start) / 1000;
  const alive = (await fetch(`${url}/healthz`)).ok ? 1 : 0;
  kiosk.close();
  const result = { sent: payloads.length, answered, rejected, alive, seconds: round(seconds) };
  return {
    rows: [
      {
        name: `malformed payloads (socket.io + HTTP)`,
        value: `${answered}/${payloads.length} answered, agent ${alive ? 'alive' : 'DOWN'}`,
        compare: `${rejected} rejected as invalid, ${result.seconds} s`,
      },
    ],
    result,
  };
}
