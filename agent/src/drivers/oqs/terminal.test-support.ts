import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { INSTITUTION_CODE } from '@kiosk/mocks/terminal/fixtures.ts';
import { startMockTerminal, type MockTerminal } from '@kiosk/mocks/terminal/terminal.ts';
import { parseOqsConfig, type OqsConfig, type OqsConfigInput } from './config.ts';

/** A temp folder with a mock terminal and a fast-polling config pointing at it (tests only). */
export async function terminalFixture(overrides: Partial<OqsConfigInput> = {}): Promise<{
  dir: string;
  terminal: MockTerminal;
  config: OqsConfig;
  cleanup(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'oqs-'));
  const terminal = await startMockTerminal({ dir, delayMs: 30, pollMs: 20 });
  const parsed = parseOqsConfig({
    faceDir: terminal.faceDir,
    reqDir: terminal.reqDir,
    resDir: terminal.resDir,
    institutionCode: INSTITUTION_CODE,
    pollIntervalMs: 40,
    stableMs: 120,
    faceTimeoutMs: 8000,
    inquiryTimeoutMs: 8000,
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return {
    dir,
    terminal,
    config: parsed.value,
    async cleanup() {
      await terminal.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the check passes (the folder watcher works on real time). */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}
