/**
 * kiosk-agent probe: PC/SC diagnostics for clinic IT. Lists the readers and, per card, its type, ATR,
 * user-authentication certificate (chain and expiry) and PIN tries left, without spending a try.
 * With --pin-stdin it also verifies the PIN and has the card sign a fresh nonce. The PIN is never
 * printed or logged.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AgentError, DriverStatus, Result } from '@kiosk/protocol';
import { agentError } from '@kiosk/protocol';
import type { Subcommand } from './main.ts';
import type { ReaderDriver } from '../flow/ports.ts';
import type { CertificateCheck } from '../card/types.ts';
import { defaultTrustAnchorPems } from '../trust-anchors.ts';
import { checkCertificate, loadTrustAnchors, proveKeyPossession, type TrustAnchor } from '../card/certificates.ts';
import { openJpki } from '../card/jpki.ts';
import { japanDate, systemClock, type Clock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { createPcscDriver } from '../drivers/pcsc/index.ts';
import { matches } from '../drivers/pcsc/watcher.ts';

const USAGE = `Usage: kiosk-agent probe [options]

Lists PC/SC readers and checks the My Number card on each (no PIN try is spent).

Options:
  --reader NAME       only this reader: its exact name, else the one reader whose name contains
                      NAME (case-insensitive); a NAME several readers contain is a usage error
  --trust FILE        add a trust anchor PEM (repeatable); agent/trust/*.pem are always used
  --pin-stdin         read the PIN from standard input, verify it and prove the card's key
  --allow-last-try    allow --pin-stdin to use the card's last PIN try
  --json              print one JSON document
  --wait MS           how long to wait for readers to be announced (default 1500)
  -h, --help          this help

Exit codes: 0 ok, 2 usage (also an ambiguous --reader), 3 pcscd or pcsclite missing, 4 no reader,
5 a card check failed.`;

export const EXIT = { ok: 0, usage: 2, service: 3, noReader: 4, cardFailed: 5 } as const;

export interface ProbeOptions {
  /** --reader: probe only the reader it names (readersNamed). */
  reader?: string;
  anchors: TrustAnchor[];
  pin?: string;
  allowLastTry: boolean;
  clock: Clock;
}

export interface CertificateReport {
  serialHex: string;
  subject: string;
  issuer: string;
  /** Japan dates, YYYY-MM-DD. */
  notBefore: string;
  notAfter: string;
  chain: CertificateCheck['chain'];
  status: CertificateCheck['status'];
  keyUsageOk: boolean;
}

export interface CardReport {
  atr: string;
  kind?: string;
  tokenLabel?: string;
  certificate?: CertificateReport;
  pinTriesLeft?: number;
  /** Only with --pin-stdin. */
  pinVerified?: boolean;
  keyPossession?: 'proven' | 'failed';
  apduCount: number;
  /** Steps that failed, with stable error codes. */
  errors: { step: string; code: string; message: string }[];
}

export interface ReaderReport {
  name: string;
  state: string;
  card: CardReport | null;
}

export interface ProbeReport {
  service: DriverStatus['service'];
  detail?: string;
  readers: ReaderReport[];
  /** --reader matched several readers (no exact name): nothing was probed. */
  ambiguousReader?: string[];
}

/** Waits until the driver is past its start-up debounce. */
export function settled(driver: ReaderDriver): Promise<DriverStatus> {
  return new Promise((resolve) => {
    const check = () => {
      const status = driver.status();
      if (status.service === 'starting') return false;
      resolve(status);
      return true;
    };
    if (check()) return;
    const unsubscribe = driver.subscribe((event) => {
      if (event.type === 'status' && check()) unsubscribe();
    });
  });
}

function certificateReport(check: CertificateCheck): CertificateReport {
  return {
    serialHex: check.serialHex,
    subject: check.subject,
    issuer: check.issuer,
    notBefore: japanDate(check.notBefore),
    notAfter: japanDate(check.notAfter),
    chain: check.chain,
    status: check.status,
    keyUsageOk: check.keyUsageOk,
  };
}

