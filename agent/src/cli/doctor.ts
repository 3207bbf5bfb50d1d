/**
 * kiosk-agent doctor: what a clinic PC needs for the agent, one line per check (ok / warn / fail) with
 * what to do. It reads the same settings as `kiosk-agent start` (--config, the environment, the options)
 * and changes nothing: no file in the 資格確認端末's folders is written, the database is opened read-only.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statfsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RULES_MAX_AGE_DAYS, rulesEditionAgeDays, type DriverStatus } from '@kiosk/protocol';
import { japanDate, systemClock } from '../clock.ts';
import type { AgentOptions } from '../app.ts';
import { loadTrustAnchors } from '../card/certificates.ts';
import { SCHEMA_VERSION } from '../storage/schema.ts';
import type { OrcaCheck } from '../orca/check.ts';
import type { OrcaSettings } from '../orca/reception.ts';
import { silentLogger } from '../logger.ts';
import { DEFAULT_DATA_DIR, DEFAULT_UI_DIR } from '../paths.ts';
import type { RulesInForce } from '../rules/table.ts';
import { isLoopback } from '../security/hosts.ts';
import { checkKioskDatabase } from '../storage/backup.ts';
import { DATABASE_FILE, databaseFile, foreignUser, lockState, readLastBackup } from '../storage/data-folder.ts';
import { defaultTrustAnchorPems } from '../trust-anchors.ts';
import type { Subcommand } from './main.ts';
import { START_ARGS, startConfigFrom, type StartConfig } from './start-config.ts';
import { planStart, USES_OQS } from './start.ts';

const HELP = `Usage: kiosk-agent doctor [--config FILE] [start options] [--json]

Checks what the agent needs on this PC, with the settings "kiosk-agent start" would use (the same
--config file, environment and options: pass the unit's --data-dir too). One line per check:
ok, warn or fail, and what to do. Run it as the agent's user: sudo -u myna-kiosk kiosk-agent doctor ...

Checks: the configuration, the data folder (writable, the lock), the database (integrity, schema), free
disk, pcscd and the readers (pcsc drivers), the 資格確認端末's folders and clock (oqs drivers), the
trust anchors, the rules edition's age, the TLS certificate, the kiosk UI bundle, the port (free, or
the agent answering /healthz), the last backup.

Options:
  --json         print one JSON document
  -h, --help     this text
  and every option of "kiosk-agent start" (kiosk-agent start --help)

Exit codes: 0 no check failed (warnings allowed), 1 a check failed, 2 usage.`;

type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do, for warn and fail. */
  todo?: string;
}

const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, todo: string): Check => ({ name, status: 'warn', detail, todo });
const bad = (name: string, detail: string, todo: string): Check => ({ name, status: 'fail', detail, todo });

const MIB = 1024 * 1024;
const DAY_MS = 86_400_000;
const DISK_FAIL_BYTES = 100 * MIB;
const DISK_WARN_BYTES = 1024 * MIB;
const TLS_WARN_DAYS = 30;
/** The timer backs up daily (with up to 15 min of delay): older than two days means one was missed. */
const BACKUP_WARN_MS = 2 * DAY_MS;
/** A face file dated this far after this PC's clock: the two clocks disagree. */
const CLOCK_SKEW_WARN_MS = 2 * 60_000;

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

export function checkDataFolder(dataDir: string): Check {
  const name = 'data folder';
  if (!existsSync(dataDir))
    return warn(name, `${dataDir} does not exist yet`, 'the agent creates it at its first start (the unit creates /var/lib/myna-kiosk)');
  const folder = statSync(dataDir);
  if (!folder.isDirectory()) return bad(name, `${dataDir} is not a folder`, 'point --data-dir at a folder');
  const foreign = foreignUser(dataDir);
  if (foreign) return bad(name, foreign, "run doctor as the agent's user: sudo -u myna-kiosk node /opt/myna-kiosk/agent/bin/kiosk-agent.js doctor ...");
  const probe = join(dataDir, `.doctor-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    return bad(name, `${dataDir} is not writable by this user (${errorCode(error)})`, `run doctor as the agent's user; sudo chown -R myna-kiosk: ${dataDir}`);
  }
  // A database file left by root (a backup or restore run as root) cannot be written by the agent's user.
  for (const suffix of ['', '-wal', '-shm']) {
    const file = join(dataDir, `${DATABASE_FILE}${suffix}`);
    if (!existsSync(file)) continue;
    const owner = statSync(file).uid;
    let writable = true;
    try {
      accessSync(file, constants.W_OK);
    } catch {
      writable = false;
    }
    if (!writable || owner !== folder.uid) {
      return bad(name, `${file} belongs to uid ${owner}, not to the folder's owner (uid ${folder.uid})`, `sudo chown myna-kiosk: ${file}`);
    }
  }
  return ok(name, `${dataDir} is writable`);
}

