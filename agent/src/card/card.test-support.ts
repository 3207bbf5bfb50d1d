/**
 * Test helpers for anything that talks to a card: a scripted CardChannel (in the spirit of web-eid's
 * libpcsc-mock ApduScript), a fake JpkiCard, and a throwaway PKI. Not used by production code.
 */
import { constants, generateKeyPairSync, privateEncrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { fail, ok, type Result } from '@kiosk/protocol';
import { SHA256_DIGEST_INFO_PREFIX } from './constants.ts';
import { fromHex, toHex } from './hex.ts';
import type { CardChannel, JpkiCard } from './types.ts';

export { fromHex, toHex };

export interface ScriptStep {
  /** Expected command APDU in hex; spaces allowed ("00 A4 04 0C 0A D3 92 …"). */
  expect: string;
  /** Response APDU in hex (data + SW1 SW2), or a driver Result such as fail('CARD_REMOVED'). */
  respond: string | Result<Uint8Array>;
}

export interface ScriptedChannel extends CardChannel {
  /** Every command received, as uppercase hex (copied: the card layer zeroes its buffers). */
  readonly sent: string[];
  /** Steps not yet consumed; 0 when the script ran to its end. */
  readonly remaining: number;
}

/** A channel that answers a fixed APDU script in order and throws on any command off the script. */
export function scriptedChannel(steps: ScriptStep[], identity: { reader?: string; atr?: string } = {}): ScriptedChannel {
  const sent: string[] = [];
  let next = 0;
  return {
    reader: identity.reader ?? 'Scripted Reader 00',
    atr: identity.atr ?? '3BDA13FF8131FB468012392F31C173C601C03B',
    sent,
    get remaining() {
      return steps.length - next;
    },
    async transmit(apdu) {
      const actual = toHex(apdu);
      sent.push(actual);
      const step = steps[next];
      const expected = step ? toHex(fromHex(step.expect)) : '(end of script)';
      if (!step || expected !== actual) throw new Error(`APDU #${next + 1}: expected ${expected}, got ${actual}`);
      next++;
      return typeof step.respond === 'string' ? ok(fromHex(step.respond)) : step.respond;
    },
    async close() {},
  };
}

/** A JpkiCard whose methods fail with INTERNAL unless given; for tests of code built on top of the card. */
export function fakeJpkiCard(methods: Partial<Omit<JpkiCard, 'apduCount'>>): JpkiCard {
  const missing = async () => fail<never>('INTERNAL', 'not provided by this fake card');
  return {
    identify: methods.identify ?? missing,
    readAuthCertificate: methods.readAuthCertificate ?? missing,
    readAuthCaCertificate: methods.readAuthCaCertificate ?? missing,
    pinTriesLeft: methods.pinTriesLeft ?? missing,
    verifyPin: methods.verifyPin ?? missing,
    signDigestInfo: methods.signDigestInfo ?? missing,
    apduCount: 0,
  };
}

export interface TestKey {
  privateKey: KeyObject;
  forgePrivate: forge.pki.rsa.PrivateKey;
  forgePublic: forge.pki.rsa.PublicKey;
}

/**
 * An RSA key from Node's native generator (milliseconds, unlike forge's pure-JS one). 1024 bits by
 * default to keep suites fast: these keys only ever sign test data.
 */
export function testKey(bits = 1024): TestKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const forgePrivate = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  return { privateKey, forgePrivate, forgePublic: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e) };
}

const digestInfoOf = (md: forge.md.MessageDigest): Uint8Array =>
  Uint8Array.from(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, Buffer.from(md.digest().getBytes(), 'binary')]));

/** What the card does in COMPUTE DIGITAL SIGNATURE P1=00: PKCS#1 v1.5 type-1 padding of the given DigestInfo. */
export function cardSign(key: TestKey, digestInfo: Uint8Array): Uint8Array {
  return Uint8Array.from(privateEncrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
}

export const JPKI_AUTH_CA_NAME = [
  { name: 'countryName', value: 'JP' },
  { name: 'organizationName', value: 'JPKI' },
  { shortName: 'OU', value: 'JPKI for user authentication' },
  { shortName: 'OU', value: 'Japan Agency for Local Authority Information Systems' },
];

export interface TestCertificateRequest {
  key: TestKey;
  /** Signing key; the certificate is self-signed when absent. */
  issuerKey?: TestKey;
  subject?: forge.pki.CertificateField[];
  issuer?: forge.pki.CertificateField[];
  serialHex?: string;
  notBefore: Date;
  notAfter: Date;
  /** Key usage flags; default digitalSignature for leaves, keyCertSign for self-signed CAs. null: no extension. */
  keyUsage?: Record<string, boolean> | null;
  ca?: boolean;
}

/** DER of a certificate signed with SHA-256 / RSA. */
export function issueTestCertificate(request: TestCertificateRequest): Uint8Array {
  const certificate = forge.pki.createCertificate();
  const selfSigned = request.issuerKey === undefined;
  certificate.publicKey = request.key.forgePublic;
  certificate.serialNumber = request.serialHex ?? '01';
  certificate.validity.notBefore = request.notBefore;
  certificate.validity.notAfter = request.notAfter;
  const subject =
    request.subject ??
    (selfSigned
      ? JPKI_AUTH_CA_NAME
      : [
          { name: 'countryName', value: 'JP' },
          { name: 'commonName', value: 'TEST0000000000000000000' },
        ]);
  certificate.setSubject(subject);
  certificate.setIssuer(request.issuer ?? (selfSigned ? subject : JPKI_AUTH_CA_NAME));
  const ca = request.ca ?? selfSigned;
  const keyUsage = request.keyUsage === undefined ? (ca ? { keyCertSign: true, cRLSign: true } : { digitalSignature: true }) : request.keyUsage;
  certificate.setExtensions([{ name: 'basicConstraints', cA: ca }, ...(keyUsage ? [{ name: 'keyUsage', critical: true, ...keyUsage }] : [])]);
  // forge asks the key to sign the TBS digest; Node's native RSA answers (forge's pure-JS RSA is slow).
  const signer = request.issuerKey ?? request.key;
  const nativeKey = { sign: (md: forge.md.MessageDigest) => Buffer.from(cardSign(signer, digestInfoOf(md))).toString('binary') };
  certificate.sign(nativeKey as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return Uint8Array.from(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary'));
}

/** PEM text of a DER certificate, for loadTrustAnchors. */
export function toPem(der: Uint8Array): string {
  return forge.pki.certificateToPem(forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('binary'))));
}