/** Checks the card on one reader; every failure is recorded in the report, never thrown. */
export async function probeCard(driver: ReaderDriver, readerName: string, options: ProbeOptions): Promise<CardReport> {
  const errors: CardReport['errors'] = [];
  const record = <T>(step: string, result: Result<T>): T | undefined => {
    if (result.ok) return result.value;
    errors.push({ step, code: result.error.code, message: result.error.message });
    return undefined;
  };
  const opened = await driver.openCard!(readerName);
  if (!opened.ok) return { atr: '', apduCount: 0, errors: [{ step: 'connect', code: opened.error.code, message: opened.error.message }] };
  const channel = opened.value;
  const card = openJpki(channel);
  const report: CardReport = { atr: channel.atr, apduCount: 0, errors };
  try {
    const identity = record('identify', await card.identify());
    if (!identity) return report;
    report.kind = identity.kind;
    report.tokenLabel = identity.tokenLabel;
    report.pinTriesLeft = record('pin-tries', await card.pinTriesLeft());

    if (options.pin !== undefined) {
      const refusal = pinRefusal(report.pinTriesLeft, options.allowLastTry);
      if (refusal) errors.push({ step: 'pin', code: refusal.code, message: refusal.message });
      else {
        const verified = await card.verifyPin(options.pin);
        record('pin', verified);
        report.pinVerified = verified.ok;
        if (!verified.ok) report.pinTriesLeft = record('pin-tries', await card.pinTriesLeft()) ?? report.pinTriesLeft;
      }
    }
    // The Android token releases its certificate only after the PIN, so it is read after VERIFY.
    const der = record('certificate', await card.readAuthCertificate());
    if (!der) return report;
    const caDer = await card.readAuthCaCertificate();
    const check = record(
      'certificate',
      checkCertificate(der, { anchors: options.anchors, intermediates: caDer.ok ? [caDer.value] : [], now: options.clock.now() }),
    );
    if (check) report.certificate = certificateReport(check);
    if (report.pinVerified) {
      const proof = await proveKeyPossession(card, der);
      report.keyPossession = proof.ok ? 'proven' : 'failed';
      record('key-possession', proof);
    }
    return report;
  } finally {
    report.apduCount = card.apduCount;
    await channel.close();
  }
}

function pinRefusal(triesLeft: number | undefined, allowLastTry: boolean): AgentError | undefined {
  if (triesLeft === 0) return agentError('PIN_BLOCKED');
  if (triesLeft === 1 && !allowLastTry) return agentError('PIN_LAST_TRY_UNCONFIRMED', 'Only one PIN try is left: pass --allow-last-try to use it');
  return undefined;
}

/**
 * The readers `--reader NAME` names: the one whose name is exactly NAME, else every reader whose name
 * contains NAME (case-insensitive, like the driver's allow-list). One is a pick; several are ambiguous.
 */
export function readersNamed(names: readonly string[], wanted: string): string[] {
  if (names.includes(wanted)) return [wanted];
  return names.filter((name) => matches(name, [wanted]) !== -1);
}

export async function probe(driver: ReaderDriver, options: ProbeOptions): Promise<ProbeReport> {
  const status = await settled(driver);
  const base = { service: status.service, ...(status.detail ? { detail: status.detail } : {}) };
  const named =
    options.reader === undefined
      ? undefined
      : readersNamed(
          status.readers.map((r) => r.name),
          options.reader,
        );
  if (named && named.length > 1) return { ...base, readers: [], ambiguousReader: named };
  const readers: ReaderReport[] = [];
  for (const reader of status.readers) {
    if (named && !named.includes(reader.name)) continue;
    const card = reader.state === 'empty' ? null : await probeCard(driver, reader.name, options);
    readers.push({ name: reader.name, state: reader.state, card });
  }
  return { ...base, readers };
}

function exitCode(report: ProbeReport): number {
  if (report.service === 'unavailable') return EXIT.service;
  if (report.ambiguousReader) return EXIT.usage;
  if (report.readers.length === 0) return EXIT.noReader;
  return report.readers.some((r) => r.card && r.card.errors.length > 0) ? EXIT.cardFailed : EXIT.ok;
}

