import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DriverStatus } from '@kiosk/protocol';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../storage/schema.ts';
import { japanDate } from '../clock.ts';
import { DEFAULT_RULES } from '../rules/table.ts';
import { acquireDataFolderLock, LOCK_FILE, recordLastBackup } from '../storage/data-folder.ts';
import { openDatabase } from '../storage/db.ts';
import {
  checkBackup,
  checkDatabase,
  checkDataFolder,
  checkDisk,
  checkLock,
  checkOqsClock,
  checkOqsFolders,
  checkPcsc,
  checkPort,
  checkRules,
  checkTls,
  checkTrustAnchors,
  checkUiBundle,
  probePort,
  runDoctor,
  type DoctorDeps,
} from './doctor.ts';
import { runCommand } from './cli.test-support.ts';

const DAY = 86_400_000;
const MIB = 1024 * 1024;
let root: string;
const servers: Server[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiosk-doctor-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  rmSync(root, { recursive: true, force: true });
});

const folder = (...parts: string[]) => {
  const path = join(root, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
};
/** A data folder with the agent's database, as a started agent leaves it. */
function dataFolder(): string {
  const dir = folder('data');
  const db = openDatabase(join(dir, 'kiosk.sqlite'));
  db.close();
  return dir;
}

describe('doctor: data folder', () => {
  it('ok: writable', () => expect(checkDataFolder(folder('data'))).toMatchObject({ status: 'ok' }));
  it('warn: not created yet', () =>
    expect(checkDataFolder(join(root, 'none'))).toMatchObject({ status: 'warn', todo: expect.stringContaining('first start') }));
  it('fail: not a folder', () => {
    writeFileSync(join(root, 'file'), '');
    expect(checkDataFolder(join(root, 'file'))).toMatchObject({ status: 'fail', detail: expect.stringContaining('not a folder') });
  });
  it('fail: the database belongs to someone else (left by a backup or restore run as another user)', () => {
    const dir = dataFolder();
    const file = join(dir, 'kiosk.sqlite');
    if (process.getuid?.() === 0) chownSync(file, 4242, 4242);
    else chmodSync(file, 0o400);
    expect(checkDataFolder(dir)).toMatchObject({ status: 'fail', todo: expect.stringContaining(`chown myna-kiosk: ${file}`) });
  });
});

it.runIf(process.getuid?.() === 0)('doctor: run as another user than the data folder’s owner: data folder fails, the database is not opened', () => {
  const dir = dataFolder();
  rmSync(join(dir, 'kiosk.sqlite-wal'), { force: true });
  rmSync(join(dir, 'kiosk.sqlite-shm'), { force: true });
  chownSync(dir, 4242, 4242);
  expect(checkDataFolder(dir)).toMatchObject({ status: 'fail', todo: expect.stringContaining('sudo -u myna-kiosk') });
  expect(checkDatabase(dir)).toMatchObject({ status: 'warn', detail: expect.stringContaining('not opened') });
  expect(readdirSync(dir)).toEqual(['kiosk.sqlite']);
});

describe('doctor: lock', () => {
  it('ok: free, or held by a live agent (named)', () => {
    const dir = folder('data');
    expect(checkLock(dir)).toMatchObject({ status: 'ok', detail: 'no agent uses the data folder' });
    const taken = acquireDataFolderLock(dir);
    expect(checkLock(dir)).toMatchObject({ status: 'ok', detail: expect.stringContaining(`pid ${process.pid}`) });
    if (taken.ok) taken.lock.release();
  });
  it('warn: stale (taken over at the next start)', () => {
    const dir = folder('data');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 1, since: '2026-01-01T00:00:00Z' }));
    expect(checkLock(dir)).toMatchObject({ status: 'warn', todo: expect.stringContaining('takes it over') });
  });
});