export function checkLock(dataDir: string): Check {
  const state = lockState(dataDir);
  if (state.state === 'free') return ok('lock', 'no agent uses the data folder');
  if (state.state === 'held') return ok('lock', `held by pid ${state.owner.pid} since ${state.owner.since} (the agent is running)`);
  return warn(
    'lock',
    `left by ${state.owner ? `pid ${state.owner.pid}, which is gone` : 'a process that is gone (unreadable)'}`,
    'nothing to do: the next agent takes it over (the last one ended without closing: journalctl -u myna-kiosk-agent)',
  );
}

export function checkDatabase(dataDir: string, known: number = SCHEMA_VERSION): Check {
  const name = 'database';
  const file = databaseFile(dataDir);
  if (!existsSync(file))
    return warn(name, `no database at ${file} yet`, 'the agent creates it at its first start; restore a backup here if this PC replaces another');
  // Opened as another user, SQLite would leave -wal/-shm files the agent cannot write.
  if (foreignUser(dataDir)) return warn(name, "not opened: doctor runs as another user than the data folder's owner", "run doctor as the agent's user");
  const check = checkKioskDatabase(file, known);
  if (!check.ok) {
    const todo =
      check.problem === 'newer'
        ? 'install the release that wrote it, or restore the backup made before the upgrade (kiosk-agent restore)'
        : 'stop the agent and restore the last good backup: kiosk-agent restore --from /var/backups/myna-kiosk/kiosk-YYYY-MM-DD.sqlite';
    return bad(name, check.message, todo);
  }
  if (check.behind) {
    return warn(
      name,
      `integrity ok; written by an earlier release (schema ${check.version}, this release: ${known})`,
      'the agent migrates it at its next start: make a backup first',
    );
  }
  return ok(name, `integrity ok, schema ${check.version} of this release`);
}

