import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateValidity, cardImage, PROFILE_IDS, PROFILES, profileSerials } from './profiles.ts';
import type { ProfileId } from './profiles.ts';
import { loadTestCa, pkiCacheDir, testCaCertificatePath, testCaCertificatePem } from './pki.ts';

const NOW = new Date('2026-01-15T03:00:00Z');
const DAY = 86_400_000;

/** The DER certificate in EF 000A of a profile's image, parsed. */
async function authCertificate(profile: ProfileId, now = NOW): Promise<forge.pki.Certificate> {
  const jpki = (await cardImage(profile, now)).applications.find((app) => app.name === 'jpki');
  const ef = jpki?.files.get(0x000a);
  if (ef?.kind !== 'binary') throw new Error('no EF 000A');
  const der = Buffer.from(ef.data).subarray(0, Buffer.from(ef.data).readUInt16BE(2) + 4);
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))));
}

beforeAll(() => Promise.all(PROFILE_IDS.map((profile) => cardImage(profile, NOW))), 180_000);

describe('certificate dates', () => {
  it('puts notAfter at 14:59:59Z (23:59:59 JST) on the Japan date, notBefore 5 years earlier', () => {
    // 16:00Z on the 15th is already the 16th in Japan.
    expect(certificateValidity(0, new Date('2026-01-15T16:00:00Z'))).toEqual({
      notBefore: new Date('2021-01-16T15:00:00Z'),
      notAfter: new Date('2026-01-16T14:59:59Z'),
    });
    expect(certificateValidity(-30, NOW).notAfter).toEqual(new Date('2025-12-16T14:59:59Z'));
  });

  it('gives each time-dependent profile its expiry relative to now', async () => {
    const daysLeft = async (profile: ProfileId): Promise<number> => ((await authCertificate(profile)).validity.notAfter.getTime() - NOW.getTime()) / DAY;
    expect(await daysLeft('valid')).toBeGreaterThan(365);
    expect(await daysLeft('expiring')).toBeGreaterThan(25);
    expect(await daysLeft('expiring')).toBeLessThan(35);
    expect(await daysLeft('grace')).toBeLessThan(-25);
    expect(await daysLeft('grace')).toBeGreaterThan(-35);
    expect(await daysLeft('expired')).toBeLessThan(-150);
    for (const profile of ['valid', 'expiring', 'grace', 'expired'] as const) {
      expect((await authCertificate(profile)).validity.notBefore.getTime()).toBeLessThan(NOW.getTime());
    }
  });

  it('follows the given now', async () => {
    const later = new Date(NOW.getTime() + 400 * DAY);
    expect((await authCertificate('expiring', later)).validity.notAfter.getTime() - later.getTime()).toBeLessThan(35 * DAY);
  });
});

describe('trust', () => {
  it('issues every certificate but wrong-issuer under the test CA', async () => {
    const store = forge.pki.createCaStore([await testCaCertificatePem()]);
    for (const profile of PROFILE_IDS) {
      if (!PROFILES[profile].jpki) continue;
      const cert = await authCertificate(profile);
      const verifies = (() => {
        try {
          return forge.pki.verifyCertificateChain(store, [cert], { validityCheckDate: null });
        } catch {
          return false;
        }
      })();
      expect({ profile, verifies }).toEqual({ profile, verifies: profile !== 'wrong-issuer' });
    }
  });

  it('uses a test CA that does not claim a J-LIS name', async () => {
    const ca = await loadTestCa();
    const dn = ca.cert.subject.attributes.map((a) => String(a.value)).join(',');
    expect(dn).not.toMatch(/Japan Agency|J-LIS|^JPKI$/);
    expect(ca.cert.subject.getField('O').value).not.toBe('JPKI');
  });
});

describe('PKI cache', () => {
  it('keeps the PKI as PEM files in the cache folder and reads them back', async () => {
    const path = await testCaCertificatePath();
    expect(path.startsWith(pkiCacheDir())).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(await testCaCertificatePem());
    // A different memo key for the same folder reads from disk: the same CA, not a new one.
    expect((await loadTestCa('test-ca', `${pkiCacheDir()}/`)).certPem).toBe(await testCaCertificatePem());
  });

  it('honours KIOSK_PKI_DIR', () => {
    const previous = process.env.KIOSK_PKI_DIR;
    process.env.KIOSK_PKI_DIR = '/tmp/some-pki';
    try {
      expect(pkiCacheDir()).toBe('/tmp/some-pki');
    } finally {
      if (previous === undefined) delete process.env.KIOSK_PKI_DIR;
      else process.env.KIOSK_PKI_DIR = previous;
    }
  });
});

describe('profileSerials', () => {
  it('lists a unique serial per certificate-bearing profile with its registry state', async () => {
    const serials = profileSerials();
    expect(new Set(serials.map((s) => s.serialHex)).size).toBe(serials.length);
    expect(serials.map((s) => s.profile)).not.toContain('not-jpki');
    expect(serials.find((s) => s.profile === 'unregistered')?.registration).toBe('unregistered');
    expect(serials.find((s) => s.profile === 'lost')?.registration).toBe('lost');
    expect(serials.find((s) => s.profile === 'valid')?.registration).toBe('registered');
    for (const { profile, serialHex } of serials) expect((await authCertificate(profile)).serialNumber).toBe(serialHex);
  });
});