describe('doctor: database', () => {
  it('ok: integrity and the schema of this release', () => {
    expect(checkDatabase(dataFolder())).toMatchObject({ status: 'ok', detail: expect.stringContaining(`schema ${SCHEMA_VERSION}`) });
  });
  it('warn: written by an earlier release (migrated at the next start), or none yet', () => {
    const dir = folder('old');
    // A release before the one schema: its tables, schema version 0.
    const db = new Database(join(dir, 'kiosk.sqlite'));
    db.exec('CREATE TABLE checkins (session_id TEXT PRIMARY KEY)');
    db.close();
    expect(checkDatabase(dir)).toMatchObject({ status: 'warn', todo: expect.stringContaining('migrates it at its next start') });
    expect(checkDatabase(folder('empty'))).toMatchObject({ status: 'warn', detail: expect.stringContaining('no database') });
  });
  it('fail: damaged, or newer than this release', () => {
    const dir = folder('bad');
    writeFileSync(join(dir, 'kiosk.sqlite'), 'garbage '.repeat(1000));
    expect(checkDatabase(dir)).toMatchObject({ status: 'fail', todo: expect.stringContaining('kiosk-agent restore') });
    expect(checkDatabase(dataFolder(), SCHEMA_VERSION - 1)).toMatchObject({ status: 'fail', detail: expect.stringContaining('newer release') });
  });
});

describe('doctor: disk', () => {
  it.each([
    [5000 * MIB, 'ok'],
    [500 * MIB, 'warn'],
    [50 * MIB, 'fail'],
  ])('%d bytes free: %s', (free, status) => {
    const seen: string[] = [];
    expect(checkDisk(join(root, 'not', 'yet'), (path) => (seen.push(path), free))).toMatchObject({ status });
    // Measured on the folder that exists.
    expect(seen).toEqual([root]);
  });
  it('measures the real file system by default', () => expect(checkDisk(root).detail).toMatch(/^\d+ MiB free for /));
});

describe('doctor: pcscd and readers', () => {
  const status = (s: Partial<DriverStatus>): DriverStatus => ({ driver: 'pcsc', service: 'ok', readers: [], ...s });
  it('ok: the readers pcscd sees', () => {
    expect(checkPcsc(status({ readers: [{ name: 'SONY FeliCa RC-S300', driver: 'pcsc', state: 'empty' }] }))).toMatchObject({
      status: 'ok',
      detail: 'readers: "SONY FeliCa RC-S300" (empty)',
    });
  });
  it('fail: pcscd not reachable, or no reader', () => {
    expect(checkPcsc(status({ service: 'unavailable', detail: 'pcscd is not running' }))).toMatchObject({
      status: 'fail',
      todo: expect.stringContaining('pcscd.socket'),
    });
    expect(checkPcsc(status({}))).toMatchObject({ status: 'fail', todo: expect.stringContaining('connect the reader') });
  });
});

describe('doctor: the 資格確認端末 folders and clock', () => {
  const share = () => ({ faceDir: folder('oqs', 'face'), reqDir: folder('oqs', 'req'), resDir: folder('oqs', 'res'), institutionCode: '1310000001' });
  it('ok: face, req and res reachable', () => expect(checkOqsFolders(share())).toMatchObject({ status: 'ok' }));
  it('fail: a folder missing (the share not mounted), named', () => {
    const oqs = { ...share(), reqDir: join(root, 'oqs', 'request') };
    expect(checkOqsFolders(oqs)).toMatchObject({ status: 'fail', detail: expect.stringContaining(`req ${oqs.reqDir}: not writable (ENOENT)`) });
  });
  it('clock: ok for a face file in the past; warn for one dated ahead of this clock; fail when the folder cannot be listed', () => {
    const face = folder('face');
    const now = new Date('2026-03-02T09:00:00Z');
    expect(checkOqsClock(face, now)).toMatchObject({ status: 'ok', detail: expect.stringContaining('no face file') });
    writeFileSync(join(face, 'a.xml'), '');
    utimesSync(join(face, 'a.xml'), new Date(now.getTime() - 600_000), new Date(now.getTime() - 600_000));
    expect(checkOqsClock(face, now)).toMatchObject({ status: 'ok', detail: 'newest face file 10 min old' });
    utimesSync(join(face, 'a.xml'), new Date(now.getTime() + 900_000), new Date(now.getTime() + 900_000));
    expect(checkOqsClock(face, now)).toMatchObject({ status: 'warn', detail: expect.stringContaining('15 min after'), todo: expect.stringContaining('NTP') });
    expect(checkOqsClock(join(root, 'gone'), now)).toMatchObject({ status: 'fail' });
  });
});

