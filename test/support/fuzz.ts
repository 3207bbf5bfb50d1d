import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { playScenario, TestKiosk } from './kiosk-client.ts';
import { drive } from './drive.ts';

/** What a fuzz run sent and what came back; `alive` is 1 when /healthz still answers 200 afterwards. */
export interface FuzzResult {
  sent: number;
  answered: number;
  rejected: number;
  /** Raw socket.io packets written on the engine.io connection (answered or dropped; never fatal). */
  raw: number;
  /** HTTP answers of 500 or more: must stay 0. */
  serverErrors: number;
  alive: number;
  seconds: number;
}

/** A well-formed-looking flow command with arbitrary fields, and anything at all. */
const commandPayload = fc.oneof(
  fc.anything(),
  fc.record({
    type: fc.constantFrom('start', 'submit-pin', 'consent', 'reset', 'fallback-documents'),
    pin: fc.string(),
    items: fc.anything(),
    documents: fc.anything(),
    reason: fc.string(),
  }),
);

/**
 * socket.io packets of the default namespace as an engine.io message carries them, which no
 * well-behaved client sends: event names of every JSON type, no payload at all, acknowledgement ids,
 * acks nobody asked for, binary events whose attachments never come, unknown packet types.
 */
export const rawPacket: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.option(fc.nat({ max: 9999 }), { nil: undefined }), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }))
    .map(([ack, args]) => `2${ack ?? ''}${JSON.stringify(args)}`),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), commandPayload).map(([name, payload]) => `2${JSON.stringify([name, payload]) ?? ''}`),
  fc.nat({ max: 9999 }).map((ack) => `2${ack}`),
  fc.tuple(fc.nat({ max: 9999 }), fc.jsonValue({ maxDepth: 2 })).map(([ack, value]) => `3${ack}${JSON.stringify([value])}`),
  fc.nat({ max: 3 }).map((n) => `5${n}-["flow:command",{"_placeholder":true,"num":0}]`),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('2', '3', '9', '2[', '4"x"', '6', '0/nowhere,'),
);

function openRaw(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * Sends `count` seeded random payloads at an agent: socket.io flow commands (which must each get an
 * answer), HTTP bodies to the demo's scenario route (which must never be a 5xx), and raw socket.io
 * packets on a connection of their own (reopened when the agent closes it, as it may for a packet it
 * cannot parse). One generator for the fault suite and the bench.
 */
export async function fuzzAgent(url: string, count: number, seed = 42): Promise<FuzzResult> {
  const payloads = fc.sample(
    fc.oneof(
      commandPayload,
      commandPayload,
      rawPacket.map((packet) => ({ raw: packet })),
    ),
    { numRuns: count, seed },
  );
  const kiosk = await TestKiosk.connect(url);
  let raw: Socket | undefined;
  let answered = 0;
  let rejected = 0;
  let rawSent = 0;
  let serverErrors = 0;
  const start = process.hrtime.bigint();
  for (const [i, payload] of payloads.entries()) {
    if (payload && typeof payload === 'object' && 'raw' in payload && Object.keys(payload).length === 1) {
      if (!raw?.connected) raw = await openRaw(url);
      raw.io.engine.write(String(payload.raw));
      rawSent += 1;
      continue;
    }
    if (i % 10 === 9) {
      const response = await fetch(`${url}/mock/scenario`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload) ?? 'null',
      });
      await response.arrayBuffer();
      answered += 1;
      if (!response.ok) rejected += 1;
      if (response.status >= 500) serverErrors += 1;
      continue;
    }
    const reply = await kiosk.emit('flow:command', payload);
    answered += 1;
    if (!reply.ok) rejected += 1;
  }
  raw?.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const alive = (await fetch(`${url}/healthz`)).ok ? 1 : 0;
  kiosk.close();
  return { sent: payloads.length, answered, rejected, raw: rawSent, serverErrors, alive, seconds: Math.round(seconds * 100) / 100 };
}

/** A patient checks in on the PIN path of the demonstration after a fuzz run: the queue number and session. */
export async function checkInAfterFuzz(url: string): Promise<{ sessionId: string; queueNumber: number }> {
  const kiosk = await TestKiosk.connect(url);
  try {
    await kiosk.command({ type: 'reset', reason: 'patient' });
    await playScenario(url, 'remove-card');
    await kiosk.step('welcome');
    await playScenario(url, 'pin-success');
    await drive(kiosk, { auth: 'pin' });
    const done = kiosk.latest!;
    return { sessionId: done.sessionId!, queueNumber: done.queueNumber ?? 0 };
  } finally {
    kiosk.close();
  }
}
