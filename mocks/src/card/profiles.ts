/**
 * Virtual card profiles: the card situations the kiosk must handle, each a stable id with its PIN,
 * token, certificate dates (relative to a given "now") and certificate serial. ALL VALUES ARE TEST DATA.
 */
import { JPKI_AID, JPKI_EF, TEXT_AP_AID, AUTH_PIN_MAX_TRIES, SIGN_PASSWORD_MAX_TRIES } from '@kiosk/agent/card/constants.ts';
import type { TOKEN_LABELS } from '@kiosk/agent/card/constants.ts';
import type { CertificateRegistration } from '@kiosk/agent/flow/ports.ts';
import { japanDate } from '@kiosk/agent/clock.ts';
import { issueAuthCertificate, loadCardKey, loadTestCa, pkiCacheDir } from './pki.ts';
import type { CaId } from './pki.ts';
import { VirtualMyNumberCard } from './virtual-card.ts';
import type { Application, CardImage, ElementaryFile, VirtualCardOptions } from './virtual-card.ts';

/** The PIN of every PIN-bearing profile (auth PIN and text-AP PIN). Test data. */
export const TEST_PIN = '1234';

export const PROFILE_IDS = [
  'valid',
  'expiring',
  'grace',
  'expired',
  'wrong-issuer',
  'pin-locked',
  'juki',
  'android',
  'face-only',
  'not-jpki',
  'unregistered',
  'lost',
] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export const isProfileId = (value: string): value is ProfileId => (PROFILE_IDS as readonly string[]).includes(value);

const ATR = {
  /** Contact ATR of a real My Number card (pcsc-tools "JPKI (02)"). */
  myNumberCard: '3BDA13FF8131FB468012392F31C173C601C03B',
  /** Listed by pcsc-tools as JUKICARD (住基カード). */
  jukiCard: '3BE000FF8131FE4514',
  /** vsmartcard's generic "vcard" ATR: some other smart card. */
  otherCard: '3B858001766361726466',
} as const;

export interface JpkiProfile {
  tokenLabel: keyof typeof TOKEN_LABELS;
  /** Auth PIN (EF 0018); null = no PIN key on the card (顔認証マイナンバーカード): EF 0018 is absent. */
  authPin: { value: string; issuedTries: number } | null;
  /** Android GPSE token: EF 000A needs the auth PIN first. */
  authCertNeedsPin: boolean;
  cert: {
    ca: CaId;
    /** Lowercase hex; the mock qualification registry keys on it. */
    serialHex: string;
    /** Japan date of notAfter = japanDate(now) + this many days (notAfter is 14:59:59Z = 23:59:59 JST). */
    expiresInDays: number;
  };
  /** What the mock qualification registry should say about this certificate. */
  registration: CertificateRegistration;
}

export interface CardProfile {
  id: ProfileId;
  description: string;
  atr: string;
  /** null: no JPKI AP (SELECT answers 6A82), i.e. not a My Number card. */
  jpki: JpkiProfile | null;
}

const YEARS_2 = 730;

function myNumberCard(overrides: Partial<JpkiProfile> & { serialHex: string; expiresInDays?: number; ca?: CaId }): JpkiProfile {
  const { serialHex, expiresInDays = YEARS_2, ca = 'test-ca', ...rest } = overrides;
  return {
    tokenLabel: 'JPKIAPICCTOKEN2',
    authPin: { value: TEST_PIN, issuedTries: AUTH_PIN_MAX_TRIES },
    authCertNeedsPin: false,
    registration: 'registered',
    ...rest,
    cert: { ca, serialHex, expiresInDays },
  };
}

