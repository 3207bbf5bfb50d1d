import { STAFF_SESSION_COOKIE } from '@kiosk/protocol';

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    try {
      cookies[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // A malformed cookie value is ignored, not fatal.
    }
  }
  return cookies;
}

export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  return parseCookies(cookieHeader)[STAFF_SESSION_COOKIE];
}

/** HttpOnly (no script reads it), SameSite=Strict (no cross-site request carries it), Secure under TLS. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${STAFF_SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${STAFF_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
