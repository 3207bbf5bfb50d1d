/**
 * Raw socket.io packets that no well-behaved client sends: event names of every JSON type, events
 * with no payload, acknowledgement ids, binary attachments. Each one is answered or dropped; the agent
 * keeps serving and still checks a patient in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';

let agent: RunningAgent;
beforeAll(async () => {
  agent = await startDemo({ port: 0, dataDir: ':memory:', logger: silentLogger });
});
afterAll(async () => {
  await agent?.close();
});

/** socket.io packets of the default namespace as written on the engine.io connection (type 4 = message is added by write). */
const RAW_PACKETS = [
  '2', // event, no payload
  '21', // event with an ack id, no payload
  '2[]',
  '21[]',
  '2[1]',
  '21[1,{}]',
  '2[null]',
  '2[true]',
  '2[{"a":1}]',
  '2[["hello"]]',
  '2[1.5,"x"]',
  '23["hello"]',
  '2["hello"]',
  '2["flow:command"]',
  '27["flow:command",null]',
  '5-["flow:command",{"_placeholder":true,"num":0}]', // binary event announced, attachment never sent
  '2["' + 'x'.repeat(10_000) + '"]',
  '3', // ack with no id
  '31[]', // ack for an id the agent never used
  '9', // no such packet type
];

function openRaw(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('raw socket.io packets', () => {
  it('survives every packet shape on the kiosk namespace and still checks a patient in', async () => {
    const raw = await openRaw(agent.url);
    for (const packet of RAW_PACKETS) raw.io.engine.write(packet);
    await new Promise((r) => setTimeout(r, 300));
    raw.close();

    const response = await fetch(`${agent.url}/healthz`);
    expect(response.status).toBe(200);
    const kiosk = await TestKiosk.connect(agent.url);
    await kiosk.command({ type: 'reset', reason: 'patient' });
    await playScenario(agent.url, 'pin-success');
    await drive(kiosk, { auth: 'pin' });
    expect(kiosk.latest?.queueNumber).toBeGreaterThan(0);
    kiosk.close();
  });

  it('answers an event whose name is not a string with a typed error', async () => {
    const raw = await openRaw(agent.url);
    const reply = new Promise<unknown>((resolve) =>
      raw.io.engine.on('packet', (p: { data?: unknown }) => typeof p.data === 'string' && p.data.startsWith('37') && resolve(p.data)),
    );
    raw.io.engine.write('27[1,{}]');
    expect(String(await reply)).toContain('INPUT_INVALID');
    raw.close();
  });
});