/** The nearest folder that exists: free space is the file system's, before the data folder is created too. */
function existingFolder(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

const freeBytesOf = (path: string): number => {
  const fs = statfsSync(path);
  return fs.bavail * fs.bsize;
};

export function checkDisk(dataDir: string, freeBytes: (path: string) => number = freeBytesOf): Check {
  const folder = existingFolder(dataDir);
  const free = freeBytes(folder);
  const detail = `${Math.floor(free / MIB)} MiB free for ${folder}`;
  const todo = 'free space on that file system (journalctl --vacuum-size=200M, old files) or grow it: the agent refuses check-ins when it cannot write';
  if (free < DISK_FAIL_BYTES) return bad('disk', detail, todo);
  if (free < DISK_WARN_BYTES) return warn('disk', detail, todo);
  return ok('disk', detail);
}

export function checkPcsc(status: DriverStatus): Check {
  const name = 'pcscd';
  if (status.service !== 'ok') {
    return bad(
      name,
      `PC/SC is not available: ${status.detail ?? status.service}`,
      'sudo apt-get install pcscd libccid && sudo systemctl enable --now pcscd.socket; if pcscd logs "NOT authorized", install deploy/myna-kiosk-pcsc.rules',
    );
  }
  if (status.readers.length === 0) {
    return bad(
      name,
      'pcscd answers but sees no card reader (with the --reader filter, if set)',
      'connect the reader; pcsc_scan (pcsc-tools) lists what pcscd sees',
    );
  }
  return ok(name, `readers: ${status.readers.map((r) => `"${r.name}" (${r.state})`).join(', ')}`);
}

type OqsFolders = NonNullable<AgentOptions['oqs']>;

export function checkOqsFolders(oqs: OqsFolders): Check {
  const wanted: [string, string | undefined, number][] = [
    ['face', oqs.faceDir, constants.R_OK],
    ['req', oqs.reqDir, constants.W_OK],
    ['res', oqs.resDir, constants.R_OK],
    ['archive', oqs.archiveDir, constants.W_OK],
  ];
  const problems: string[] = [];
  for (const [role, dir, mode] of wanted) {
    if (dir === undefined) continue;
    try {
      if (!statSync(dir).isDirectory()) {
        problems.push(`${role} ${dir}: not a folder`);
        continue;
      }
      // access() only: doctor writes nothing in the terminal's folders (it would read a stray file as a request).
      accessSync(dir, mode | constants.X_OK);
    } catch (error) {
      problems.push(`${role} ${dir}: ${mode === constants.W_OK ? 'not writable' : 'not readable'} (${errorCode(error)})`);
    }
  }
  if (problems.length > 0) {
    return bad(
      '資格確認端末',
      problems.join('; '),
      "mount the terminal's share (RequiresMountsFor= and ReadWritePaths= in a drop-in: systemctl edit myna-kiosk-agent) and give the agent's user access",
    );
  }
  return ok('資格確認端末', `face, req and res folders reachable (req writable)${oqs.archiveDir ? ', archive writable' : ''}`);
}

/** The newest face file's time against this PC's clock: a share whose clock runs ahead dates its files in the future. */
export function checkOqsClock(faceDir: string, now: Date): Check {
  const name = 'terminal clock';
  let newest: number | undefined;
  try {
    for (const entry of readdirSync(faceDir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const mtime = statSync(join(faceDir, entry.name)).mtimeMs;
      if (newest === undefined || mtime > newest) newest = mtime;
    }
  } catch (error) {
    return bad(name, `cannot list ${faceDir} (${errorCode(error)})`, "mount the terminal's share");
  }
  if (newest === undefined) return ok(name, 'no face file yet to compare clocks with');
  const ahead = newest - now.getTime();
  const minutes = Math.round(Math.abs(ahead) / 60_000);
  if (ahead > CLOCK_SKEW_WARN_MS) {
    return warn(
      name,
      `the newest face file is dated ${minutes} min after this PC's clock`,
      'set both clocks by NTP (timedatectl status on this PC; the terminal and its file server): results are judged by their time',
    );
  }
  return ok(name, `newest face file ${minutes} min old`);
}

export function checkTrustAnchors(files: readonly string[]): Check {
  let pems: string[];
  try {
    pems = [...defaultTrustAnchorPems(), ...files.map((file) => readFileSync(file, 'utf8'))];
  } catch (error) {
    return bad('trust anchors', `a trust anchor file cannot be read (${errorCode(error)})`, 'fix the "trust" paths in the configuration');
  }
  const anchors = loadTrustAnchors(pems);
  if (!anchors.ok) return bad('trust anchors', anchors.error.message, 'each "trust" file must hold PEM certificates; reinstall the release for agent/trust/');
  return ok('trust anchors', `${anchors.value.length} certificates load (${files.length} from "trust")`);
}

export function checkRules(rules: RulesInForce, maxAgeDays: number, today: string): Check {
  const { checkedOn } = rules.table.edition;
  const age = rulesEditionAgeDays(checkedOn, today);
  const override = rules.override ? `; clinic override ${rules.override.file} (${rules.override.fields.join(', ')})` : '';
  const detail = `edition checked ${checkedOn}, ${age} days ago (warn after ${maxAgeDays})${override}`;
  if (age > maxAgeDays) {
    return warn(
      'rules',
      detail,
      'look for newer notices on the document rules and install a newer release, or set the changed dates in a clinic rules file (--rules)',
    );
  }
  return ok('rules', detail);
}

export function checkTls(s: Pick<StartConfig, 'host' | 'tls-cert' | 'tls-key'>, now: Date): Check {
  const certFile = s['tls-cert'];
  const keyFile = s['tls-key'];
  if (!certFile || !keyFile) {
    if (s.host && !isLoopback(s.host)) {
      return bad(
        'tls',
        `host ${s.host} is beyond loopback without TLS: the agent refuses to start`,
        'set "tls-cert" and "tls-key" (and register kiosk devices), or listen on 127.0.0.1',
      );
    }
    return ok('tls', 'not used: the agent listens on loopback only');
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certFile));
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(keyFile)))) {
      return bad('tls', `${keyFile} is not the key of ${certFile}`, 'install the key that belongs to the certificate');
    }
  } catch (error) {
    return bad('tls', `cannot read the certificate or its key (${errorCode(error)})`, 'fix "tls-cert" / "tls-key": PEM files the agent user can read');
  }
  const notAfter = new Date(cert.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  const detail = `${certFile} valid until ${japanDate(notAfter)} (${daysLeft} days)`;
  if (daysLeft < 0) return bad('tls', detail, 'renew the certificate: remote kiosks cannot connect');
  if (daysLeft < TLS_WARN_DAYS) return warn('tls', detail, 'renew the certificate before it expires, then restart the agent');
  return ok('tls', detail);
}

