import { fail, ok, type Result } from '@kiosk/protocol';
import type { FlowDeps } from './deps.ts';
import type { CardRead } from './decisions.ts';

const MY_NUMBER_TOKENS = new Set(['my-number-card', 'android', 'iphone']);

/**
 * Reads what the flow needs before authentication, without spending a PIN try: token kind, the
 * 利用者証明用 certificate (checked against the anchors), its CA, and the PIN tries left.
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

async function readOpened(deps: FlowDeps, reader: string, channel: CardRead['channel']): Promise<Result<CardRead>> {
  const card = deps.openJpki(channel);
  const identified = await card.identify();
  if (!identified.ok) return identified;
  if (!MY_NUMBER_TOKENS.has(identified.value.kind)) return fail('CARD_NOT_MYNUMBER');
  const certDer = await card.readAuthCertificate();
  if (!certDer.ok) return certDer;
  const caDer = await card.readAuthCaCertificate();
  const tries = await card.pinTriesLeft();
  let pinTriesLeft: number | undefined;
  if (tries.ok) pinTriesLeft = tries.value;
  else if (tries.error.code === 'PIN_BLOCKED') pinTriesLeft = 0;
  else if (tries.error.code !== 'PIN_NOT_AVAILABLE') return tries;
  const certificate = deps.checkCertificate(certDer.value, { now: deps.clock.now(), ...(caDer.ok ? { intermediates: [caDer.value] } : {}) });
  if (!certificate.ok) return certificate;
  return ok({ reader, channel, card, kind: identified.value.kind, pinTriesLeft, certDer: certDer.value, certificate: certificate.value });
}
