/**
 * The tests' own kiosk client must fail, not hang, when the agent goes away in the middle of
 * connecting: the fault suites kill the agent at random moments, connecting included.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { TestKiosk } from '../support/kiosk-client.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A socket.io server that drops every client during socket.io's connect, as an agent dying there would. */
async function droppingServer(): Promise<string> {
  const http = createServer();
  const io = new Server(http);
  io.use((socket) => socket.conn.close());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => io.close(() => resolve()));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('TestKiosk.connect', () => {
  it('rejects when the connection drops after the transport opened but before socket.io connected', async () => {
    const url = await droppingServer();
    await expect(TestKiosk.connect(url)).rejects.toThrow(/disconnected while connecting/);
  });

  it('rejects when nothing listens', async () => {
    const url = await droppingServer();
    await close?.();
    close = undefined;
    await expect(TestKiosk.connect(url)).rejects.toThrow();
  });
});
