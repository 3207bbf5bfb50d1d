import type { FlowCommand, FlowEvent, FlowSnapshot, Result, StaffReason } from '@kiosk/protocol';

/** Staff actions on the kiosk's current session (from the staff console). */
export type StaffAction =
  | { type: 'approve-visual'; sessionId: string; staffId: string }
  | { type: 'decline-visual'; sessionId: string; staffId: string }
  /** Staff took over the session (manual entry etc.); the kiosk returns to welcome. */
  | { type: 'take-over'; sessionId: string; staffId: string }
  /** The desk finished the check-in (documents, 一件照会) and issued a number: the kiosk shows it. */
  | { type: 'completed-at-desk'; sessionId: string; staffId: string; queueNumber: number };

export type FlowListener = (snapshot: FlowSnapshot, event?: FlowEvent) => void;

/** The agent-owned check-in flow. Transport and UIs only read snapshots and send commands. */
export interface CheckInFlow {
  snapshot(): FlowSnapshot;
  /** Validated command from a kiosk. Refused commands return INPUT_NOT_ALLOWED_NOW etc.; state is unchanged. */
  send(command: FlowCommand): Result<void>;
  staffAction(action: StaffAction): Result<void>;
  /** The staff actions the flow accepts now for this session (none unless it is the kiosk's current one), computed from the machine. */
  acceptedStaffActions(sessionId: string): Array<StaffAction['type']>;
  /** Called with every new snapshot, and with the typed event of the transition when there is one. */
  subscribe(listener: FlowListener): () => void;
  start(): void;
  stop(): Promise<void>;
}

export type { StaffReason };
