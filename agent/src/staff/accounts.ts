import { fail, ok, type Result } from '@kiosk/protocol';
import type { Db } from '../storage/db.ts';
import { createStaffAccountStore } from '../storage/staff.ts';
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
  const stored = createStaffAccountStore(db);
  return {
    async add(username, password, at) {
      if (!USERNAME.test(username)) return fail('INPUT_INVALID', 'username: letters, digits, ".", "_" or "-" (1-64)');
      if (password.length < MIN_PASSWORD_LENGTH) return fail('INPUT_INVALID', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
      const hash = await hashPassword(password);
      const added = stored.insert(username, hash, at);
      return added === 'added' ? ok(undefined) : added === 'exists' ? fail('INPUT_INVALID', 'that username exists') : fail('STORAGE_UNAVAILABLE');
    },
    remove: (username) => ok(stored.remove(username)),
    list: () => stored.list(),
    count: () => stored.count(),
    async verify(username, password) {
      const hash = USERNAME.test(username) ? stored.passwordHash(username) : undefined;
      const matches = await verifyPassword(password, hash ?? (await decoyHash()));
      return hash !== undefined && matches ? ok(username) : fail('TRANSPORT_UNAUTHORIZED', 'Wrong username or password');
    },
  };
}
