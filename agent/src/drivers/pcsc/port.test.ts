import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('pcsclite');
  vi.resetModules();
});

describe('loadPcscPort', () => {
  it('turns a missing native module into READER_DRIVER_UNAVAILABLE with the install hint, without throwing', async () => {
    vi.doMock('pcsclite', () => {
      throw new Error("Cannot find module 'pcsclite'\nRequire stack: …");
    });
    const { INSTALL_HINT, loadPcscPort } = await import('./port.ts');
    const loaded = await loadPcscPort();
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.code).toBe('READER_DRIVER_UNAVAILABLE');
    expect(loaded.error.message).toContain(INSTALL_HINT);
    // One line: the module's require stack stays out of logs and the kiosk's error.
    expect(loaded.error.message).not.toContain('Require stack');
  });
});
