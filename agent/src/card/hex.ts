/** Uppercase hex without separators, the form used in logs, details.sw and the ATR. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Hex to bytes; spaces are allowed so APDUs can be written as in the reference ("00 A4 04 0C"). */
export function fromHex(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(compact)) throw new Error(`not hex: ${text}`);
  return Uint8Array.from(Buffer.from(compact, 'hex'));
}

/** A status word as 4 uppercase hex digits, e.g. 0x6a82 → "6A82". */
export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
