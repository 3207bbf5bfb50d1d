import { FLOW_COMMAND_TYPES, type FlowSnapshot } from '@kiosk/protocol';
import type { SocketPort } from '../connection/port.ts';

type Reply = (event: 'hello' | 'flow:command', payload: unknown) => unknown;

/** A socket double: records requests, answers them with `reply`, and lets the test push events. */
export class FakePort implements SocketPort {
  readonly requests: Array<{ event: 'hello' | 'flow:command'; payload: unknown }> = [];
  reply: Reply = () => ({ ok: true });
  private readonly connectListeners = new Set<() => void>();
  private readonly disconnectListeners = new Set<() => void>();
  private readonly snapshotListeners = new Set<(payload: unknown) => void>();
  connectCalls = 0;

  connect(): void {
    this.connectCalls += 1;
  }
  disconnect(): void {}
  onConnect(listener: () => void) {
    this.connectListeners.add(listener);
    return () => void this.connectListeners.delete(listener);
  }
  onDisconnect(listener: () => void) {
    this.disconnectListeners.add(listener);
    return () => void this.disconnectListeners.delete(listener);
  }
  onSnapshot(listener: (payload: unknown) => void) {
    this.snapshotListeners.add(listener);
    return () => void this.snapshotListeners.delete(listener);
  }
  request(event: 'hello' | 'flow:command', payload: unknown): Promise<unknown> {
    this.requests.push({ event, payload });
    const answer = this.reply(event, payload);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }

  /** The agent accepted the connection. */
  open(): void {
    this.connectListeners.forEach((listener) => listener());
  }
  close(): void {
    this.disconnectListeners.forEach((listener) => listener());
  }
  push(payload: unknown): void {
    this.snapshotListeners.forEach((listener) => listener(payload));
  }
  /** The commands sent, without the session each names (connection.test.ts checks that part). */
  commands(): unknown[] {
    return this.sessionsNamed().map(({ command }) => command);
  }
  sessionsNamed(): { command: unknown; sessionId: unknown }[] {
    return this.requests
      .filter((r) => r.event === 'flow:command')
      .map((r) => {
        const { sessionId, ...command } = r.payload as { sessionId?: unknown };
        return { command, sessionId };
      });
  }
}

let seq = 0;

/** A valid snapshot for `step`, with fresh seq; `extra` overrides fields. */
export function snapshot(step: FlowSnapshot['step'], extra: Partial<FlowSnapshot> = {}): FlowSnapshot {
  seq += 1;
  return {
    seq,
    // Every command offered unless a test says otherwise: the screens' own choices are under test.
    can: [...FLOW_COMMAND_TYPES],
    sessionId: step === 'welcome' ? null : 'session-1',
    step,
    language: 'ja',
    reader: { driver: 'mock', service: 'ok', readers: [{ name: 'Mock reader', driver: 'mock', state: 'empty' }] },
    notices: [],
    ...extra,
  };
}
