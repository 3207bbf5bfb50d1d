import { XMLValidator } from 'fast-xml-parser';
import { decodeOqsBytes, declaredEncoding } from './encoding.ts';

/**
 * Whether a face file's bytes are a whole document: an XML declaration naming its encoding, text that
 * decodes in it, and well-formed XML up to the closing root element. A file cut off while the terminal
 * writes it fails one of these, so it waits for the stability check instead.
 */
export function isCompleteOqsDocument(bytes: Buffer): boolean {
  const declared = declaredEncoding(bytes);
  if (!declared.ok || declared.value === null) return false;
  const decoded = decodeOqsBytes(bytes, declared.value);
  if (!decoded.ok) return false;
  return XMLValidator.validate(decoded.value.text) === true;
}
