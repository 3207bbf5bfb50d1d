import { z } from 'zod';
import { AgentErrorSchema, type AgentError } from './errors.ts';
import { FlowCommandRequestSchema, FlowEventSchema, FlowSnapshotSchema } from './flow.ts';
import { HelloSchema, PROTOCOL_VERSION } from './version.ts';
import { DriverStatusSchema } from './reader.ts';

/** Acknowledgement of every client→server message: success with optional data, or a typed error. */
export type Ack<T = undefined> = { ok: true; data?: T } | { ok: false; error: AgentError };
export const AckSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: AgentErrorSchema }),
]);

export const HelloReplySchema = z.object({ protocolVersion: z.literal(PROTOCOL_VERSION).or(z.string()), agentVersion: z.string(), driver: z.string() });
export type HelloReply = z.infer<typeof HelloReplySchema>;

/** Client → server events on the kiosk namespace ("/"), each with its payload schema. */
export const clientToServer = {
  hello: HelloSchema,
  'flow:command': FlowCommandRequestSchema,
} as const;

/** Server → client events on the kiosk namespace ("/"). */
export const serverToClient = {
  'flow:snapshot': FlowSnapshotSchema,
  'flow:event': FlowEventSchema,
  'agent:status': DriverStatusSchema,
} as const;

type Payload<S extends z.ZodType> = z.infer<S>;

export type ClientToServerEvents = {
  [K in keyof typeof clientToServer]: (payload: Payload<(typeof clientToServer)[K]>, ack: (reply: Ack<unknown>) => void) => void;
};
export type ServerToClientEvents = {
  [K in keyof typeof serverToClient]: (payload: Payload<(typeof serverToClient)[K]>) => void;
};
