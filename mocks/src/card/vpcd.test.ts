/**
 * The vpcd client against a local fake vpcd (a TCP server on port 0 speaking the driver's side).
 * Never touches 35963/35964: connecting there would insert a card into a real pcscd.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runVirtualCardCli } from './cli.ts';
import { MemoryPinCounters } from './counters.ts';
import { cardImage, createVirtualCard } from './profiles.ts';
import { startVirtualCardOnVpcd, VpcdCardClient, vpcdFrame, VpcdFrameReader } from './vpcd.ts';

const NOW = new Date('2026-01-15T03:00:00Z');
const SELECT_JPKI = Buffer.from('00A4040C0AD392F000260100000001', 'hex');
const MY_NUMBER_ATR = '3bda13ff8131fb468012392f31c173c601c03b';

/** The driver side of vpcd: accepts one card, sends frames, collects the card's reply frames. */
class FakeVpcd {
  readonly server: Server = createServer((socket) => this.#accept(socket));
  card: Socket | null = null;
  readonly #frames = new VpcdFrameReader();
  readonly #replies: Buffer[] = [];
  #waiters: (() => void)[] = [];
  #connected: (() => void) | null = null;
  closed = false;

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  #accept(socket: Socket): void {
    this.card = socket;
    socket.on('data', (chunk) => {
      this.#replies.push(...this.#frames.push(chunk));
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    this.#connected?.();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  connected(): Promise<void> {
    return this.card ? Promise.resolve() : new Promise((resolve) => (this.#connected = resolve));
  }

  /** Sends raw bytes as the driver would. */
  send(bytes: Buffer): void {
    this.card?.write(bytes);
  }

  /** Next reply frame, or null when the card closed the connection first. */
  async reply(): Promise<Buffer | null> {
    for (;;) {
      const next = this.#replies.shift();
      if (next) return next;
      if (this.closed) return null;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async exchange(payload: Buffer): Promise<string | null> {
    this.send(vpcdFrame(payload));
    return (await this.reply())?.toString('hex') ?? null;
  }

  close(): Promise<void> {
    this.card?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let vpcd: FakeVpcd;
let port: number;

beforeAll(() => cardImage('valid', NOW), 120_000);

async function insertedCard(): Promise<VpcdCardClient> {
  vpcd = new FakeVpcd();
  port = await vpcd.listen();
  const client = new VpcdCardClient(await createVirtualCard({ profile: 'valid', now: NOW, counters: new MemoryPinCounters() }), { port });
  const inserted = await client.insert();
  expect(inserted.ok).toBe(true);
  await vpcd.connected();
  return client;
}

afterEach(async () => {
  await vpcd?.close();
});

describe('vpcd framing', () => {
  it('builds frames with a big-endian uint16 length and splits a stream into frames', () => {
    expect(vpcdFrame(Uint8Array.from([0x90, 0x00])).toString('hex')).toBe('00029000');
    const reader = new VpcdFrameReader();
    const stream = Buffer.concat([vpcdFrame(Buffer.from([4])), vpcdFrame(Buffer.alloc(300, 7))]);
    expect(reader.push(stream.subarray(0, 2))).toEqual([]);
    const frames = [...reader.push(stream.subarray(2, 10)), ...reader.push(stream.subarray(10))];
    expect(frames.map((f) => f.length)).toEqual([1, 300]);
  });

  it('answers the ATR request, ignores power controls, and answers APDUs', async () => {
    const client = await insertedCard();
    expect(client.inserted).toBe(true);
    vpcd.send(vpcdFrame(Buffer.from([1])));
    expect(await vpcd.exchange(Buffer.from([4]))).toBe(MY_NUMBER_ATR);
    expect(await vpcd.exchange(SELECT_JPKI)).toBe('9000');
    expect(await vpcd.exchange(Buffer.from('00CA5F5100', 'hex'))).toBe('6d00');
  });

  it('handles frames split across TCP segments and several frames in one segment', async () => {
    await insertedCard();
    const bytes = Buffer.concat([vpcdFrame(SELECT_JPKI), vpcdFrame(Buffer.from([4]))]);
    for (const byte of bytes) vpcd.send(Buffer.from([byte]));
    expect((await vpcd.reply())?.toString('hex')).toBe('9000');
    expect((await vpcd.reply())?.toString('hex')).toBe(MY_NUMBER_ATR);
  });

  it('a reset or power-off control clears the PIN state', async () => {
    await insertedCard();
    await vpcd.exchange(SELECT_JPKI);
    await vpcd.exchange(Buffer.from('00A4020C020018', 'hex'));
    expect(await vpcd.exchange(Buffer.from('0020008004' + '31323334', 'hex'))).toBe('9000');
    vpcd.send(vpcdFrame(Buffer.from([2])));
    await vpcd.exchange(SELECT_JPKI);
    await vpcd.exchange(Buffer.from('00A4020C020017', 'hex'));
    const sign = await vpcd.exchange(Buffer.concat([Buffer.from('802A008033', 'hex'), Buffer.alloc(0x33, 1), Buffer.from([0])]));
    expect(sign).toBe('6982');
  });

  it('remove() closes the connection (the card leaves the reader)', async () => {
    const client = await insertedCard();
    await client.remove();
    expect(client.inserted).toBe(false);
    expect(await vpcd.reply()).toBeNull();
  });

  it('disconnectAfter(n) answers n APDUs, then drops the connection without answering', async () => {
    const client = await insertedCard();
    client.disconnectAfter(1);
    expect(await vpcd.exchange(SELECT_JPKI)).toBe('9000');
    // Control messages do not count: presence polling must not kill the card.
    expect(await vpcd.exchange(Buffer.from([4]))).toBe(MY_NUMBER_ATR);
    expect(await vpcd.exchange(Buffer.from('00A4020C02000A', 'hex'))).toBeNull();
    expect(client.inserted).toBe(false);
  });

  it('insert() reports READER_SERVICE_UNAVAILABLE when nothing listens', async () => {
    vpcd = new FakeVpcd();
    const freePort = await vpcd.listen();
    await vpcd.close();
    const client = new VpcdCardClient(await createVirtualCard({ profile: 'valid', now: NOW }), { port: freePort });
    const inserted = await client.insert();
    expect(inserted.ok ? 'ok' : inserted.error.code).toBe('READER_SERVICE_UNAVAILABLE');
    expect(client.inserted).toBe(false);
  });

  it('startVirtualCardOnVpcd inserts a profile card and remove() takes it out', async () => {
    vpcd = new FakeVpcd();
    port = await vpcd.listen();
    const started = await startVirtualCardOnVpcd({ profile: 'valid', now: NOW, port });
    await vpcd.connected();
    expect(await vpcd.exchange(SELECT_JPKI)).toBe('9000');
    expect(started.card.trace.at(-1)).toEqual({ command: SELECT_JPKI.toString('hex').toUpperCase(), response: '9000' });
    await started.remove();
    expect(await vpcd.reply()).toBeNull();
  });
});

describe('runVirtualCardCli', () => {
  it('rejects bad usage with exit code 2', async () => {
    expect(await runVirtualCardCli(['--profile', 'nope'])).toBe(2);
    expect(await runVirtualCardCli(['--profile', 'valid', '--slot', '3'])).toBe(2);
    expect(await runVirtualCardCli(['--profile', 'valid', '--now', 'yesterday'])).toBe(2);
  });

  it('serves the card until vpcd drops it, then exits 1', async () => {
    vpcd = new FakeVpcd();
    port = await vpcd.listen();
    const exit = runVirtualCardCli(['--profile', 'valid', '--now', NOW.toISOString(), '--port', String(port)]);
    await vpcd.connected();
    expect(await vpcd.exchange(Buffer.from([4]))).toBe(MY_NUMBER_ATR);
    vpcd.card?.destroy();
    expect(await exit).toBe(1);
  });
});
