import { z } from 'zod';
import { insertRow, type Db } from './db.ts';
import { CountRow, parseRow, parseRows } from './rows.ts';

/** The registered kiosk devices (security_device_tokens in storage/schema.ts): a name and the hash of its token. */
export interface DeviceTokenStore {
  /** 'exists' when the name (or, never in practice, the token) is taken; 'unavailable' when the row cannot be written. */
  insert(name: string, tokenHash: string, at: Date): 'added' | 'exists' | 'unavailable';
  remove(name: string): boolean;
  list(): Array<{ name: string; createdAt: string }>;
  count(): number;
  /** Every device with its token hash (hex), for the caller's constant-time comparison. */
  hashes(): Array<{ name: string; tokenHash: string }>;
}

const DeviceRow = z.object({ name: z.string(), created_at: z.string() }).transform((r) => ({ name: r.name, createdAt: r.created_at }));
const HashRow = z.object({ name: z.string(), token_hash: z.string() }).transform((r) => ({ name: r.name, tokenHash: r.token_hash }));

export function createDeviceTokenStore(db: Db): DeviceTokenStore {
  const insert = db.prepare('INSERT INTO security_device_tokens (name, token_hash, created_at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM security_device_tokens WHERE name = ?');
  const list = db.prepare('SELECT name, created_at FROM security_device_tokens ORDER BY name');
  const count = db.prepare('SELECT COUNT(*) AS n FROM security_device_tokens');
  const hashes = db.prepare('SELECT name, token_hash FROM security_device_tokens');
  return {
    insert: (name, tokenHash, at) => insertRow(() => insert.run(name, tokenHash, at.toISOString())),
    remove: (name) => remove.run(name).changes === 1,
    list: () => parseRows('security_device_tokens', DeviceRow, list.all()),
    count: () => parseRow('security_device_tokens', CountRow, count.get()).n,
    hashes: () => parseRows('security_device_tokens', HashRow, hashes.all()),
  };
}
