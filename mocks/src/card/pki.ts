/**
 * A generated test PKI for the virtual My Number card: a trusted test CA, an untrusted CA for the
 * wrong-issuer case, and one RSA-2048 key per card. TEST DATA ONLY: the names are deliberately not J-LIS names.
 *
 * RSA-2048 generation takes about a second per key, so every key is generated once and cached as PEM
 * in a folder (KIOSK_PKI_DIR, default <tmpdir>/kiosk-virtual-card-pki-v1). Files are created with an
 * exclusive link, so concurrent processes (test forks, the vpcd card process) always agree on the keys.
 */
import { createPublicKey, generateKeyPair, sign } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export function pkiCacheDir(): string {
  return process.env.KIOSK_PKI_DIR ?? join(tmpdir(), 'kiosk-virtual-card-pki-v1');
}

export type CaId = 'test-ca' | 'untrusted-ca';

const CA_SUBJECTS: Record<CaId, forge.pki.CertificateField[]> = {
  'test-ca': [
    { shortName: 'C', value: 'JP' },
    { shortName: 'O', value: 'KIOSK-TEST-PKI' },
    { shortName: 'OU', value: 'TEST ONLY user authentication CA' },
    { shortName: 'CN', value: 'Kiosk Test JPKI-style Auth CA' },
  ],
  'untrusted-ca': [
    { shortName: 'C', value: 'JP' },
    { shortName: 'O', value: 'KIOSK-TEST-UNTRUSTED' },
    { shortName: 'OU', value: 'TEST ONLY never a trust anchor' },
    { shortName: 'CN', value: 'Kiosk Untrusted Auth CA' },
  ],
};

export interface TestCa {
  id: CaId;
  certPem: string;
  certDer: Uint8Array;
  cert: forge.pki.Certificate;
  privateKeyPem: string;
}

export interface CardKey {
  /** PKCS#1 PEM, for node:crypto (the card signs with it). */
  privateKeyPem: string;
  publicKey: forge.pki.rsa.PublicKey;
}

const memo = new Map<string, Promise<unknown>>();

function memoized<T>(key: string, make: () => Promise<T>): Promise<T> {
  let value = memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = make();
    memo.set(key, value);
    // A failed generation must not poison later calls.
    value.catch(() => memo.delete(key));
  }
  return value;
}

/** Writes `content` to `path` unless it exists; returns what is on disk afterwards (first writer wins). */
function createOnce(path: string, content: string): string {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readFileSync(path, 'utf8');
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function generateRsaPem(): Promise<string> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicExponent: 0x10001,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      },
      (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)),
    );
  });
}

async function cachedPrivateKeyPem(name: string, dir: string): Promise<string> {
  const path = join(dir, `${name}.key.pem`);
  const existing = readIfPresent(path);
  if (existing) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return createOnce(path, await generateRsaPem());
}

/** RSA-2048 key of one card, by a stable name (the profile id). */
export function loadCardKey(name: string, dir = pkiCacheDir()): Promise<CardKey> {
  return memoized(`key:${dir}:${name}`, async () => {
    const privateKeyPem = await cachedPrivateKeyPem(`card-${name}`, dir);
    return { privateKeyPem, publicKey: publicKeyOf(privateKeyPem) };
  });
}

function publicKeyOf(privateKeyPem: string): forge.pki.rsa.PublicKey {
  const spkiPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return forge.pki.publicKeyFromPem(spkiPem) as forge.pki.rsa.PublicKey;
}

const SHA256_WITH_RSA_OID = '1.2.840.113549.1.1.11';

/** Present in node-forge at runtime, missing from @types/node-forge. */
interface ForgeTbs {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}

/** sha256WithRSA signature by node:crypto: forge's pure-JS RSA is ~50× slower, and tests issue many certificates. */
function signCertificate(cert: forge.pki.Certificate, issuerKeyPem: string): void {
  cert.signatureOid = SHA256_WITH_RSA_OID;
  cert.siginfo.algorithmOid = cert.signatureOid;
  cert.tbsCertificate = (forge.pki as unknown as ForgeTbs).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, issuerKeyPem).toString('binary');
}

function subjectKeyId(publicKey: forge.pki.rsa.PublicKey): string {
  return forge.pki.getPublicKeyFingerprint(publicKey, { type: 'RSAPublicKey', md: forge.md.sha1.create() }).getBytes();
}

function signedCaCertificatePem(id: CaId, privateKeyPem: string): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(privateKeyPem);
  cert.serialNumber = '01';
  // Fixed dates so the CA certificate is the same bytes in every process and on every day.
  cert.validity.notBefore = new Date('2015-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2049-12-31T14:59:59Z');
  cert.setSubject(CA_SUBJECTS[id]);
  cert.setIssuer(CA_SUBJECTS[id]);
  cert.setExtensions([
    { name: 'basicConstraints', critical: true, cA: true },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, privateKeyPem);
  return forge.pki.certificateToPem(cert);
}

export function loadTestCa(id: CaId = 'test-ca', dir = pkiCacheDir()): Promise<TestCa> {
  return memoized(`ca:${dir}:${id}`, async () => {
    const privateKeyPem = await cachedPrivateKeyPem(id, dir);
    const certPath = join(dir, `${id}.cert.pem`);
    const certPem = readIfPresent(certPath) ?? createOnce(certPath, signedCaCertificatePem(id, privateKeyPem));
    const cert = forge.pki.certificateFromPem(certPem);
    return { id, certPem, certDer: derOf(cert), cert, privateKeyPem };
  });
}

/** The trusted test CA certificate (PEM): tests and the agent's test config add it as a trust anchor. */
export async function testCaCertificatePem(dir = pkiCacheDir()): Promise<string> {
  return (await loadTestCa('test-ca', dir)).certPem;
}

/** Path of the trusted test CA certificate PEM file (created on first use). */
export async function testCaCertificatePath(dir = pkiCacheDir()): Promise<string> {
  await loadTestCa('test-ca', dir);
  return join(dir, 'test-ca.cert.pem');
}

function derOf(cert: forge.pki.Certificate): Uint8Array {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

export interface AuthCertificateRequest {
  ca: CaId;
  /** Lowercase hex, positive (first byte < 0x80). */
  serialHex: string;
  /** Opaque identifier, like the real 23-character CN. Never personal data. */
  subjectCn: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: forge.pki.rsa.PublicKey;
}

/** A 利用者証明用電子証明書-like certificate (subject C=JP + opaque CN; digitalSignature; clientAuth), DER. */
export async function issueAuthCertificate(request: AuthCertificateRequest, dir = pkiCacheDir()): Promise<Uint8Array> {
  const ca = await loadTestCa(request.ca, dir);
  const cert = forge.pki.createCertificate();
  cert.publicKey = request.publicKey;
  cert.serialNumber = request.serialHex;
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  cert.setSubject([
    { shortName: 'C', value: 'JP' },
    { shortName: 'CN', value: request.subjectCn },
  ]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'keyUsage', critical: true, digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    // forge's `keyIdentifier: true` would take the subject's key, so pass the CA's explicitly.
    { name: 'authorityKeyIdentifier', keyIdentifier: subjectKeyId(ca.cert.publicKey as forge.pki.rsa.PublicKey) },
  ]);
  signCertificate(cert, ca.privateKeyPem);
  return derOf(cert);
}
