import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/db.ts';
import { silentLogger } from '../logger.ts';
import { allowedHostnames, checkRequest, isLoopback } from './hosts.ts';
import { securityPolicy } from './index.ts';
import { createDeviceTokens } from './device-tokens.ts';

describe('host and origin checks', () => {
  const allowed = allowedHostnames('127.0.0.1');

  it('accepts our names and a same-origin Origin', () => {
    expect(checkRequest({ host: '127.0.0.1:8080' }, allowed)).toEqual({ ok: true });
    expect(checkRequest({ host: 'localhost:8080', origin: 'http://localhost:8080' }, allowed)).toEqual({ ok: true });
    expect(checkRequest({ host: '[::1]:8080', origin: 'http://[::1]:8080' }, allowed)).toEqual({ ok: true });
  });

  it('refuses a rebinding host name, a missing host, and cross-origin or opaque origins', () => {
    expect(checkRequest({ host: 'evil.example:8080' }, allowed)).toMatchObject({ ok: false, reason: 'host', status: 421 });
    expect(checkRequest({}, allowed)).toMatchObject({ ok: false, reason: 'host' });
    expect(checkRequest({ host: '127.0.0.1:8080', origin: 'http://evil.example' }, allowed)).toMatchObject({ ok: false, reason: 'origin' });
    expect(checkRequest({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:5173' }, allowed)).toMatchObject({ ok: false, reason: 'origin' });
    expect(checkRequest({ host: '127.0.0.1:8080', origin: 'null' }, allowed)).toMatchObject({ ok: false, reason: 'origin' });
    expect(checkRequest({ host: '127.0.0.1:8080', origin: 'file://127.0.0.1:8080' }, allowed)).toMatchObject({ ok: false, reason: 'origin' });
  });

  it("bound to every interface, accepts this PC's own addresses and configured names; bound to one, that one", () => {
    const everywhere = allowedHostnames('0.0.0.0', ['Kiosk-Agent.clinic.lan'], ['192.168.1.20', 'fe80::1']);
    expect(checkRequest({ host: '192.168.1.20:8443' }, everywhere)).toEqual({ ok: true });
    expect(checkRequest({ host: '[fe80::1]:8443' }, everywhere)).toEqual({ ok: true });
    expect(checkRequest({ host: 'kiosk-agent.clinic.lan:8443' }, everywhere)).toEqual({ ok: true });
    expect(checkRequest({ host: '0.0.0.0:8443' }, everywhere)).toMatchObject({ ok: false, reason: 'host' });
    const one = allowedHostnames('192.168.1.20', [], ['192.168.1.20', '10.0.0.7']);
    expect(checkRequest({ host: '192.168.1.20:8443' }, one)).toEqual({ ok: true });
    expect(checkRequest({ host: '10.0.0.7:8443' }, one)).toMatchObject({ ok: false, reason: 'host' });
  });

  it('knows loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.5', '::', 'example.com'].some(isLoopback)).toBe(false);
  });
});

describe('start-up policy', () => {
  it('binds loopback freely; another interface needs TLS and a device token', () => {
    const db = openDatabase(':memory:');
    const policy = (host: string, tls?: { certPath: string; keyPath: string }) => securityPolicy({ host, db, logger: silentLogger, ...(tls ? { tls } : {}) });
    expect(policy('127.0.0.1').checkStartup().ok).toBe(true);
    const noTls = policy('0.0.0.0').checkStartup();
    expect(noTls.ok || noTls.error.message).toMatch(/needs TLS/);
    const noToken = policy('0.0.0.0', { certPath: '/nonexistent/cert.pem', keyPath: '/nonexistent/key.pem' }).checkStartup();
    expect(noToken.ok || noToken.error.message).toMatch(/device token/);
    createDeviceTokens(db).register('kiosk-1', new Date());
    const unreadable = policy('0.0.0.0', { certPath: '/nonexistent/cert.pem', keyPath: '/nonexistent/key.pem' }).checkStartup();
    expect(unreadable.ok || unreadable.error.message).toMatch(/cannot be read \(ENOENT\)/);
  });

  it('device tokens verify only as registered', () => {
    const tokens = createDeviceTokens(openDatabase(':memory:'));
    const token = tokens.register('kiosk-1', new Date());
    expect(token.ok).toBe(true);
    expect(tokens.verify(token.ok ? token.value : '')).toBe('kiosk-1');
    expect(tokens.verify('nope')).toBeUndefined();
    expect(tokens.verify(42)).toBeUndefined();
    expect(tokens.register('kiosk-1', new Date())).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', message: 'that device name exists' } });
  });

  it('a database that cannot be written is said as such, not as a name that exists', () => {
    const db = openDatabase(':memory:');
    const tokens = createDeviceTokens(db);
    db.pragma('query_only = ON');
    expect(tokens.register('kiosk-2', new Date())).toMatchObject({ ok: false, error: { code: 'STORAGE_UNAVAILABLE' } });
  });
});
