import { z } from 'zod';

/** What went wrong, grouped by where it went wrong. */
export const ERROR_CAUSES = ['reader', 'card', 'pin', 'certificate', 'eligibility', 'oqs', 'storage', 'transport', 'input', 'internal'] as const;
export type ErrorCause = (typeof ERROR_CAUSES)[number];

interface ErrorSpec {
  readonly cause: ErrorCause;
  /** true: the same operation may succeed if tried again (card re-placed, reader back, …). */
  readonly retriable: boolean;
  /** Default English message for logs and developers; UIs show their own catalogue text per code. */
  readonly message: string;
}

/**
 * Every error the agent can report, with a stable code. Codes never change meaning once released;
 * new codes may be added in a minor protocol version.
 */
export const ERRORS = {
  READER_SERVICE_UNAVAILABLE: { cause: 'reader', retriable: true, message: 'The smart-card service (pcscd) is not running' },
  READER_DRIVER_UNAVAILABLE: { cause: 'reader', retriable: false, message: 'The reader driver is not installed on this machine' },
  READER_NOT_FOUND: { cause: 'reader', retriable: true, message: 'No card reader is connected' },
  READER_REMOVED: { cause: 'reader', retriable: true, message: 'The card reader was disconnected' },
  READER_COMMUNICATION_FAILED: { cause: 'reader', retriable: true, message: 'Communication with the reader failed' },
  READER_BUSY: { cause: 'reader', retriable: true, message: 'The reader is busy' },

  CARD_REMOVED: { cause: 'card', retriable: true, message: 'The card was removed' },
  CARD_NOT_PRESENT: { cause: 'card', retriable: true, message: 'No card is on the reader' },
  CARD_NOT_MYNUMBER: { cause: 'card', retriable: false, message: 'This card is not a My Number card' },
  CARD_UNSUPPORTED_TOKEN: { cause: 'card', retriable: false, message: 'This card or token type is not supported here' },
  CARD_UNRESPONSIVE: { cause: 'card', retriable: true, message: 'The card did not answer' },
  CARD_FILE_NOT_FOUND: { cause: 'card', retriable: false, message: 'A file expected on the card was not found' },
  CARD_SECURITY_STATUS: { cause: 'card', retriable: false, message: 'The card refused the operation (security status not satisfied)' },
  CARD_MALFORMED_RESPONSE: { cause: 'card', retriable: true, message: 'The card sent a malformed response' },
  CARD_UNEXPECTED_STATUS: { cause: 'card', retriable: false, message: 'The card answered with an unexpected status word' },

  PIN_INCORRECT: { cause: 'pin', retriable: true, message: 'The PIN was incorrect' },
  PIN_BLOCKED: { cause: 'pin', retriable: false, message: 'The PIN is locked; it can be reset only at the city office' },
  PIN_FORMAT: { cause: 'pin', retriable: true, message: 'The PIN must be 4 digits' },
  PIN_LAST_TRY_UNCONFIRMED: { cause: 'pin', retriable: true, message: 'Only one try is left: confirm before using it' },
  PIN_NOT_AVAILABLE: { cause: 'pin', retriable: false, message: 'This card has no PIN (face-authentication card)' },
  FACE_NOT_MATCHED: { cause: 'reader', retriable: true, message: 'Face authentication did not match' },
  PIN_TOO_MANY_FAILURES: { cause: 'pin', retriable: false, message: 'Two wrong PINs in this visit: staff will help' },

  CERT_MALFORMED: { cause: 'certificate', retriable: false, message: 'The certificate could not be parsed' },
  CERT_UNTRUSTED: { cause: 'certificate', retriable: false, message: 'The certificate was not issued by a trusted authority' },
  CERT_EXPIRED: { cause: 'certificate', retriable: false, message: 'The certificate has expired' },
  CERT_NOT_YET_VALID: { cause: 'certificate', retriable: false, message: 'The certificate is not yet valid' },
  CERT_KEY_USAGE: { cause: 'certificate', retriable: false, message: 'The certificate may not be used for authentication' },
  CERT_PROOF_FAILED: { cause: 'certificate', retriable: false, message: 'The card could not prove possession of its key' },

  ELIGIBILITY_INVALID: { cause: 'eligibility', retriable: false, message: 'The insurance is not valid' },
  ELIGIBILITY_NEW_QUALIFICATION: { cause: 'eligibility', retriable: false, message: 'The insurance is not valid; a newer one exists' },
  ELIGIBILITY_NOT_FOUND: { cause: 'eligibility', retriable: false, message: 'No insurance record was found' },
  ELIGIBILITY_MULTIPLE: { cause: 'eligibility', retriable: false, message: 'Several insurance records matched' },
  ELIGIBILITY_NOT_REGISTERED: { cause: 'eligibility', retriable: false, message: 'The card is not registered for health insurance use' },
  ELIGIBILITY_LOST_CARD: { cause: 'eligibility', retriable: false, message: 'The card is reported lost or suspended' },
  ELIGIBILITY_SERVICE_ERROR: { cause: 'eligibility', retriable: true, message: 'The eligibility service reported an error' },
  ELIGIBILITY_TIMEOUT: { cause: 'eligibility', retriable: true, message: 'The eligibility result did not arrive in time' },
  ELIGIBILITY_REVIEW: { cause: 'eligibility', retriable: false, message: 'The result needs staff review before it is used' },

  OQS_FOLDER_UNAVAILABLE: { cause: 'oqs', retriable: true, message: 'The eligibility terminal folder is not reachable' },
  OQS_FILE_MALFORMED: { cause: 'oqs', retriable: false, message: 'A result file from the eligibility terminal is malformed' },
  OQS_FILE_ENCODING: { cause: 'oqs', retriable: false, message: 'A result file has an unknown or wrong character encoding' },
  OQS_FILE_TOO_LARGE: { cause: 'oqs', retriable: false, message: 'A result file is too large' },

  STORAGE_UNAVAILABLE: { cause: 'storage', retriable: true, message: 'Records cannot be saved (disk full or read-only)' },

  TRANSPORT_VERSION_MISMATCH: { cause: 'transport', retriable: false, message: 'The client speaks another protocol major version' },
  TRANSPORT_HELLO_REQUIRED: { cause: 'transport', retriable: true, message: 'Send hello before other messages' },
  TRANSPORT_UNAUTHORIZED: { cause: 'transport', retriable: false, message: 'Not authorised' },
  TRANSPORT_RATE_LIMITED: { cause: 'transport', retriable: true, message: 'Too many requests' },

  INPUT_INVALID: { cause: 'input', retriable: false, message: 'The message is not valid' },
  INPUT_NOT_ALLOWED_NOW: { cause: 'input', retriable: false, message: 'That command is not possible at this step' },
  INPUT_STALE_SESSION: { cause: 'input', retriable: false, message: 'The command refers to a session that is over' },

  INTERNAL: { cause: 'internal', retriable: false, message: 'Internal error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

export const AgentErrorSchema = z.object({
  /** Stable code, e.g. "PIN_INCORRECT". */
  code: z.enum(ERROR_CODES),
  /** Human-readable English text; never contains a PIN, name or insurance number. */
  message: z.string(),
  /** Whether retrying the same operation may succeed. Derived from the code. */
  retriable: z.boolean(),
  /** Optional non-personal details, e.g. { triesLeft: 2 } or zod issue paths. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type AgentError = z.infer<typeof AgentErrorSchema>;

export function agentError(code: ErrorCode, message?: string, details?: AgentError['details']): AgentError {
  const spec = ERRORS[code];
  return { code, message: message ?? spec.message, retriable: spec.retriable, ...(details ? { details } : {}) };
}

export function isRetriable(code: ErrorCode): boolean {
  return ERRORS[code].retriable;
}

export function causeOf(code: ErrorCode): ErrorCause {
  return ERRORS[code].cause;
}

/** Expected failures travel as values, not exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AgentError };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message?: string, details?: AgentError['details']): Result<T> => ({
  ok: false,
  error: agentError(code, message, details),
});
