import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockOrca, type MockOrca } from '@kiosk/mocks/orca/index.ts';
import orca from './orca.ts';

const PASSWORD = 'check-Secret-9';
let mock: MockOrca;
let dir: string;
let file: string;

beforeAll(async () => {
  mock = await startMockOrca({ password: PASSWORD, physicians: { '10001': '試験　一', '10002': '試験　二' } });
  dir = mkdtempSync(join(tmpdir(), 'kiosk-orca-check-'));
  file = join(dir, 'password');
  writeFileSync(file, `${PASSWORD}\n`);
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `kiosk-agent orca check …` and returns its exit code and everything it printed. */
async function check(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  try {
    const code = await orca.run(['check', ...args]);
    return { code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('kiosk-agent orca check', () => {
  const base = () => ['--orca-url', mock.url, '--orca-user', 'ormaster', '--orca-password-file', file];

  it('0 when ORCA answers, takes the user and knows both codes', async () => {
    const { code, out } = await check(...base(), '--orca-department', '01', '--orca-physician', '10002');
    expect(code).toBe(0);
    expect(out).toContain('ok: 診療科 01 内科');
    expect(out).toContain('ok: ドクター 10002 試験　二');
    expect(out).not.toContain(PASSWORD);
  });

  it('1 naming the problem: wrong password, unknown codes, several physicians and none named, ORCA down', async () => {
    writeFileSync(join(dir, 'wrong'), 'nope\n');
    const wrong = await check('--orca-url', mock.url, '--orca-user', 'ormaster', '--orca-password-file', join(dir, 'wrong'));
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.out).toContain('ORCA refused the user or password (HTTP 401)');
    const codes = await check(...base(), '--orca-department', '99', '--orca-physician', '77777');
    expect(codes.code).toBe(1);
    expect(codes.out).toContain('problem: 診療科 99 is not registered in ORCA');
    expect(codes.out).toContain('problem: ドクター 77777 is not registered in ORCA');
    expect((await check(...base())).out).toContain('ORCA has 2 ドクター (10001 試験　一, 10002 試験　二): name one with --orca-physician');
    await mock.stop();
    try {
      const down = await check(...base());
      expect(down.code).toBe(1);
      expect(down.out).toMatch(/problem: ORCA at 127.0.0.1:\d+ cannot be reached/);
    } finally {
      await mock.start();
    }
  });

  it('2 for usage: no URL, a URL with credentials in it, a user without a password file', async () => {
    expect((await check()).code).toBe(2);
    expect((await check('--orca-url', 'http://ormaster:pw@host:8000', '--orca-user', 'x', '--orca-password-file', file)).code).toBe(2);
    const missing = await check('--orca-url', mock.url, '--orca-user', 'ormaster');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.out).toContain('--orca-url needs --orca-user and --orca-password-file');
    expect((await check('--orca-user', 'x')).out).toContain('--orca-user goes with --orca-url');
  });
});
