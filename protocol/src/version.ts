import { z } from 'zod';

/** SemVer of the wire contract. A client with another major version is refused at hello. */
export const PROTOCOL_VERSION = '1.5.0';

export const CLIENT_ROLES = ['kiosk', 'staff', 'developer'] as const;

export const HelloSchema = z.object({
  /** The client's PROTOCOL_VERSION, SemVer "MAJOR.MINOR.PATCH". */
  protocolVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
  /** Who is connecting. Staff use their own namespace; this is informational there. */
  role: z.enum(CLIENT_ROLES),
  /** Free label for logs, e.g. "kiosk-ui 0.1.0". At most 64 characters. */
  client: z.string().max(64).optional(),
});
export type Hello = z.infer<typeof HelloSchema>;

export function majorOf(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

export function isCompatible(clientVersion: string, serverVersion: string = PROTOCOL_VERSION): boolean {
  return majorOf(clientVersion) === majorOf(serverVersion);
}