export const PROFILES: Readonly<Record<ProfileId, CardProfile>> = {
  valid: {
    id: 'valid',
    description: 'My Number card, registered, certificate valid for 2 more years',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c001' }),
  },
  expiring: {
    id: 'expiring',
    description: 'certificate expires in about 1 month',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c002', expiresInDays: 30 }),
  },
  grace: {
    id: 'grace',
    description: 'certificate expired about 1 month ago (within the 3-month grace)',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c003', expiresInDays: -30 }),
  },
  expired: {
    id: 'expired',
    description: 'certificate expired about 6 months ago',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c004', expiresInDays: -182 }),
  },
  'wrong-issuer': {
    id: 'wrong-issuer',
    description: 'certificate issued by an untrusted CA',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c005', ca: 'untrusted-ca' }),
  },
  'pin-locked': {
    id: 'pin-locked',
    description: 'auth PIN blocked (0 tries left)',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c006', authPin: { value: TEST_PIN, issuedTries: 0 } }),
  },
  juki: {
    id: 'juki',
    description: '住基カード (token JPKIAPICCTOKEN)',
    atr: ATR.jukiCard,
    jpki: myNumberCard({ serialHex: '7e57c007', tokenLabel: 'JPKIAPICCTOKEN' }),
  },
  android: {
    id: 'android',
    description: 'Android スマホ用電子証明書 (token JPKIAPGPSETOKEN); EF 000A readable only after the PIN',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c008', tokenLabel: 'JPKIAPGPSETOKEN', authCertNeedsPin: true }),
  },
  'face-only': {
    id: 'face-only',
    description: '顔認証マイナンバーカード: no PIN (EF 0018 absent → SELECT 6A82; signing → 6982)',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c009', authPin: null }),
  },
  'not-jpki': { id: 'not-jpki', description: 'some other smart card: every AID answers 6A82', atr: ATR.otherCard, jpki: null },
  unregistered: {
    id: 'unregistered',
    description: 'valid card not registered for insurance use',
    atr: ATR.myNumberCard,
    jpki: myNumberCard({ serialHex: '7e57c00b', registration: 'unregistered' }),
  },
  lost: { id: 'lost', description: 'valid card reported lost', atr: ATR.myNumberCard, jpki: myNumberCard({ serialHex: '7e57c00c', registration: 'lost' }) },
};

export interface ProfileSerial {
  profile: ProfileId;
  serialHex: string;
  registration: CertificateRegistration;
}

/** Certificate serial and registry state of every profile that has a certificate (for the mock registry). */
export function profileSerials(): ProfileSerial[] {
  return PROFILE_IDS.flatMap((id) => {
    const jpki = PROFILES[id].jpki;
    return jpki ? [{ profile: id, serialHex: jpki.cert.serialHex, registration: jpki.registration }] : [];
  });
}

const DAY_MS = 86_400_000;

/**
 * notAfter on the Japan date `expiresInDays` after now's Japan date, at 23:59:59 JST (14:59:59Z) like
 * real JPKI certificates; notBefore five years earlier (the validity of a real certificate).
 */
export function certificateValidity(expiresInDays: number, now: Date): { notBefore: Date; notAfter: Date } {
  const expiryDate = japanDate(new Date(now.getTime() + expiresInDays * DAY_MS));
  const notAfter = new Date(`${expiryDate}T14:59:59Z`);
  const notBefore = new Date(`${expiryDate}T15:00:00Z`);
  notBefore.setUTCFullYear(notBefore.getUTCFullYear() - 5);
  return { notBefore, notAfter };
}

/** 23 characters, opaque, no personal data, like the real CN. */
const opaqueSubjectCn = (serialHex: string): string => `KIOSKTEST${serialHex.toUpperCase()}000000`;

/** Synthetic 個人番号 with a deliberately wrong check digit (valid would end in 3): never a real number. */
const SYNTHETIC_MY_NUMBER = '987654321090';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'ascii');

/** Copies `data` into `size` bytes of `fill`: EFs are fixed-size and keep filler after their content. */
function padded(data: Uint8Array, size: number, fill: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, data.length)).fill(fill);
  out.set(data);
  return out;
}

/** EF 0006: the token label space-padded to 32 bytes, inside a 160-byte CK_TOKEN_INFO-sized file. */
const tokenInfo = (label: string): Uint8Array => padded(padded(ascii(label), 32, 0x20), 160, 0x00);

/** Certificate EFs are larger than the DER they hold; readers must trim to the DER length. */
const CERT_EF_SIZE = 2048;

/** Text AP EF 0001: FF 10 0C + 12 digits + FF FF (17 bytes physically). */
const myNumberFile = (): Uint8Array => padded(Uint8Array.from([0xff, 0x10, 0x0c, ...ascii(SYNTHETIC_MY_NUMBER)]), 17, 0xff);

const pinFile = (value: string, issuedTries: number, maxTries = AUTH_PIN_MAX_TRIES): ElementaryFile => ({
  kind: 'pin',
  value: ascii(value),
  maxTries,
  issuedTries,
});

