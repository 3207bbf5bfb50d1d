import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Field names whose values are personal or secret. pino removes them wherever they appear, as a
 * second line of defence: the code never passes such values to the logger in the first place.
 */
export const REDACTED_FIELDS = [
  'pin',
  'name',
  'nameKana',
  'birthDate',
  'address',
  'insurerNumber',
  'symbol',
  'number',
  'branch',
  'phone',
  'insuredName',
  'people',
  'patient',
  'password',
  'token',
  'cookie',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  return pino({ level: options.level ?? process.env.LOG_LEVEL ?? 'info', redact: { paths, remove: true }, base: { app: 'kiosk-agent' } }, options.destination);
}

/** A logger that drops everything, for tests that do not inspect logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
