import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentOptions } from '../app.ts';
import { DEFAULT_RULES } from '../rules/table.ts';
import { runCommand } from './cli.test-support.ts';
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

describe('kiosk-agent start --config FILE', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });
  const configFile = (settings: unknown) => {
    const file = join(dir, 'agent.json');
    writeFileSync(file, typeof settings === 'string' ? settings : JSON.stringify(settings));
    return file;
  };
  /** What start passed to the agent (startAgent is mocked and refuses). */
  const startedWith = async (argv: string[]): Promise<AgentOptions> => {
    const r = await run(argv);
    expect(r.err).toContain('could not start: not started in this test');
    return started[0] as AgentOptions;
  };
  const noEnv = () => {
    for (const name of ['KIOSK_PORT', 'KIOSK_DATA_DIR', 'KIOSK_RETENTION_DAYS', 'LOG_LEVEL']) vi.stubEnv(name, '');
  };

  it('every setting comes from the file; relative paths are relative to its folder', async () => {
    noEnv();
    const file = configFile({
      driver: 'oqs',
      port: 8443,
      host: '127.0.0.2',
      'data-dir': 'data',
      reader: ['ACS'],
      'reader-prefer': ['SONY'],
      'oqs-dir': '/mnt/oqs',
      'institution-code': '0110000001',
      'oqs-encoding': 'shift_jis',
      'oqs-archive-dir': 'done',
      'e-prescription': true,
      'consent-diagnosis': true,
      'consent-operation': false,
      'public-name': ['kiosk.clinic.example'],
      'retention-days': 30,
    });
    expect(await startedWith(['--config', file])).toMatchObject({
      driver: 'oqs',
      port: 8443,
      host: '127.0.0.2',
      dataDir: join(dir, 'data'),
      pcsc: { readerAllow: ['ACS'], readerPrefer: ['SONY'] },
      oqs: { faceDir: '/mnt/oqs/face', institutionCode: '0110000001', encoding: 'shift_jis', archiveDir: join(dir, 'done') },
      clinic: { ePrescription: true, consentDiagnosis: true, consentOperation: false },
      publicNames: ['kiosk.clinic.example'],
      retentionDays: 30,
    });
  });

  // One row per source that gives the value: the command line over the environment over the file over the default.
  it.each([
    { cli: '3333', env: '2222', file: 1111, port: 3333 },
    { cli: undefined, env: '2222', file: 1111, port: 2222 },
    { cli: undefined, env: undefined, file: 1111, port: 1111 },
    { cli: undefined, env: undefined, file: undefined, port: 8080 },
    { cli: '3333', env: 'not a port', file: 1111, port: 3333 },
  ])('port: command line $cli, KIOSK_PORT $env, file $file → $port', async ({ cli, env, file, port }) => {
    noEnv();
    if (env !== undefined) vi.stubEnv('KIOSK_PORT', env);
    const config = configFile({ driver: 'pcsc', ...(file !== undefined ? { port: file } : {}) });
    expect((await startedWith(['--config', config, ...(cli !== undefined ? ['--port', cli] : [])])).port).toBe(port);
  });

  it('the same order for the data folder, the retention and lists (a list on the command line replaces the file’s)', async () => {
    noEnv();
    vi.stubEnv('KIOSK_DATA_DIR', '/from/env');
    vi.stubEnv('KIOSK_RETENTION_DAYS', '7');
    const config = configFile({ driver: 'pcsc', 'data-dir': '/from/file', 'retention-days': 30, reader: ['FILE'] });
    expect(await startedWith(['--config', config, '--reader', 'CLI'])).toMatchObject({
      dataDir: '/from/env',
      retentionDays: 7,
      pcsc: { readerAllow: ['CLI'] },
    });
    started.length = 0;
    expect(await startedWith(['--config', config, '--data-dir', '/from/cli', '--retention-days', '0'])).toMatchObject({
      dataDir: '/from/cli',
      retentionDays: 0,
    });
  });

  it.each([
    [{ driver: 'pcsc', prot: 8080 }, 'unknown key "prot"'],
    [{ driver: 'pcsc', port: '8080' }, '"port" must be a number from 0 to 65535'],
    [{ driver: 'pcsc', port: 70000 }, '"port" must be a number from 0 to 65535'],
    [{ driver: 'oqs', 'oqs-dir': '/mnt/oqs', 'institution-code': 1310000001 }, '"institution-code" must be the 10-digit 医療機関コード'],
    [{ driver: 'pcsc', 'e-prescription': 'yes' }, '"e-prescription" must be true or false'],
    [{ driver: 'pcsc', reader: 'ACS' }, '"reader" must be a list of non-empty texts'],
    [{ driver: 'pcsc', 'oqs-encoding': 'sjis' }, '"oqs-encoding" must be auto, utf-8 or shift_jis'],
    [{ driver: 'pcsc', 'retention-days': -1 }, '"retention-days" must be a whole number of days'],
    ['{"driver": "pcsc",', 'is not JSON'],
    ['["pcsc"]', 'must be a JSON object'],
  ])('refuses %j: exit 2 naming the key', async (settings, message) => {
    noEnv();
    const r = await run(['--config', configFile(settings)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`configuration file ${join(dir, 'agent.json')}`);
    expect(r.err).toContain(message);
    expect(started).toHaveLength(0);
  });

  it('a bad environment value or option is refused naming it', async () => {
    noEnv();
    vi.stubEnv('KIOSK_RETENTION_DAYS', 'ninety');
    expect(await run(['--driver', 'pcsc'])).toMatchObject({
      code: 2,
      err: 'kiosk-agent: KIOSK_RETENTION_DAYS must be a whole number of days (0 turns the purge off)',
    });
    expect(await run(['--driver', 'pcsc', '--retention-days', '1.5'])).toMatchObject({ code: 2, err: expect.stringContaining('--retention-days must be') });
    expect(await run(['--driver', 'pcsc', '--port', 'http'])).toMatchObject({ code: 2, err: 'kiosk-agent: --port must be a number from 0 to 65535' });
    expect(await run(['--driver', 'pcsc', '--no-such-option'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--no-such-option'") });
    expect(started).toHaveLength(0);
  });

  it('a missing file is refused', async () => {
    const r = await run(['--driver', 'pcsc', '--config', join(dir, 'none.json')]);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('none.json cannot be read: ENOENT') });
  });

  it('"driver" in the file is refused by the demonstration like --driver', async () => {
    const r = await runCommand({ run: (args) => runStart(args, () => Promise.reject(new Error('not started'))) }, ['--config', configFile({ driver: 'pcsc' })]);
    expect(r.code).toBe(2);
  });

  it('deploy/agent.example.json is a valid configuration', async () => {
    noEnv();
    const example = fileURLToPath(new URL('../../../deploy/agent.example.json', import.meta.url));
    expect(await startedWith(['--config', example])).toMatchObject({ driver: 'pcsc+oqs', port: 8080 });
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
