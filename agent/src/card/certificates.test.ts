import { DEFAULT_RULES } from '../rules/table.ts';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fail, ok, type Result } from '@kiosk/protocol';
import { defaultTrustAnchorPems } from '../trust-anchors.ts';
import { checkCertificate, loadTrustAnchors, parseCertificate, proveKeyPossession, type TrustAnchor } from './certificates.ts';
import { SHA256_DIGEST_INFO_PREFIX } from './constants.ts';
import { cardSign, fakeJpkiCard, issueTestCertificate, testKey, toHex, toPem } from './card.test-support.ts';

// One 1024-bit key per role, generated once for the file: test certificates need distinct keys, not strong ones.
const rootKey = testKey();
const sameNameRootKey = testKey();
const intermediateKey = testKey();
const leafKey = testKey();

const JLIS_DN = 'C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems';
const root = issueTestCertificate({ key: rootKey, notBefore: new Date('2015-10-20T00:00:00Z'), notAfter: new Date('2035-10-19T14:59:59Z') });
/** Another "generation": same DN, different key, like the 2015 and 2023 J-LIS roots. */
const sameNameRoot = issueTestCertificate({
  key: sameNameRootKey,
  serialHex: '06d18006',
  notBefore: new Date('2023-07-16T00:00:00Z'),
  notAfter: new Date('2033-07-15T14:59:59Z'),
});
const leafValidity = { notBefore: new Date('2024-02-18T00:00:00Z'), notAfter: new Date('2029-02-17T14:59:59Z') };
const leaf = issueTestCertificate({ key: leafKey, issuerKey: rootKey, serialHex: '0A1B2C3D', ...leafValidity });

const anchorsOf = (...ders: Uint8Array[]): TrustAnchor[] => {
  const loaded = loadTrustAnchors(ders.map(toPem));
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value;
};
const code = (result: Result<unknown>) => (result.ok ? 'ok' : result.error.code);
const inValidity = new Date('2026-06-01T03:00:00Z');

describe('parseCertificate', () => {
  it('gives serial (lowercase hex), readable DNs and validity', () => {
    expect(parseCertificate(leaf)).toEqual(ok({ serialHex: '0a1b2c3d', subject: 'C=JP, CN=TEST0000000000000000000', issuer: JLIS_DN, ...leafValidity }));
  });

  it('returns CERT_MALFORMED, never throws, for arbitrary bytes and truncated certificates', () => {
    expect(code(parseCertificate(leaf.subarray(0, leaf.length - 1)))).toBe('CERT_MALFORMED');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => code(parseCertificate(bytes)) === 'CERT_MALFORMED'),
      { numRuns: 50 },
    );
  });
});

describe('trust anchors', () => {
  it('loads the shipped J-LIS roots, which share one DN', () => {
    const anchors = loadTrustAnchors(defaultTrustAnchorPems());
    expect(anchors.ok && anchors.value.map((a) => [a.subject, a.serialHex])).toEqual([
      [JLIS_DN, '01'],
      [JLIS_DN, '06d18006'],
    ]);
  });

  it('reads several certificates from one PEM text', () => {
    const loaded = loadTrustAnchors([toPem(root) + toPem(sameNameRoot)]);
    expect(loaded.ok && loaded.value.length).toBe(2);
  });

  it.each([['not pem'], ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n']])('refuses %j with CERT_MALFORMED', (pem) => {
    expect(code(loadTrustAnchors([pem]))).toBe('CERT_MALFORMED');
  });
});

