import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentOptions } from '../app.ts';
import { DEFAULT_RULES } from '../rules/table.ts';
import { runCommand } from './test-support.ts';
import start, { MOCK_DRIVER_MOVED, runStart } from './start.ts';

/** startAgent records what the command asked for and refuses, so `start` returns instead of serving. */
const started = vi.hoisted(() => [] as unknown[]);
vi.mock('../app.ts', () => ({
  startAgent: async (options: unknown) => {
    started.push(options);
    throw new Error('not started in this test');
  },
}));

afterEach(() => {
  vi.restoreAllMocks();
  started.length = 0;
});

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
    expect(r.err).toContain('pcsc, oqs, pcsc+oqs');
  });

  it('has no default driver: a clinic names one', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('name the driver with --driver (pcsc, oqs, pcsc+oqs)');
    expect(started).toHaveLength(0);
  });

  it('--driver mock says where the demonstration went', async () => {
    const r = await run(['--driver', 'mock', '--port', '8081']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(MOCK_DRIVER_MOVED);
    expect(started).toHaveLength(0);
  });
});

describe('kiosk-mock demo (the same options, the demonstration composition)', () => {
  const composed: unknown[] = [];
  const demo = (argv: string[]) =>
    runCommand({ run: (args) => runStart(args, async (options) => (composed.push(options), Promise.reject(new Error('not started')))) }, argv);
  afterEach(() => void (composed.length = 0));

  it('passes every start option through and never names a driver', async () => {
    const r = await demo(['--port', '8081', '--data-dir', '/tmp/k', '--e-prescription']);
    expect(r.err).toContain('could not start: not started');
    expect(composed).toEqual([expect.objectContaining({ port: 8081, dataDir: '/tmp/k', clinic: expect.objectContaining({ ePrescription: true }) })]);
    expect(composed[0]).not.toHaveProperty('driver');
  });

  it('refuses --driver: the demonstration always runs on the mock reader', async () => {
    const r = await demo(['--driver', 'pcsc']);
    expect(r.code).toBe(2);
    expect(composed).toHaveLength(0);
  });
});

describe('kiosk-agent start reader options (pcsc)', () => {
  const pcscOptions = async (argv: string[]) => {
    const r = await run(['--driver', 'pcsc', ...argv]);
    expect(r.err).toContain('could not start: not started in this test');
    expect(started).toHaveLength(1);
    return (started[0] as AgentOptions).pcsc;
  };

  it("--reader-prefer, repeatable, becomes the driver's reader preference in the order given", async () => {
    expect(await pcscOptions(['--reader-prefer', 'SONY', '--reader-prefer', 'ACS'])).toEqual({ readerPrefer: ['SONY', 'ACS'] });
  });

  it('beside --reader, the allow-list', async () => {
    expect(await pcscOptions(['--reader', 'ACS', '--reader', 'SONY', '--reader-prefer', 'SONY'])).toEqual({
      readerAllow: ['ACS', 'SONY'],
      readerPrefer: ['SONY'],
    });
  });

  it('neither: no reader options', async () => {
    expect(await pcscOptions([])).toEqual({});
  });

  it('is listed in the help', async () => {
    expect((await run(['--help'])).out).toContain('--reader-prefer NAME');
  });
});

describe('kiosk-agent start terminal options (oqs)', () => {
  const oqsOptions = async (argv: string[]) => {
    const r = await run(['--driver', 'oqs', '--oqs-dir', '/mnt/oqs', '--institution-code', '1310000001', ...argv]);
    expect(r.err).toContain('could not start: not started in this test');
    return (started[0] as AgentOptions).oqs;
  };

  it("the three folders under --oqs-dir, and no archive: the terminal's files are left where they are", async () => {
    expect(await oqsOptions([])).toEqual({
      faceDir: '/mnt/oqs/face',
      reqDir: '/mnt/oqs/req',
      resDir: '/mnt/oqs/res',
      institutionCode: '1310000001',
      encoding: 'auto',
    });
  });

  it('--oqs-archive-dir moves processed face files there', async () => {
    expect(await oqsOptions(['--oqs-archive-dir', '/srv/kiosk/face-done'])).toMatchObject({ archiveDir: '/srv/kiosk/face-done' });
  });
});

describe('kiosk-agent start rules options', () => {
  const rulesFile = (content: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'rules.json');
    writeFileSync(file, content);
    return file;
  };

  it('--rules loads the clinic override and names the file and fields it sets', async () => {
    const file = rulesFile(JSON.stringify({ temporaryHandling: { lastDay: '2026-09-30' } }));
    const r = await run(['--driver', 'pcsc', '--rules', file, '--rules-max-age-days', '60']);
    expect(r.err).toContain('could not start: not started in this test');
    const options = started[0] as AgentOptions;
    expect(options.rules?.table.temporaryHandling.lastDay).toBe('2026-09-30');
    expect(options.rules?.override).toEqual({ file, fields: ['temporaryHandling.lastDay'] });
    expect(options.rulesMaxAgeDays).toBe(60);
  });

  it('without --rules: the table as released, no override', async () => {
    await run(['--driver', 'pcsc']);
    expect((started[0] as AgentOptions).rules).toEqual({ table: DEFAULT_RULES });
  });

  it.each([
    ['an unreadable file', ['--rules', '/nonexistent/rules.json'], '--rules: cannot read JSON'],
    ['a bad date in the file', ['--rules', 'BAD_DATE'], 'temporaryHandling.lastDay'],
    ['a zero age', ['--rules-max-age-days', '0'], '--rules-max-age-days must be a whole number'],
  ])('refuses %s with exit 2 before starting', async (_, argv, message) => {
    const args = argv.map((a) => (a === 'BAD_DATE' ? rulesFile('{"temporaryHandling":{"lastDay":"2026-02-30"}}') : a));
    const r = await run(['--driver', 'pcsc', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(started).toHaveLength(0);
  });
});