describe('doctor: trust anchors', () => {
  it('ok: the shipped ones load', () => expect(checkTrustAnchors([])).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^\d+ certificates load/) }));
  it('fail: an extra file that is not a certificate, or missing', () => {
    writeFileSync(join(root, 'bad.pem'), 'not a certificate');
    expect(checkTrustAnchors([join(root, 'bad.pem')])).toMatchObject({ status: 'fail' });
    expect(checkTrustAnchors([join(root, 'none.pem')])).toMatchObject({ status: 'fail', detail: expect.stringContaining('ENOENT') });
  });
});

describe('doctor: rules edition', () => {
  const checkedOn = DEFAULT_RULES.edition.checkedOn;
  const dayAfter = (days: number) => new Date(Date.parse(`${checkedOn}T12:00:00+09:00`) + days * DAY).toISOString().slice(0, 10);
  it('ok within the age limit; warn past it', () => {
    expect(checkRules({ table: DEFAULT_RULES }, 120, dayAfter(10))).toMatchObject({ status: 'ok', detail: expect.stringContaining('10 days ago') });
    expect(checkRules({ table: DEFAULT_RULES }, 120, dayAfter(121))).toMatchObject({ status: 'warn', todo: expect.stringContaining('newer notices') });
  });
});

describe('doctor: TLS certificate', () => {
  const now = new Date('2026-03-02T00:00:00Z');
  /** A self-signed certificate valid until `notAfter`, and its key. */
  function certificate(notAfter: Date): { cert: string; key: string } {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const forgeKey = forge.pki.privateKeyFromPem(key) as forge.pki.rsa.PrivateKey;
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(now.getTime() - 365 * DAY);
    cert.validity.notAfter = notAfter;
    cert.setSubject([{ name: 'commonName', value: 'kiosk.clinic.example' }]);
    cert.setIssuer([{ name: 'commonName', value: 'kiosk.clinic.example' }]);
    cert.sign(forgeKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key };
  }
  const files = (pem: { cert: string; key: string }, keyPem = pem.key) => {
    writeFileSync(join(root, 'cert.pem'), pem.cert);
    writeFileSync(join(root, 'key.pem'), keyPem);
    return { host: '0.0.0.0', 'tls-cert': join(root, 'cert.pem'), 'tls-key': join(root, 'key.pem') };
  };

  it('ok: loopback without TLS, or a certificate valid for months', () => {
    expect(checkTls({ host: '127.0.0.1' }, now)).toMatchObject({ status: 'ok' });
    expect(checkTls(files(certificate(new Date(now.getTime() + 200 * DAY))), now)).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('(200 days)'),
    });
  });
  it('warn: expires within 30 days', () => {
    expect(checkTls(files(certificate(new Date(now.getTime() + 10 * DAY))), now)).toMatchObject({ status: 'warn', todo: expect.stringContaining('renew') });
  });
  it('fail: expired, the wrong key, or beyond loopback without TLS', () => {
    expect(checkTls(files(certificate(new Date(now.getTime() - DAY))), now)).toMatchObject({ status: 'fail', todo: expect.stringContaining('renew') });
    const other = certificate(new Date(now.getTime() + 200 * DAY));
    expect(checkTls(files(certificate(new Date(now.getTime() + 200 * DAY)), other.key), now)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('is not the key'),
    });
    expect(checkTls({ host: '0.0.0.0' }, now)).toMatchObject({ status: 'fail', detail: expect.stringContaining('refuses to start') });
  });
});

describe('doctor: kiosk UI bundle', () => {
  it('ok with index.html and staff.html; fail without', () => {
    const ui = folder('ui');
    expect(checkUiBundle(ui)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('index.html and staff.html'),
      todo: expect.stringContaining('npm run build'),
    });
    writeFileSync(join(ui, 'index.html'), '');
    writeFileSync(join(ui, 'staff.html'), '');
    expect(checkUiBundle(ui)).toMatchObject({ status: 'ok' });
  });
});

