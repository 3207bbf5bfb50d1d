import {
  AckSchema,
  FlowSnapshotSchema,
  PROTOCOL_VERSION,
  SESSION_FREE_COMMANDS,
  type Ack,
  type FlowCommand,
  type FlowSnapshot,
  type Language,
} from '@kiosk/protocol';
import { browserTimers, type SocketPort, type Timers } from './port.ts';

/**
 * connecting: first contact not made yet; online: hello acknowledged; reconnecting: the link dropped a
 * moment ago; unreachable: no answer within the ack timeout (the manual path); incompatible: the agent
 * refused our protocol version (also the manual path).
 */
export type LinkStatus = 'connecting' | 'online' | 'reconnecting' | 'unreachable' | 'incompatible';

export interface KioskState {
  readonly status: LinkStatus;
  /** The latest valid snapshot from the agent; null while there is none to trust. */
  readonly snapshot: FlowSnapshot | null;
  /** Follows the agent's snapshot; also switchable while the agent is unreachable. */
  readonly language: Language;
}

/** Ack and handshake timeout: after this the patient is sent to the desk. */
export const ACK_TIMEOUT_MS = 3000;
/**
 * While unreachable over a link that is still up, say hello again this often: an agent that was only
 * slow (busy at start-up) brings the kiosk back without a restart.
 */
export const HELLO_RETRY_MS = 5000;

export interface ConnectionOptions {
  ackTimeoutMs?: number;
  timers?: Timers;
}

/**
 * The kiosk's only link to the agent: says hello on every connect, keeps the newest valid snapshot,
 * sends commands with an acknowledgement timeout, and decides when the agent counts as unreachable.
 */
export class KioskConnection {
  private state: KioskState = { status: 'connecting', snapshot: null, language: 'ja' };
  private readonly listeners = new Set<() => void>();
  private readonly unbind: Array<() => void> = [];
  private readonly ackTimeoutMs: number;
  private readonly timers: Timers;
  private deadline: unknown = null;
  private helloRetry: unknown = null;
  private linkUp = false;
  private lastSeq = -1;
  /**
   * The session the screen last showed, kept through a dropped link (the same patient is standing
   * there): commands name it, so the agent refuses them once that session is over.
   */
  private shownSession: string | null = null;

  constructor(
    private readonly port: SocketPort,
    options: ConnectionOptions = {},
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    this.timers = options.timers ?? browserTimers;
  }

  start(): void {
    this.unbind.push(
      this.port.onConnect(() => {
        this.linkUp = true;
        void this.handshake();
      }),
      this.port.onDisconnect(() => {
        this.linkUp = false;
        this.lost();
      }),
      this.port.onSnapshot((payload) => this.receive(payload)),
    );
    this.armDeadline();
    this.port.connect();
  }

  stop(): void {
    this.unbind.splice(0).forEach((off) => off());
    this.disarmDeadline();
    if (this.helloRetry !== null) this.timers.clearTimeout(this.helloRetry);
    this.helloRetry = null;
    this.port.disconnect();
  }

  getState = (): KioskState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Sends a command for the session this screen shows, so the agent refuses it if that session is over;
   * resolves with the agent's ack, or null when none came in time (now unreachable).
   */
  async send(command: FlowCommand): Promise<Ack<unknown> | null> {
    const shown = { ...command, sessionId: this.shownSession };
    try {
      const reply = AckSchema.safeParse(await this.port.request('flow:command', shown, this.ackTimeoutMs));
      return reply.success ? (reply.data as Ack<unknown>) : null;
    } catch {
      this.unreachable();
      return null;
    }
  }

  /** Switches language at once, and tells the agent so the choice survives in its snapshot. */
  setLanguage(language: Language): void {
    this.set({ language });
    if (this.state.status === 'online') void this.send({ type: 'set-language', language });
  }

  /**
   * Drops everything the screen showed about the patient and shows the welcome screen until the
   * agent's own snapshot arrives. Used when the UI itself ends a session (idle, completed, start over).
   */
  clearSession(): void {
    const previous = this.state.snapshot;
    this.shownSession = null;
    if (!previous) return;
    this.set({
      // Until the agent answers, only what concerns whoever stands at the kiosk is offered.
      snapshot: {
        seq: previous.seq,
        can: [...SESSION_FREE_COMMANDS],
        sessionId: null,
        step: 'welcome',
        language: previous.language,
        reader: previous.reader,
        notices: [],
      },
    });
  }

  private async handshake(): Promise<void> {
    try {
      const reply = AckSchema.safeParse(
        await this.port.request('hello', { protocolVersion: PROTOCOL_VERSION, role: 'kiosk', client: 'kiosk-ui' }, this.ackTimeoutMs),
      );
      if (reply.success && reply.data.ok) {
        this.disarmDeadline();
        this.set({ status: 'online' });
      } else if (reply.success && !reply.data.ok && reply.data.error.code === 'TRANSPORT_VERSION_MISMATCH') {
        this.disarmDeadline();
        this.set({ status: 'incompatible', snapshot: null });
      } else {
        this.unreachable();
      }
    } catch {
      this.unreachable();
    }
  }

  private lost(): void {
    // The agent may have ended the session meanwhile: show nothing personal until it says otherwise.
    this.set({ status: this.state.status === 'online' ? 'reconnecting' : this.state.status, snapshot: null });
    this.armDeadline();
  }

  private receive(payload: unknown): void {
    const parsed = FlowSnapshotSchema.safeParse(payload);
    if (!parsed.success || parsed.data.seq <= this.lastSeq) return;
    this.lastSeq = parsed.data.seq;
    this.shownSession = parsed.data.sessionId;
    const recovered = this.state.status === 'unreachable' || this.state.status === 'reconnecting';
    this.set({ snapshot: parsed.data, language: parsed.data.language, ...(recovered ? { status: 'online' as const } : {}) });
  }

  private unreachable(): void {
    this.set({ status: 'unreachable', snapshot: null });
    if (this.helloRetry !== null) return;
    this.helloRetry = this.timers.setTimeout(() => {
      this.helloRetry = null;
      // A dropped link says hello again on reconnect by itself.
      if (this.linkUp && this.state.status === 'unreachable') void this.handshake();
    }, HELLO_RETRY_MS);
  }

  private armDeadline(): void {
    this.disarmDeadline();
    this.deadline = this.timers.setTimeout(() => {
      this.deadline = null;
      if (this.state.status === 'connecting' || this.state.status === 'reconnecting') this.unreachable();
    }, this.ackTimeoutMs);
  }

  private disarmDeadline(): void {
    if (this.deadline !== null) this.timers.clearTimeout(this.deadline);
    this.deadline = null;
  }

  private set(patch: Partial<KioskState>): void {
    // With no snapshot shown there is nothing to be newer than: the agent's next one is shown whatever
    // its seq (a restarted agent counts from zero; after a late hello ack the agent repeats the one dropped).
    if (patch.snapshot === null) this.lastSeq = -1;
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((listener) => listener());
  }
}
