import { describe, expect, it, vi } from 'vitest';
import { deviceToken } from './device-token.ts';

function memory(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe("a remote kiosk's device token", () => {
  it('comes from the URL fragment, is kept for reloads and taken out of the address', () => {
    const storage = memory();
    const history = { replaceState: vi.fn() };
    expect(deviceToken({ hash: '#device=abc_DEF-123', pathname: '/', search: '?lang=ja' }, storage, history)).toBe('abc_DEF-123');
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/?lang=ja');
    expect(deviceToken({ hash: '', pathname: '/', search: '' }, storage, history)).toBe('abc_DEF-123');
  });

  it('is absent on the agent’s own PC (no fragment, nothing kept)', () => {
    const history = { replaceState: vi.fn() };
    expect(deviceToken({ hash: '', pathname: '/', search: '' }, memory(), history)).toBeUndefined();
    expect(deviceToken({ hash: '#other=1', pathname: '/', search: '' }, memory(), history)).toBeUndefined();
    expect(history.replaceState).not.toHaveBeenCalled();
  });
});