/** A server on a free loopback port answering /healthz with `status` and `body`. */
async function listen(status: number, body: unknown): Promise<number> {
  const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}
/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const port = await listen(200, {});
  await new Promise((r) => servers.pop()!.close(r));
  return port;
}
const HEALTHY = { ok: true, driver: 'pcsc', service: 'ok', protocolVersion: '1.4.0', readers: [] };

describe('doctor: port', () => {
  it('ok: free (the agent stopped), or the agent answering /healthz', async () => {
    const free = await freePort();
    expect(checkPort('127.0.0.1', free, await probePort('127.0.0.1', free, false), false)).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('is free'),
    });
    const agent = await listen(200, HEALTHY);
    expect(checkPort('0.0.0.0', agent, await probePort('0.0.0.0', agent, false), true)).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('the agent answers /healthz'),
    });
  });
  it('fail: another program on the port, or the agent holding the folder but not answering', async () => {
    const other = await listen(404, { error: 'not found' });
    expect(checkPort('127.0.0.1', other, await probePort('127.0.0.1', other, false), false)).toMatchObject({
      status: 'fail',
      todo: expect.stringContaining('ss -ltnp'),
    });
    const free = await freePort();
    expect(checkPort('127.0.0.1', free, await probePort('127.0.0.1', free, false), true)).toMatchObject({
      status: 'fail',
      todo: expect.stringContaining('journalctl'),
    });
  });
});

describe('doctor: last backup', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  it('ok: made within two days, the file still there', () => {
    const dir = folder('data');
    writeFileSync(join(root, 'kiosk-2026-03-02.sqlite'), '');
    recordLastBackup(dir, { at: new Date(now.getTime() - 6 * 3_600_000).toISOString(), file: join(root, 'kiosk-2026-03-02.sqlite') });
    expect(checkBackup(dir, now)).toMatchObject({ status: 'ok', detail: expect.stringContaining('6 h ago') });
  });
  it('warn: none, too old, or its file gone', () => {
    const dir = folder('data');
    expect(checkBackup(dir, now)).toMatchObject({ status: 'warn', todo: expect.stringContaining('myna-kiosk-backup.timer') });
    writeFileSync(join(root, 'old.sqlite'), '');
    recordLastBackup(dir, { at: new Date(now.getTime() - 3 * DAY).toISOString(), file: join(root, 'old.sqlite') });
    expect(checkBackup(dir, now)).toMatchObject({ status: 'warn', detail: expect.stringContaining('72 h ago') });
    recordLastBackup(dir, { at: now.toISOString(), file: join(root, 'gone.sqlite') });
    expect(checkBackup(dir, now)).toMatchObject({ status: 'warn', detail: expect.stringContaining('the file is gone') });
  });
});

