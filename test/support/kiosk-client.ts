import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientToServerEvents,
  type FlowCommand,
  type FlowEvent,
  type FlowSnapshot,
  type ServerToClientEvents,
} from '@kiosk/protocol';

export type KioskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A kiosk client for tests: a real socket.io connection that records every snapshot and event and
 * can wait for a screen.
 */
export class TestKiosk {
  readonly socket: KioskSocket;
  readonly snapshots: FlowSnapshot[] = [];
  readonly events: FlowEvent[] = [];

  private constructor(url: string, options: Partial<ManagerOptions & SocketOptions>) {
    this.socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
    this.socket.on('flow:snapshot', (s) => this.snapshots.push(s));
    this.socket.on('flow:event', (e) => this.events.push(e));
  }

  /** `options` go to socket.io-client, e.g. `auth` (a device token) or `ca` (a test certificate). */
  static async connect(url: string, hello = true, options: Partial<ManagerOptions & SocketOptions> = {}): Promise<TestKiosk> {
    const kiosk = new TestKiosk(url, options);
    try {
      await new Promise<void>((resolve, reject) => {
        kiosk.socket.once('connect', () => resolve());
        kiosk.socket.once('connect_error', reject);
        // An agent that dies after the transport opened but before socket.io's connect ends in a
        // disconnect, not a connect_error; without this the connection would wait forever.
        kiosk.socket.once('disconnect', (reason) => reject(new Error(`disconnected while connecting: ${reason}`)));
      });
      if (hello) {
        const reply = await kiosk.emit('hello', { protocolVersion: PROTOCOL_VERSION, role: 'kiosk' });
        if (!reply.ok) throw new Error(`hello refused: ${reply.error.code}`);
      }
    } catch (error) {
      kiosk.close();
      throw error;
    }
    return kiosk;
  }

  get latest(): FlowSnapshot | undefined {
    return this.snapshots[this.snapshots.length - 1];
  }

  emit(event: 'hello' | 'flow:command', payload: unknown): Promise<Ack<unknown>> {
    return (this.socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> }).emitWithAck(event, payload);
  }

  /** Sends a command naming the session this client last saw, as the kiosk UI does (unless the test names one). */
  command(command: FlowCommand): Promise<Ack<unknown>> {
    return this.emit('flow:command', { sessionId: this.latest?.sessionId ?? null, ...command });
  }

  /** Resolves with the first snapshot (already received or future) that satisfies the predicate. */
  waitFor(predicate: (s: FlowSnapshot) => boolean, timeoutMs = 8000): Promise<FlowSnapshot> {
    const hit = this.latest && predicate(this.latest) ? this.latest : undefined;
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('flow:snapshot', listener);
        reject(new Error(`timed out waiting; last step was "${this.latest?.step}"`));
      }, timeoutMs);
      const listener = (s: FlowSnapshot) => {
        if (!predicate(s)) return;
        clearTimeout(timer);
        this.socket.off('flow:snapshot', listener);
        resolve(s);
      };
      this.socket.on('flow:snapshot', listener);
    });
  }

  /** Drops the recorded history but the latest snapshot, so a long run (the soak) measures the agent, not this log. */
  forget(): void {
    this.snapshots.splice(0, this.snapshots.length - 1);
    this.events.length = 0;
  }

  step(step: FlowSnapshot['step'], timeoutMs?: number): Promise<FlowSnapshot> {
    return this.waitFor((s) => s.step === step, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }
}

export async function playScenario(agentUrl: string, scenario: string): Promise<void> {
  const response = await fetch(`${agentUrl}/mock/scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario }),
  });
  if (!response.ok) throw new Error(`scenario ${scenario} refused: ${response.status}`);
}