export function checkUiBundle(uiDir: string): Check {
  const missing = ['index.html', 'staff.html'].filter((file) => !existsSync(join(uiDir, file)));
  if (missing.length > 0) return bad('kiosk UI', `${uiDir} lacks ${missing.join(' and ')}`, 'build the release (npm run build) or reinstall it');
  return ok('kiosk UI', `bundle present in ${uiDir}`);
}

type Probe = { listening: false } | { listening: true; health?: { driver?: string; service?: string; protocolVersion?: string } };

/** Is something listening on host:port, and does it answer /healthz like the agent? */
export async function probePort(host: string, port: number, tls: boolean, timeoutMs = 3000): Promise<Probe> {
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const listening = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: target, port, timeout: timeoutMs });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
  if (!listening) return { listening: false };
  const health = await new Promise<Record<string, unknown> | undefined>((resolve) => {
    // The agent's own (possibly self-signed) certificate: doctor asks whether it answers, not whether to trust it.
    const request = (tls ? httpsRequest : httpRequest)(
      {
        host: target,
        port,
        path: '/healthz',
        timeout: timeoutMs,
        rejectUnauthorized: false,
        headers: { host: `${target.includes(':') ? `[${target}]` : target}:${port}` },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          try {
            const json = JSON.parse(body) as unknown;
            resolve(
              response.statusCode === 200 && typeof json === 'object' && json !== null && (json as { ok?: unknown }).ok === true
                ? (json as Record<string, unknown>)
                : undefined,
            );
          } catch {
            resolve(undefined);
          }
        });
      },
    );
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
    request.end();
  });
  if (!health || typeof health.protocolVersion !== 'string') return { listening: true };
  return { listening: true, health: { driver: String(health.driver), service: String(health.service), protocolVersion: health.protocolVersion } };
}

export function checkPort(host: string, port: number, probe: Probe, agentRunning: boolean): Check {
  const where = `${host}:${port}`;
  if (!probe.listening) {
    if (agentRunning)
      return bad(
        'port',
        `the agent holds the data folder but nothing answers on ${where}`,
        'journalctl -u myna-kiosk-agent -e; systemctl restart myna-kiosk-agent',
      );
    return ok('port', `${where} is free for the agent (it is not running)`);
  }
  if (!probe.health)
    return bad('port', `${where} is taken by a program that is not the agent`, `find it (sudo ss -ltnp 'sport = :${port}') or give the agent another "port"`);
  const { driver, service, protocolVersion } = probe.health;
  return ok('port', `the agent answers /healthz on ${where} (driver ${driver}, reader service ${service}, protocol ${protocolVersion})`);
}

export function checkBackup(dataDir: string, now: Date): Check {
  const last = readLastBackup(dataDir);
  const timer = 'sudo systemctl enable --now myna-kiosk-backup.timer; systemctl status myna-kiosk-backup.service';
  if (!last) return warn('backup', 'no backup made from this data folder yet', timer);
  const ageMs = now.getTime() - Date.parse(last.at);
  const detail = `last backup ${last.file}, ${Math.floor(ageMs / 3_600_000)} h ago`;
  if (!existsSync(last.file)) return warn('backup', `${detail}, but the file is gone`, timer);
  if (ageMs > BACKUP_WARN_MS) return warn('backup', detail, timer);
  return ok('backup', detail);
}

export interface DoctorDeps {
  now: Date;
  uiDir: string;
  knownSchema: number;
  pcscStatus(s: StartConfig): Promise<DriverStatus>;
  freeBytes(path: string): number;
  /** ORCA's answer for these settings (the same check as "kiosk-agent orca check"). */
  orcaCheck(settings: OrcaSettings, today: string): Promise<OrcaCheck>;
}

