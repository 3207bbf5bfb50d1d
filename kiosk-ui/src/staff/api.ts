import {
  AgentErrorSchema,
  agentError,
  ManualEntryResultSchema,
  STAFF_CSRF_HEADER,
  StaffSessionInfoSchema,
  type AgentError,
  type ManualEntry,
  type ManualEntryResult,
  type StaffSessionInfo,
} from '@kiosk/protocol';

export type { ManualEntry, ManualEntryResult, StaffSessionInfo };
export type ApiReply<T> = { ok: true; data: T } | { ok: false; error: AgentError };

/** The protocol's schemas as this client uses them: parse what arrived, or say it is not that. */
interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}
const NOTHING: Schema<null> = { safeParse: () => ({ success: true, data: null }) };

/**
 * The console's HTTP calls: same origin, the session cookie travels by itself, writes carry the CSRF
 * token. Every answer is checked against the protocol's schema: a reply the console cannot read is an
 * error value, never a half-drawn screen.
 */
export function createApi(csrf: () => string | undefined) {
  async function call<T>(schema: Schema<T>, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply<T>> {
    const token = csrf();
    let json: unknown;
    try {
      const res = await fetch(`/staff/api${path}`, {
        method,
        credentials: 'same-origin',
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { [STAFF_CSRF_HEADER]: token } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      json = await res.json();
    } catch {
      return { ok: false, error: agentError('INTERNAL', 'No answer from the agent') };
    }
    const reply = json as { ok?: unknown; data?: unknown; error?: unknown } | null;
    if (reply?.ok === true) {
      const data = schema.safeParse(reply.data);
      if (data.success) return { ok: true, data: data.data };
    } else if (reply?.ok === false) {
      const error = AgentErrorSchema.safeParse(reply.error);
      if (error.success) return { ok: false, error: error.data };
    }
    return { ok: false, error: agentError('INTERNAL', 'Unreadable reply') };
  }
  return {
    session: () => call(StaffSessionInfoSchema, 'GET', '/session'),
    login: (username: string, password: string) => call(StaffSessionInfoSchema, 'POST', '/login', { username, password }),
    logout: () => call(NOTHING, 'POST', '/logout', {}),
    preview: (entry: ManualEntry) => call(ManualEntryResultSchema, 'POST', '/manual-entry/preview', entry),
    save: (entry: ManualEntry) => call(ManualEntryResultSchema, 'POST', '/manual-entry', entry),
    orcaAction: (type: 'orca-resend' | 'orca-cancel', sessionId: string, orcaPatientId?: string) =>
      call(NOTHING, 'POST', '/actions', { type, sessionId, ...(orcaPatientId ? { orcaPatientId } : {}) }),
  };
}
export type StaffApi = ReturnType<typeof createApi>;