describe('checkCertificate chain', () => {
  const chainOf = (der: Uint8Array, anchors: TrustAnchor[], intermediates?: Uint8Array[]) => {
    const result = checkCertificate(der, { anchors, now: inValidity, ...(intermediates ? { intermediates } : {}) });
    return result.ok ? result.value.chain : result.error.code;
  };

  it('trusts a certificate signed by one of several same-name anchors (matched by signature)', () => {
    expect(chainOf(leaf, anchorsOf(sameNameRoot, root))).toBe('trusted');
    expect(chainOf(leaf, anchorsOf(sameNameRoot))).toBe('untrusted');
    expect(chainOf(leaf, [])).toBe('untrusted');
  });

  it('follows intermediates to an anchor', () => {
    const intermediate = issueTestCertificate({
      key: intermediateKey,
      issuerKey: rootKey,
      subject: [{ name: 'commonName', value: 'Test Sub CA' }],
      ca: true,
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2030-01-01'),
    });
    const issuedBySub = issueTestCertificate({
      key: leafKey,
      issuerKey: intermediateKey,
      issuer: [{ name: 'commonName', value: 'Test Sub CA' }],
      ...leafValidity,
    });
    expect(chainOf(issuedBySub, anchorsOf(root), [intermediate])).toBe('trusted');
    expect(chainOf(issuedBySub, anchorsOf(root))).toBe('untrusted');
  });

  it('is not fooled by a card-supplied CA that only copies the J-LIS name', () => {
    const forgedCa = issueTestCertificate({ key: intermediateKey, notBefore: new Date('2020-01-01'), notAfter: new Date('2030-01-01') });
    const forgedLeaf = issueTestCertificate({ key: leafKey, issuerKey: intermediateKey, ...leafValidity });
    expect(chainOf(forgedLeaf, anchorsOf(root), [forgedCa])).toBe('untrusted');
    // The genuine root read from the card's EF 000B does no harm as an intermediate.
    expect(chainOf(leaf, anchorsOf(root), [root])).toBe('trusted');
  });

  it('trusts the shipped 2023 root against the shipped anchors', () => {
    const pems = defaultTrustAnchorPems();
    const anchors = loadTrustAnchors(pems);
    if (!anchors.ok) throw new Error(anchors.error.message);
    const der2023 = Uint8Array.from(Buffer.from(pems[1]!.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
    expect(checkCertificate(der2023, { anchors: anchors.value, now: new Date('2026-01-01T00:00:00Z') })).toMatchObject(
      ok({ chain: 'trusted', serialHex: '06d18006' }),
    );
  });
});

describe('checkCertificate key usage and dates', () => {
  const anchors = anchorsOf(root);

  it.each([
    ['digitalSignature', { digitalSignature: true }, true],
    ['keyEncipherment only', { keyEncipherment: true }, false],
    ['no key usage extension', null, false],
  ])('key usage %s → keyUsageOk %s', (_label, keyUsage, expected) => {
    const der = issueTestCertificate({ key: leafKey, issuerKey: rootKey, keyUsage, ...leafValidity });
    const result = checkCertificate(der, { anchors, now: inValidity });
    expect(result.ok && result.value.keyUsageOk).toBe(expected);
  });

  it('refuses a certificate that is not valid yet', () => {
    const result = checkCertificate(leaf, { anchors, now: new Date('2024-02-17T23:59:59Z') });
    expect(code(result)).toBe('CERT_NOT_YET_VALID');
  });

  it.each([
    ['2026-06-01T03:00:00Z', 'valid'],
    ['2028-11-17T00:00:00Z', 'expiring'],
    ['2029-02-17T14:59:58Z', 'expiring'], // 23:59:58 JST on the last day
    ['2029-02-17T15:00:00Z', 'grace'], // 00:00 JST the day after
    ['2029-05-31T14:59:59Z', 'grace'], // last day of the month 3 months after the expiry month (the default)
    ['2029-05-31T15:00:00Z', 'expired'],
  ])('at %s the status is %s (Japan dates)', (now, status) => {
    const result = checkCertificate(leaf, { anchors, now: new Date(now) });
    expect(result.ok && result.value.status).toBe(status);
  });

  it('counts the grace from the expiry date itself when set', () => {
    const now = new Date('2029-05-20T03:00:00Z');
    expect(checkCertificate(leaf, { anchors, now })).toMatchObject(ok({ status: 'grace' }));
    expect(
      checkCertificate(leaf, {
        anchors,
        now,
        rules: { ...DEFAULT_RULES, certificate: { ...DEFAULT_RULES.certificate, graceCountsFrom: 'expiry-date' } },
      }),
    ).toMatchObject(ok({ status: 'expired' }));
  });
});

describe('proveKeyPossession', () => {
  const fixedNonce = (size: number) => new Uint8Array(size).fill(7);
  const signingCard = (sign: (digestInfo: Uint8Array) => Uint8Array, seen: string[] = []) =>
    fakeJpkiCard({
      signDigestInfo: async (digestInfo) => {
        seen.push(toHex(digestInfo));
        return ok(sign(digestInfo));
      },
    });

  it('accepts a card that signs the SHA-256 DigestInfo of the nonce with the certificate key', async () => {
    const seen: string[] = [];
    expect(
      await proveKeyPossession(
        signingCard((di) => cardSign(leafKey, di), seen),
        leaf,
        fixedNonce,
      ),
    ).toEqual(ok(undefined));
    const expected = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(fixedNonce(32)).digest()]);
    expect(seen).toEqual([toHex(expected)]);
  });

  it('uses a fresh nonce each time by default', async () => {
    const seen: string[] = [];
    const card = signingCard((di) => cardSign(leafKey, di), seen);
    expect(await proveKeyPossession(card, leaf)).toEqual(ok(undefined));
    expect(await proveKeyPossession(card, leaf)).toEqual(ok(undefined));
    expect(seen[0]).not.toBe(seen[1]);
  });

  it.each([
    [
      'a tampered signature',
      (di: Uint8Array) => {
        const s = cardSign(leafKey, di);
        s[10]! ^= 0x01;
        return s;
      },
    ],
    ['a signature by another key', (di: Uint8Array) => cardSign(rootKey, di)],
    ['a signature over another digest', () => cardSign(leafKey, Uint8Array.from(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, Buffer.alloc(32)])))],
    ['a truncated signature', (di: Uint8Array) => cardSign(leafKey, di).subarray(1)],
  ])('fails with CERT_PROOF_FAILED on %s', async (_label, sign) => {
    expect(code(await proveKeyPossession(signingCard(sign), leaf, fixedNonce))).toBe('CERT_PROOF_FAILED');
  });

  it('passes on the card refusing to sign, and a malformed certificate', async () => {
    const refusing = fakeJpkiCard({ signDigestInfo: async () => fail('CARD_SECURITY_STATUS') });
    expect(code(await proveKeyPossession(refusing, leaf))).toBe('CARD_SECURITY_STATUS');
    expect(code(await proveKeyPossession(refusing, Uint8Array.of(0x30, 0x00)))).toBe('CERT_MALFORMED');
  });
});
