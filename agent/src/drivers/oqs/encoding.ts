import iconv from 'iconv-lite';
import { fail, ok, type Result } from '@kiosk/protocol';

/** The two encodings the terminal writes (CharacterCodeIdentifier 0 / 1). */
export type OqsEncoding = 'utf-8' | 'shift_jis';
/** 'auto': read the XML declaration (and a BOM); without one, try UTF-8 then Shift_JIS. */
export type OqsEncodingSetting = OqsEncoding | 'auto';

const DECLARED = /^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']/;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Windows writes cp932 when it says Shift_JIS; cp932 is the superset, so decode with it. */
const ICONV_NAME: Record<OqsEncoding, string> = { 'utf-8': 'utf-8', shift_jis: 'cp932' };

export function encodingFromLabel(label: string): OqsEncoding | undefined {
  const l = label.toLowerCase().replace(/[-_]/g, '');
  if (l === 'utf8') return 'utf-8';
  if (['shiftjis', 'sjis', 'windows31j', 'cp932', 'ms932', 'xsjis'].includes(l)) return 'shift_jis';
  return undefined;
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

/** The encoding named in the XML declaration; null when there is no declaration or no encoding in it. */
export function declaredEncoding(bytes: Uint8Array): Result<OqsEncoding | null> {
  const start = hasUtf8Bom(bytes) ? 3 : 0;
  // The declaration is ASCII in both encodings, so latin1 reads it safely.
  const head = Buffer.from(bytes.subarray(start, start + 200)).toString('latin1');
  const match = DECLARED.exec(head);
  if (!match?.[1]) return ok(null);
  const encoding = encodingFromLabel(match[1]);
  return encoding ? ok(encoding) : fail('OQS_FILE_ENCODING', 'The file declares an unsupported encoding', { declared: match[1] });
}

function decodeAs(bytes: Uint8Array, encoding: OqsEncoding): string | undefined {
  if (encoding === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  const text = iconv.decode(Buffer.from(bytes), ICONV_NAME[encoding]);
  // iconv-lite substitutes U+FFFD for byte sequences that are not Shift_JIS.
  return text.includes('\uFFFD') ? undefined : text;
}

/** Bytes → text in the file's encoding; undecodable bytes are OQS_FILE_ENCODING, never replacement characters. */
export function decodeOqsBytes(bytes: Uint8Array, setting: OqsEncodingSetting = 'auto'): Result<{ text: string; encoding: OqsEncoding }> {
  const declared = declaredEncoding(bytes);
  if (!declared.ok) return declared;
  const candidates: OqsEncoding[] = hasUtf8Bom(bytes) ? ['utf-8'] : declared.value ? [declared.value] : setting === 'auto' ? ['utf-8', 'shift_jis'] : [setting];
  for (const encoding of candidates) {
    const text = decodeAs(bytes, encoding);
    if (text !== undefined) return ok({ text, encoding });
  }
  return fail('OQS_FILE_ENCODING', undefined, { tried: candidates.join(',') });
}

export function encodeOqsText(text: string, encoding: OqsEncoding): Buffer {
  return iconv.encode(text, ICONV_NAME[encoding]);
}

/** The name written in the XML declaration for each encoding. */
export const DECLARATION_NAME: Record<OqsEncoding, string> = { 'utf-8': 'UTF-8', shift_jis: 'Shift_JIS' };
