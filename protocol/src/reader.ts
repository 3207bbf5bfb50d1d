import { z } from 'zod';

/** pcsc+oqs: a PC/SC reader on the kiosk and the face-auth reader behind the 資格確認端末, in one agent. */
export const DRIVER_KINDS = ['mock', 'pcsc', 'oqs', 'pcsc+oqs'] as const;
export const DriverKindSchema = z.enum(DRIVER_KINDS);
export type DriverKind = z.infer<typeof DriverKindSchema>;

export const ReaderInfoSchema = z.object({
  /** Reader name as the driver reports it, e.g. "Virtual PCD 00 00" or "資格確認端末 face folder". */
  name: z.string(),
  driver: DriverKindSchema,
  /** empty: no card; present: a card is on it; busy: being read; unavailable: reader reported a fault. */
  state: z.enum(['empty', 'present', 'busy', 'unavailable']),
});
export type ReaderInfo = z.infer<typeof ReaderInfoSchema>;

export const DriverStatusSchema = z.object({
  driver: DriverKindSchema,
  /** starting: within the start-up debounce; ok: usable; unavailable: service down or not installed. */
  service: z.enum(['starting', 'ok', 'unavailable']),
  readers: z.array(ReaderInfoSchema),
  /** Non-personal detail for staff, e.g. "pcscd not running: apt-get install pcscd". */
  detail: z.string().optional(),
});
export type DriverStatus = z.infer<typeof DriverStatusSchema>;
