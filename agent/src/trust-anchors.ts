import { readdirSync, readFileSync } from 'node:fs';

/** The J-LIS roots shipped in agent/trust, read by the composition root and the CLI (the card layer takes anchors as input). */
export function defaultTrustAnchorPems(): string[] {
  const folder = new URL('../trust/', import.meta.url);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.pem'))
    .sort()
    .map((file) => readFileSync(new URL(file, folder), 'utf8'));
}