describe('kiosk-agent doctor', () => {
  // The day after the rules edition was checked, so the rules line stays ok as the edition ages.
  const now = new Date(Date.parse(`${DEFAULT_RULES.edition.checkedOn}T12:00:00+09:00`) + DAY);
  const deps = (overrides: Partial<DoctorDeps> = {}): DoctorDeps => {
    const ui = folder('ui');
    writeFileSync(join(ui, 'index.html'), '');
    writeFileSync(join(ui, 'staff.html'), '');
    return {
      now,
      uiDir: ui,
      knownSchema: SCHEMA_VERSION,
      pcscStatus: async () => ({ driver: 'pcsc', service: 'ok', readers: [{ name: 'ACS ACR39U', driver: 'pcsc', state: 'empty' }] }),
      freeBytes: () => 10_000 * MIB,
      orcaCheck: async () => ({ ok: true, lines: ['ok: ORCA answers at http://orca:8000 and accepts the user "ormaster"', 'ok: 診療科 01 内科'] }),
      ...overrides,
    };
  };
  const doctor = (argv: string[], d: DoctorDeps) => runCommand({ run: (args) => runDoctor(args, d, {}) }, argv);

  it('a healthy clinic PC: every line ok, exit 0', async () => {
    const data = dataFolder();
    recordLastBackup(data, { at: now.toISOString(), file: join(data, 'kiosk.sqlite') });
    const config = join(root, 'agent.json');
    writeFileSync(config, JSON.stringify({ driver: 'pcsc', port: await freePort(), 'data-dir': 'data' }));
    const r = await doctor(['--config', config], deps());
    expect(r.out.split('\n').map((line) => line.split(/\s+/)[0])).toEqual(Array(12).fill('ok'));
    expect(r.out).toContain('pcscd            readers: "ACS ACR39U" (empty)');
    expect(r.code).toBe(0);
  });

  it('a broken one: each problem failed with what to do, exit 1; --json says the same', async () => {
    const data = folder('data');
    writeFileSync(join(data, 'kiosk.sqlite'), 'garbage '.repeat(1000));
    const argv = [
      '--driver',
      'pcsc+oqs',
      '--oqs-dir',
      join(root, 'unmounted'),
      '--institution-code',
      '1310000001',
      '--data-dir',
      data,
      '--port',
      String(await listen(404, {})),
    ];
    const broken = deps({
      pcscStatus: async () => ({ driver: 'pcsc', service: 'unavailable', readers: [], detail: 'pcscd is not running' }),
      uiDir: join(root, 'no-ui'),
    });
    const r = await doctor(argv, broken);
    expect(r.code).toBe(1);
    const failed = r.out
      .split('\n')
      .filter((line) => line.startsWith('fail'))
      .map((line) => line.split(/\s{2,}/)[1]);
    expect(failed).toEqual(['database', 'pcscd', '資格確認端末', 'terminal clock', 'kiosk UI', 'port']);
    expect(r.out.match(/→ /g)).toHaveLength(7); // the six failures and the missing backup

    const json = await doctor([...argv, '--json'], broken);
    const report = JSON.parse(json.out) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toEqual(failed);
  });

  it('with ORCA named: one more line, ok or failed with what ORCA said (the orca check of kiosk-agent orca check)', async () => {
    const data = dataFolder();
    recordLastBackup(data, { at: now.toISOString(), file: join(data, 'kiosk.sqlite') });
    const password = join(root, 'orca-password');
    writeFileSync(password, 'secret-pass\n');
    const argv = ['--driver', 'pcsc', '--data-dir', data, '--port', String(await freePort())];
    const orca = ['--orca-url', 'http://orca:8000', '--orca-user', 'ormaster', '--orca-password-file', password];
    expect((await doctor(argv, deps())).out).not.toMatch(/\borca\b/); // no ORCA named, no ORCA line

    const asked: string[] = [];
    const healthy = await doctor(
      [...argv, ...orca],
      deps({ orcaCheck: async (settings, today) => (asked.push(`${settings.connection.baseUrl} ${today}`), { ok: true, lines: ['ok: ORCA answers'] }) }),
    );
    expect(healthy.code).toBe(0);
    expect(healthy.out).toMatch(/^ok {4}orca +ORCA answers$/m);
    expect(asked).toEqual([`http://orca:8000 ${japanDate(now)}`]);

    const refused = await doctor(
      [...argv, ...orca],
      deps({ orcaCheck: async () => ({ ok: false, lines: ['ok: ORCA answers at http://orca:8000', 'problem: 診療科 01 is not registered in ORCA'] }) }),
    );
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/^fail {2}orca +診療科 01 is not registered in ORCA\n +→ kiosk-agent orca check/m);
    expect(refused.out).not.toContain('secret-pass');
  });

  it('a configuration that start would refuse: one fail line naming the key, exit 1', async () => {
    const config = join(root, 'agent.json');
    writeFileSync(config, JSON.stringify({ driver: 'pcsc', prot: 8080 }));
    const r = await doctor(['--config', config], deps());
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^fail {2}config +.*unknown key "prot"/);
    expect(r.out.split('\n').filter((line) => !line.startsWith(' '))).toHaveLength(1);
  });
});