/** The receipt computer, when the settings name one: reachable, the user accepted, the codes known. */
export function checkReception(result: OrcaCheck): Check {
  const problems = result.lines.filter((line) => line.startsWith('problem: ')).map((line) => line.slice('problem: '.length));
  const found = result.lines.map((line) => line.replace(/^(ok|problem): /, '')).join('; ');
  if (result.ok) return ok('orca', found);
  return bad('orca', problems.join('; ') || found, 'kiosk-agent orca check says the same; fix the URL, user, password file or codes (docs/orca.md)');
}

async function pcscStatusOf(s: StartConfig): Promise<DriverStatus> {
  const { createPcscDriver } = await import('../drivers/pcsc/index.ts');
  const { settled } = await import('./probe.ts');
  const driver = createPcscDriver(
    { ...(s.reader ? { readerAllow: s.reader } : {}), ...(s['reader-prefer'] ? { readerPrefer: s['reader-prefer'] } : {}) },
    { clock: systemClock, logger: silentLogger },
  );
  await driver.start();
  try {
    return await settled(driver);
  } finally {
    await driver.stop();
  }
}

const defaultDeps = (): DoctorDeps => ({
  now: new Date(),
  uiDir: DEFAULT_UI_DIR,
  knownSchema: SCHEMA_VERSION,
  pcscStatus: pcscStatusOf,
  freeBytes: freeBytesOf,
  orcaCheck: async (settings, today) => (await import('../orca/index.ts')).checkOrca(settings, today),
});

/** Every check for these settings, in the order an operator fixes them. */
async function diagnose(values: Record<string, unknown>, env: NodeJS.ProcessEnv, deps: DoctorDeps): Promise<Check[]> {
  const where = typeof values.config === 'string' ? values.config : 'the command line and environment';
  const settings = startConfigFrom(values, env);
  const plan = settings.ok ? planStart(settings.value) : settings;
  if (!settings.ok || !plan.ok) {
    return [
      bad(
        'config',
        `${where}: ${plan.ok ? '' : plan.error.message}`,
        'fix the named key or option (kiosk-agent start --help lists them); nothing else can be checked',
      ),
    ];
  }
  const s = settings.value;
  const { driver, rules, oqs, orca } = plan.value;
  const dataDir = s['data-dir'] ?? DEFAULT_DATA_DIR;
  const port = s.port ?? 8080;
  const host = s.host ?? '127.0.0.1';
  const checks = [
    ok('config', `${where}: driver ${driver}, ${host}:${port}, data folder ${dataDir}`),
    checkDataFolder(dataDir),
    checkLock(dataDir),
    checkDatabase(dataDir, deps.knownSchema),
    checkDisk(dataDir, deps.freeBytes),
  ];
  if (driver === 'pcsc' || driver === 'pcsc+oqs') checks.push(checkPcsc(await deps.pcscStatus(s)));
  if (driver && USES_OQS.has(driver) && oqs) checks.push(checkOqsFolders(oqs), checkOqsClock(oqs.faceDir, deps.now));
  checks.push(
    checkTrustAnchors(s.trust ?? []),
    checkRules(rules, s['rules-max-age-days'] ?? DEFAULT_RULES_MAX_AGE_DAYS, japanDate(deps.now)),
    checkTls(s, deps.now),
    checkUiBundle(deps.uiDir),
    checkPort(host, port, await probePort(host, port, Boolean(s['tls-cert'])), lockState(dataDir).state === 'held'),
    checkBackup(dataDir, deps.now),
  );
  if (orca) checks.push(checkReception(await deps.orcaCheck(orca, japanDate(deps.now))));
  return checks;
}

function formatCheck(check: Check): string {
  return `${check.status.padEnd(4)}  ${check.name.padEnd(16)} ${check.detail}${check.todo ? `\n      → ${check.todo}` : ''}`;
}

export async function runDoctor(argv: string[], deps: DoctorDeps = defaultDeps(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...START_ARGS, json: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`kiosk-agent doctor: ${(error as Error).message} ("--help" lists the options)`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const { json, ...settings } = values;
  const checks = await diagnose(settings, env, deps);
  const failed = checks.some((c) => c.status === 'fail');
  console.log(json ? JSON.stringify({ ok: !failed, checks }, null, 2) : checks.map(formatCheck).join('\n'));
  return failed ? 1 : 0;
}

const doctor: Subcommand = {
  summary: 'check this PC for the agent: settings, data, readers, terminal folders, port, backups',
  run: (argv) => runDoctor(argv),
};

export default doctor;
