import { agentError, type AgentError, type Result } from '@kiosk/protocol';
import type { z } from 'zod';

/**
 * Validates an inbound payload. The error names the offending paths and what was expected, never the
 * received values (a payload may carry a PIN).
 */
export function validate<S extends z.ZodType>(schema: S, payload: unknown): Result<z.infer<S>> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: invalidInput(parsed.error) };
}

function invalidInput(error: z.ZodError): AgentError {
  const issues = error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`);
  return agentError('INPUT_INVALID', `Invalid message: ${issues.join('; ')}`, { issues: issues.length });
}
