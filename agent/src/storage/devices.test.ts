import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { createDeviceTokenStore } from './devices.ts';
import { StoredRowError } from './rows.ts';

const at = new Date('2025-10-01T01:00:00Z');

describe('the device tokens read back typed', () => {
  it('a taken name is told apart; the hashes listed for the comparison', () => {
    const devices = createDeviceTokenStore(openDatabase(':memory:'));
    expect(devices.insert('kiosk-1', 'aa', at)).toBe('added');
    expect(devices.insert('kiosk-1', 'bb', at)).toBe('exists');
    expect(devices.hashes()).toEqual([{ name: 'kiosk-1', tokenHash: 'aa' }]);
    expect(devices.list()).toEqual([{ name: 'kiosk-1', createdAt: at.toISOString() }]);
    expect(devices.count()).toBe(1);
    expect(devices.remove('kiosk-1')).toBe(true);
    expect(devices.count()).toBe(0);
  });

  it('a row that is not text where the schema says text is a typed error', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO security_device_tokens (name, token_hash, created_at) VALUES ('kiosk-1', X'AA', '2025-10-01')").run();
    expect(() => createDeviceTokenStore(db).hashes()).toThrow(StoredRowError);
  });
});
