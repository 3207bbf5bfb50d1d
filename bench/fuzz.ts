import { checkInAfterFuzz, fuzzAgent } from '../test/support/fuzz.ts';
import type { BenchRow } from './measure.ts';

/**
 * `count` seeded malformed payloads (socket.io commands, raw socket.io packets, HTTP bodies) with the
 * fault suite's generator: every command and body must be answered, no 5xx, the agent still serving
 * and a patient still checking in.
 */
export async function fuzz(url: string, count: number, seed = 42): Promise<{ rows: BenchRow[]; result: Record<string, number> }> {
  const fuzzed = await fuzzAgent(url, count, seed);
  const { queueNumber } = await checkInAfterFuzz(url);
  const result = { ...fuzzed, checkInAfterwards: queueNumber > 0 ? 1 : 0 };
  return {
    rows: [
      {
        name: `malformed payloads (socket.io, raw packets, HTTP)`,
        value: `${result.answered}/${result.sent - result.raw} answered, ${result.raw} raw packets, agent ${result.alive ? 'alive' : 'DOWN'}, a check-in afterwards ${result.checkInAfterwards ? 'completed' : 'FAILED'}`,
        compare: `${result.rejected} rejected as invalid, ${result.serverErrors} answered 5xx, ${result.seconds} s`,
      },
    ],
    result,
  };
}
