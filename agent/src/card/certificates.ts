import { createHash, randomBytes as nodeRandomBytes, verify as verifySignature, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type Forge from 'node-forge';
import { fail, ok, type Result } from '@kiosk/protocol';
import { japanDate } from '../rules/dates.ts';
import { SHA256_DIGEST_INFO_PREFIX } from './constants.ts';
import { certificateStatusOn } from '../rules/certificate.ts';
import { DEFAULT_RULES, type RulesTable } from '../rules/table.ts';
import type { CertificateCheck, CertificateInfo, JpkiCard } from './types.ts';

/**
 * node-forge (parsing and describing a card's certificate) is required on the first card, not at start:
 * loading all of it was a sixth of the agent's cold start. CommonJS, so a synchronous require serves.
 */
let forgeModule: typeof Forge | undefined;
const forgeLib = (): typeof Forge => (forgeModule ??= createRequire(import.meta.url)('node-forge') as typeof Forge);

/** A trusted root, parsed once at start-up (natively: forge is not loaded for it). Opaque outside this module. */
export interface TrustAnchor {
  readonly subject: string;
  readonly serialHex: string;
  /** Checked with Node's native crypto: forge's RSA in JS was most of a card check. */
  readonly native: X509Certificate;
}

export interface CheckOptions {
  anchors: readonly TrustAnchor[];
  /** Further CA certificates (DER) that may sit between the certificate and an anchor, e.g. the card's EF 000B. */
  intermediates?: Uint8Array[];
  now: Date;
  /** The document rules' table decides the warning and grace windows (default: the rules in force). */
  rules?: RulesTable;
}

/** Chains longer than this are not JPKI chains (leaf → root is one step). */
const MAX_CHAIN_DEPTH = 4;
const NONCE_BYTES = 32;

function decodeCertificate(der: Uint8Array): Result<Forge.pki.Certificate> {
  const forge = forgeLib();
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    return ok(forge.pki.certificateFromAsn1(asn1));
  } catch {
    return fail('CERT_MALFORMED');
  }
}

/** "C=JP, O=JPKI, OU=…" in certificate order; UTF8String values decoded. */
function distinguishedName(name: Forge.pki.Certificate['subject']): string {
  const forge = forgeLib();
  return name.attributes
    .map((attribute) => {
      const raw = String(attribute.value);
      let value = raw;
      if ((attribute.valueTagClass as unknown) === forge.asn1.Type.UTF8) {
        try {
          value = forge.util.decodeUtf8(raw);
        } catch {
          // keep the raw text: a readable-enough DN beats failing a check over display text
        }
      }
      return `${attribute.shortName ?? attribute.name ?? attribute.type}=${value}`;
    })
    .join(', ');
}

function describe(certificate: Forge.pki.Certificate): CertificateInfo {
  return {
    serialHex: certificate.serialNumber.toLowerCase(),
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    notBefore: certificate.validity.notBefore,
    notAfter: certificate.validity.notAfter,
  };
}

export function parseCertificate(der: Uint8Array): Result<CertificateInfo> {
  const decoded = decodeCertificate(der);
  return decoded.ok ? ok(describe(decoded.value)) : decoded;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

/** "C=JP, O=JPKI, …" from OpenSSL's one-attribute-a-line form, in certificate order as parseCertificate writes it. */
const nativeDn = (name: string): string => name.split('\n').join(', ');

/** Parses PEM texts (each may hold several certificates) into anchors; any unreadable one → CERT_MALFORMED. */
export function loadTrustAnchors(pems: string[]): Result<TrustAnchor[]> {
  const anchors: TrustAnchor[] = [];
  for (const pem of pems) {
    const blocks = [...pem.matchAll(PEM_CERTIFICATE)].map((m) => Buffer.from(m[1] ?? '', 'base64'));
    if (blocks.length === 0) return fail('CERT_MALFORMED', 'A trust anchor file holds no certificate');
    for (const der of blocks) {
      const native = nativeCertificate(der);
      if (!native) return fail('CERT_MALFORMED', 'A trust anchor is not a readable certificate');
      anchors.push({ subject: nativeDn(native.subject), serialHex: native.serialNumber.toLowerCase(), native });
    }
  }
  return ok(anchors);
}

/** DER → Node's certificate, or undefined when OpenSSL cannot read it. */
function nativeCertificate(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** True when `parent`'s key signed `child` and `child` names `parent` as its issuer. */
function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.issuer === parent.subject && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/**
 * Walks from the certificate up to an anchor. Every J-LIS generation shares one DN, so candidates are
 * told apart by signature only. Anchors are trusted as configured: their own validity is not checked.
 */
function chainsToAnchor(certificate: X509Certificate, anchors: readonly TrustAnchor[], intermediates: X509Certificate[]): boolean {
  let current = certificate;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    if (anchors.some((anchor) => signedBy(current, anchor.native))) return true;
    const parent = intermediates.find((candidate) => candidate !== current && signedBy(current, candidate));
    if (!parent) return false;
    current = parent;
  }
  return false;
}

/**
 * Chain, key usage and expiry status of a user-authentication certificate. Untrusted, wrong key usage and
 * expired are reported in the value (the flow decides); unparsable → CERT_MALFORMED; not yet valid → CERT_NOT_YET_VALID.
 */
export function checkCertificate(der: Uint8Array, options: CheckOptions): Result<CertificateCheck> {
  const decoded = decodeCertificate(der);
  if (!decoded.ok) return decoded;
  const certificate = decoded.value;
  const info = describe(certificate);
  if (options.now.getTime() < info.notBefore.getTime()) {
    return fail('CERT_NOT_YET_VALID', undefined, { notBefore: japanDate(info.notBefore) });
  }

  // An unreadable intermediate cannot help build a chain; the leaf may still chain without it.
  const intermediates = (options.intermediates ?? []).map(nativeCertificate).filter((c): c is X509Certificate => c !== undefined);
  const leaf = nativeCertificate(der);
  const keyUsage = certificate.getExtension('keyUsage') as { digitalSignature?: boolean } | undefined;
  const status = certificateStatusOn(japanDate(info.notAfter), japanDate(options.now), options.rules ?? DEFAULT_RULES);
  return ok({
    ...info,
    chain: leaf && chainsToAnchor(leaf, options.anchors, intermediates) ? 'trusted' : 'untrusted',
    status,
    keyUsageOk: keyUsage?.digitalSignature === true,
  });
}

/**
 * Proves the card holds the certificate's private key: the card signs the SHA-256 DigestInfo of a fresh
 * 32-byte nonce and the signature must verify (PKCS#1 v1.5) with the certificate's public key.
 * Needs a verified PIN first.
 */
export async function proveKeyPossession(
  card: JpkiCard,
  certDer: Uint8Array,
  randomBytes: (size: number) => Uint8Array = nodeRandomBytes,
): Promise<Result<void>> {
  let publicKey: X509Certificate['publicKey'];
  try {
    publicKey = new X509Certificate(certDer).publicKey;
  } catch {
    return fail('CERT_MALFORMED');
  }
  const nonce = randomBytes(NONCE_BYTES);
  const digest = createHash('sha256').update(nonce).digest();
  const signature = await card.signDigestInfo(Uint8Array.from(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest])));
  if (!signature.ok) return signature;
  let valid = false;
  try {
    valid = verifySignature('sha256', nonce, publicKey, signature.value);
  } catch {
    // a signature of the wrong size or shape is simply not a valid proof
  }
  return valid ? ok(undefined) : fail('CERT_PROOF_FAILED');
}
