import type { ManualEntry, ManualEntryResult, ReviewAlert, StaffBoard, StaffSessionInfo } from '@kiosk/protocol';

export type { ManualEntry, ManualEntryResult, ReviewAlert, StaffBoard, StaffSessionInfo };
export type ApiReply<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** The console's HTTP calls: same origin, the session cookie travels by itself, writes carry the CSRF token. */
export function createApi(csrf: () => string | undefined) {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply<T>> {
    const token = csrf();
    const res = await fetch(`/staff/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { 'x-csrf-token': token } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    try {
      return (await res.json()) as ApiReply<T>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: `HTTP ${res.status}` } };
    }
  }
  return {
    session: () => call<StaffSessionInfo>('GET', '/session'),
    login: (username: string, password: string) => call<StaffSessionInfo>('POST', '/login', { username, password }),
    logout: () => call<null>('POST', '/logout', {}),
    board: () => call<StaffBoard>('GET', '/board'),
    action: (type: string, sessionId: string | null, alertId: string) => call<null>('POST', '/actions', { type, alertId, ...(sessionId ? { sessionId } : {}) }),
    orcaAction: (type: 'orca-resend' | 'orca-cancel', sessionId: string, orcaPatientId?: string) =>
      call<null>('POST', '/actions', { type, sessionId, ...(orcaPatientId ? { orcaPatientId } : {}) }),
    preview: (entry: ManualEntry) => call<ManualEntryResult>('POST', '/manual-entry/preview', entry),
    save: (entry: ManualEntry) => call<ManualEntryResult>('POST', '/manual-entry', entry),
  };
}
export type StaffApi = ReturnType<typeof createApi>;
