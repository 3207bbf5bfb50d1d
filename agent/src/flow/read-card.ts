import { fail, ok, type AgentError, type Result } from '@kiosk/protocol';
import type { JpkiCard } from '../card/types.ts';
import type { FlowDeps } from './deps.ts';
import type { CertificateRead } from './context.ts';
import { isSmartphone, type CardRead } from './decisions.ts';

const MY_NUMBER_TOKENS = new Set(['my-number-card', 'android', 'iphone']);

/**
 * Reads what the flow needs before authentication, without spending a PIN try: token kind, the
 * 利用者証明用 certificate (checked against the anchors), its CA, and the PIN tries left. A phone token
 * that refuses the certificate before the PIN is read without it (readCertificate after the PIN).
 * Never selects the 券面事項入力補助AP: the 個人番号 is not read.
 */
export async function readCard(deps: FlowDeps, reader: string): Promise<Result<CardRead>> {
  if (!deps.driver.openCard) return fail('READER_DRIVER_UNAVAILABLE');
  const opened = await deps.driver.openCard(reader);
  if (!opened.ok) return opened;
  const channel = opened.value;
  const read = await readOpened(deps, reader, channel);
  if (!read.ok) await channel.close();
  return read;
}

/** The certificate and its CA, checked against the anchors; on a phone token only after the PIN. */
export async function readCertificate(deps: FlowDeps, card: JpkiCard): Promise<Result<CertificateRead>> {
  const files = await readCertificateFiles(card);
  return files.ok ? checkFiles(deps, files.value) : files;
}

async function readOpened(deps: FlowDeps, reader: string, channel: CardRead['channel']): Promise<Result<CardRead>> {
  const card = deps.openJpki(channel);
  const identified = await card.identify();
  if (!identified.ok) return identified;
  const { kind } = identified.value;
  if (!MY_NUMBER_TOKENS.has(kind)) return fail('CARD_NOT_MYNUMBER');
  const files = await readCertificateFiles(card);
  if (!files.ok && !hiddenUntilPin(kind, files.error)) return files;
  const tries = await readPinTries(card);
  if (!tries.ok) return tries;
  const identity = { reader, channel, card, kind, pinTriesLeft: tries.value };
  if (!files.ok) return ok(identity);
  const certificate = checkFiles(deps, files.value);
  return certificate.ok ? ok({ ...identity, ...certificate.value }) : certificate;
}

/** The Android GPSE token answers 6982 to EF 000A until the auth PIN is verified; a physical card never does. */
function hiddenUntilPin(kind: CardRead['kind'], error: AgentError): boolean {
  return isSmartphone(kind) && error.code === 'CARD_SECURITY_STATUS';
}

interface CertificateFiles {
  certDer: Uint8Array;
  caDer?: Uint8Array;
}

/** EF 000A and its CA (EF 000B); without the CA the chain is checked against the anchors alone. */
async function readCertificateFiles(card: JpkiCard): Promise<Result<CertificateFiles>> {
  const certDer = await card.readAuthCertificate();
  if (!certDer.ok) return certDer;
  const caDer = await card.readAuthCaCertificate();
  return ok({ certDer: certDer.value, ...(caDer.ok ? { caDer: caDer.value } : {}) });
}

function checkFiles(deps: FlowDeps, { certDer, caDer }: CertificateFiles): Result<CertificateRead> {
  const certificate = deps.checkCertificate(certDer, { now: deps.clock.now(), ...(caDer ? { intermediates: [caDer] } : {}) });
  return certificate.ok ? ok({ certDer, certificate: certificate.value }) : certificate;
}

/** Tries left; undefined: the card has no PIN (顔認証マイナンバーカード). */
async function readPinTries(card: JpkiCard): Promise<Result<number | undefined>> {
  const tries = await card.pinTriesLeft();
  if (tries.ok) return tries;
  if (tries.error.code === 'PIN_BLOCKED') return ok(0);
  if (tries.error.code === 'PIN_NOT_AVAILABLE') return ok(undefined);
  return tries;
}
