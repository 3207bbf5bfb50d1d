import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from './test-support.ts';
import start from './start.ts';

afterEach(() => vi.restoreAllMocks());

const run = (argv: string[]) => runCommand(start, argv);

// Only the paths that end before the agent starts: no server, no reader.
describe('kiosk-agent start options', () => {
  it('lists the combined driver in the help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('pcsc+oqs');
  });

  it.each(['oqs', 'pcsc+oqs'])('--driver %s without the terminal folders is a usage error', async (driver) => {
    const r = await run(['--driver', driver, '--oqs-dir', '/mnt/oqs']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--institution-code');
  });

  it('refuses an unknown driver and names the choices', async () => {
    const r = await run(['--driver', 'oqs+pcsc']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('mock, pcsc, oqs, pcsc+oqs');
  });
});