function formatText(report: ProbeReport): string {
  const lines = [`PC/SC service: ${report.service}${report.detail ? ` (${report.detail})` : ''}`];
  for (const reader of report.readers) {
    lines.push(`Reader "${reader.name}": ${reader.card ? 'card present' : 'no card'}`);
    const card = reader.card;
    if (!card) continue;
    const row = (label: string, value: string | number | undefined) => {
      if (value !== undefined) lines.push(`  ${label.padEnd(16)}${value}`);
    };
    row('ATR', card.atr || undefined);
    row('Type', card.kind && `${card.kind} (${card.tokenLabel})`);
    const cert = card.certificate;
    if (cert) {
      row('Certificate', `serial ${cert.serialHex}`);
      row('  subject', cert.subject);
      row('  issuer', cert.issuer);
      row('  valid', `${cert.notBefore} to ${cert.notAfter} (Japan dates)`);
      row('  chain', cert.chain);
      row('  expiry status', cert.status);
      row('  key usage', cert.keyUsageOk ? 'ok' : 'not for authentication');
    }
    row('PIN tries left', card.pinTriesLeft);
    if (card.pinVerified !== undefined) row('PIN', card.pinVerified ? 'verified' : 'not verified');
    row('Key possession', card.keyPossession);
    row('APDUs', card.apduCount);
    for (const error of card.errors) lines.push(`  error: ${error.step}: ${error.code}: ${error.message}`);
  }
  if (report.service === 'ok' && report.readers.length === 0) lines.push('No card reader found.');
  return lines.join('\n');
}

function readPin(): string {
  return readFileSync(0, 'utf8').split(/\r?\n/)[0]!.trim();
}

async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        reader: { type: 'string' },
        trust: { type: 'string', multiple: true },
        'pin-stdin': { type: 'boolean' },
        'allow-last-try': { type: 'boolean' },
        json: { type: 'boolean' },
        wait: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`kiosk-agent probe: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const wait = values.wait === undefined ? 1500 : Number(values.wait);
  if (!Number.isFinite(wait) || wait < 0) {
    console.error('kiosk-agent probe: --wait takes milliseconds');
    return EXIT.usage;
  }
  let pems: string[];
  try {
    pems = [...defaultTrustAnchorPems(), ...(values.trust ?? []).map((file) => readFileSync(file, 'utf8'))];
  } catch (err) {
    console.error(`kiosk-agent probe: cannot read a trust anchor: ${(err as Error).message}`);
    return EXIT.usage;
  }
  const anchors = loadTrustAnchors(pems);
  if (!anchors.ok) {
    console.error(`kiosk-agent probe: ${anchors.error.message}`);
    return EXIT.usage;
  }
  const pin = values['pin-stdin'] ? readPin() : undefined;

  const driver = createPcscDriver(
    { readerAllow: values.reader ? [values.reader] : undefined, startupDebounceMs: wait },
    { clock: systemClock, logger: silentLogger },
  );
  await driver.start();
  let report: ProbeReport;
  try {
    report = await probe(driver, {
      ...(values.reader !== undefined ? { reader: values.reader } : {}),
      anchors: anchors.value,
      pin,
      allowLastTry: values['allow-last-try'] ?? false,
      clock: systemClock,
    });
  } finally {
    await driver.stop();
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : formatText(report));
  const code = exitCode(report);
  if (code === EXIT.service) console.error(`kiosk-agent probe: PC/SC is not available: ${report.detail ?? 'pcscd not running'}`);
  if (code === EXIT.noReader) console.error(`kiosk-agent probe: no card reader${values.reader ? ` matching "${values.reader}"` : ''} found`);
  if (report.ambiguousReader) {
    const names = report.ambiguousReader.map((name) => `"${name}"`).join(', ');
    console.error(`kiosk-agent probe: --reader "${values.reader}" matches ${report.ambiguousReader.length} readers (${names}): give one reader's full name`);
  }
  return code;
}

const command: Subcommand = { summary: 'Diagnose card readers and My Number cards (PC/SC)', run };
export default command;
