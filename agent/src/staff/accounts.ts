import { fail, ok, type Result } from '@kiosk/protocol';
import type { Db } from '../storage/db.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';

/** Usernames: letters, digits and . _ - (they appear in the audit trail, so no free text). */
export const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
export const MIN_PASSWORD_LENGTH = 10;

export interface StaffAccounts {
  add(username: string, password: string, at: Date): Promise<Result<void>>;
  remove(username: string): Result<boolean>;
  list(): Array<{ username: string; createdAt: string }>;
  count(): number;
  /** ok(username) when the password matches an enabled account; TRANSPORT_UNAUTHORIZED otherwise (same for unknown users). */
  verify(username: string, password: string): Promise<Result<string>>;
}

export function createStaffAccounts(db: Db): StaffAccounts {
  const select = db.prepare('SELECT password_hash FROM staff_accounts WHERE username = ? AND disabled = 0');
  return {
    async add(username, password, at) {
      if (!USERNAME.test(username)) return fail('INPUT_INVALID', 'username: letters, digits, ".", "_" or "-" (1-64)');
      if (password.length < MIN_PASSWORD_LENGTH) return fail('INPUT_INVALID', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
      const hash = await hashPassword(password);
      try {
        db.prepare('INSERT INTO staff_accounts (username, password_hash, created_at) VALUES (?, ?, ?)').run(username, hash, at.toISOString());
        return ok(undefined);
      } catch (error) {
        const code = (error as { code?: string }).code;
        return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ? fail('INPUT_INVALID', 'that username exists') : fail('STORAGE_UNAVAILABLE');
      }
    },
    remove: (username) => ok(db.prepare('DELETE FROM staff_accounts WHERE username = ?').run(username).changes === 1),
    list: () =>
      db.prepare('SELECT username, created_at AS createdAt FROM staff_accounts ORDER BY username').all() as Array<{ username: string; createdAt: string }>,
    count: () => (db.prepare('SELECT COUNT(*) AS n FROM staff_accounts').get() as { n: number }).n,
    async verify(username, password) {
      const row = USERNAME.test(username) ? (select.get(username) as { password_hash: string } | undefined) : undefined;
      const matches = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
      return row && matches ? ok(username) : fail('TRANSPORT_UNAUTHORIZED', 'Wrong username or password');
    },
  };
}
