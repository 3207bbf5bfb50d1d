import { describe, expect, it } from 'vitest';
import type { DriverStatus, ReaderInfo } from '@kiosk/protocol';
import { systemAlerts } from './board.ts';

const since = '2026-11-22T09:00:00.000+09:00';
const reader = (name: string, driver: ReaderInfo['driver'], state: ReaderInfo['state']): ReaderInfo => ({ name, driver, state });
const kinds = (status: DriverStatus) => systemAlerts(status, since).map((alert) => alert.kind);

describe('reader and terminal alerts', () => {
  it('none while everything works', () => {
    expect(kinds({ driver: 'pcsc', service: 'ok', readers: [reader('ACR39U', 'pcsc', 'empty')] })).toEqual([]);
  });

  it('a card reader service down, or a 資格確認端末 down, by the driver that reports it', () => {
    expect(kinds({ driver: 'pcsc', service: 'unavailable', readers: [] })).toEqual(['reader-down']);
    expect(kinds({ driver: 'oqs', service: 'unavailable', readers: [] })).toEqual(['terminal-down']);
  });

  it('with pcsc+oqs, tells which part is down while the other keeps the kiosk running', () => {
    const both = (pcsc: ReaderInfo['state'], oqs: ReaderInfo['state'], service: DriverStatus['service'] = 'ok'): DriverStatus => ({
      driver: 'pcsc+oqs',
      service,
      readers: [reader('ACR39U', 'pcsc', pcsc), reader('oqs service', 'oqs', oqs)],
    });
    expect(kinds(both('present', 'unavailable'))).toEqual(['terminal-down']);
    expect(kinds(both('unavailable', 'present'))).toEqual(['reader-down']);
    expect(kinds(both('unavailable', 'unavailable', 'unavailable')).sort()).toEqual(['reader-down', 'terminal-down']);
  });

  it('no reader plugged into a working PC/SC service', () => {
    expect(kinds({ driver: 'pcsc', service: 'ok', readers: [] })).toEqual(['no-reader']);
  });
});