/** The 署名用電子証明書's password (6–16 characters, uppercase). The kiosk never uses it; OpenSC asks for its tries. Test data. */
export const TEST_SIGN_PASSWORD = 'ABC123';

const TEXT_AP_PIN = 0x0011;

/** 券面事項入力補助AP: present only so a test can prove the agent never selects it. */
function textApplication(): Application {
  return {
    name: 'text',
    aid: TEXT_AP_AID,
    files: new Map<number, ElementaryFile>([
      [0x0001, { kind: 'binary', data: myNumberFile(), read: { pin: TEXT_AP_PIN } }],
      [TEXT_AP_PIN, pinFile(TEST_PIN, AUTH_PIN_MAX_TRIES)],
    ]),
  };
}

async function jpkiApplication(profileId: ProfileId, jpki: JpkiProfile, now: Date, pkiDir: string): Promise<Application> {
  const key = await loadCardKey(profileId, pkiDir);
  const ca = await loadTestCa(jpki.cert.ca, pkiDir);
  const certificate = await issueAuthCertificate(
    {
      ca: jpki.cert.ca,
      serialHex: jpki.cert.serialHex,
      subjectCn: opaqueSubjectCn(jpki.cert.serialHex),
      publicKey: key.publicKey,
      ...certificateValidity(jpki.cert.expiresInDays, now),
    },
    pkiDir,
  );
  const pinGuarded = { pin: JPKI_EF.authPin };
  const files = new Map<number, ElementaryFile>([
    [JPKI_EF.tokenInfo, { kind: 'binary', data: tokenInfo(jpki.tokenLabel), read: 'always' }],
    [JPKI_EF.authCertificate, { kind: 'binary', data: padded(certificate, CERT_EF_SIZE, 0xff), read: jpki.authCertNeedsPin ? pinGuarded : 'always' }],
    [JPKI_EF.authCaCertificate, { kind: 'binary', data: padded(ca.certDer, CERT_EF_SIZE, 0xff), read: 'always' }],
    [JPKI_EF.authKey, { kind: 'key', privateKeyPem: key.privateKeyPem, use: pinGuarded }],
  ]);
  if (jpki.authPin) {
    files.set(JPKI_EF.authPin, pinFile(jpki.authPin.value, jpki.authPin.issuedTries));
    // A card with PINs also has the signature password (EF 001B), as a real card does; a 顔認証マイナンバーカード has neither.
    files.set(JPKI_EF.signPassword, pinFile(TEST_SIGN_PASSWORD, SIGN_PASSWORD_MAX_TRIES, SIGN_PASSWORD_MAX_TRIES));
  }
  return { name: 'jpki', aid: JPKI_AID, files };
}

const imageCache = new Map<string, Promise<CardImage>>();

/** The card's file image for `now` (certificate dates depend on it). Cached per profile, Japan date and PKI folder. */
export function cardImage(profileId: ProfileId, now: Date = new Date(), pkiDir: string = pkiCacheDir()): Promise<CardImage> {
  const cacheKey = `${profileId}|${japanDate(now)}|${pkiDir}`;
  let image = imageCache.get(cacheKey);
  if (!image) {
    image = buildImage(PROFILES[profileId], now, pkiDir);
    imageCache.set(cacheKey, image);
    image.catch(() => imageCache.delete(cacheKey));
  }
  return image;
}

async function buildImage(profile: CardProfile, now: Date, pkiDir: string): Promise<CardImage> {
  const applications = profile.jpki ? [await jpkiApplication(profile.id, profile.jpki, now, pkiDir), textApplication()] : [];
  return { profileId: profile.id, atr: Buffer.from(profile.atr, 'hex'), applications };
}

export interface CreateVirtualCardOptions extends VirtualCardOptions {
  profile: ProfileId;
  /** "Today" for the certificate dates; default: the real now. */
  now?: Date;
  pkiDir?: string;
}

/** A fresh card of a profile (PIN counters continue from the store: the same physical card again). */
export async function createVirtualCard(options: CreateVirtualCardOptions): Promise<VirtualMyNumberCard> {
  const image = await cardImage(options.profile, options.now, options.pkiDir);
  return new VirtualMyNumberCard(image, { counters: options.counters });
}
