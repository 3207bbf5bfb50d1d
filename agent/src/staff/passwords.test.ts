import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/db.ts';
import { createStaffAccounts } from './accounts.ts';
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from './passwords.ts';

// scrypt is deliberately slow (32 MiB, N = 2^15): allow for a loaded machine.
const SLOW = 60_000;

describe('staff passwords', () => {
  it(
    'hashes with scrypt N >= 2^15 and a fresh salt per hash',
    async () => {
      const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
      expect(a.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
      expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 15);
      expect(a).not.toBe(b);
      expect(a).not.toContain('correct horse');
      expect(await verifyPassword('correct horse', a)).toBe(true);
      expect(await verifyPassword('correct horsf', a)).toBe(false);
      expect(await verifyPassword('x', 'garbage')).toBe(false);
    },
    SLOW,
  );

  it(
    'verifies accounts; unknown users and wrong passwords fail alike',
    async () => {
      const accounts = createStaffAccounts(openDatabase(':memory:'));
      expect((await accounts.add('desk1', 'short', new Date())).ok).toBe(false);
      expect((await accounts.add('bad name!', 'long enough pw', new Date())).ok).toBe(false);
      expect((await accounts.add('desk1', 'long enough pw', new Date())).ok).toBe(true);
      expect((await accounts.add('desk1', 'another password', new Date())).ok).toBe(false);
      expect(await accounts.verify('desk1', 'long enough pw')).toEqual({ ok: true, value: 'desk1' });
      const wrong = await accounts.verify('desk1', 'long enough pX');
      const unknown = await accounts.verify('nobody', 'long enough pw');
      expect(!wrong.ok && wrong.error).toEqual(!unknown.ok && unknown.error);
      expect(accounts.list().map((a) => a.username)).toEqual(['desk1']);
      expect(accounts.remove('desk1')).toEqual({ ok: true, value: true });
      expect((await accounts.verify('desk1', 'long enough pw')).ok).toBe(false);
    },
    SLOW,
  );
});
