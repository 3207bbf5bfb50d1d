import { z } from 'zod';
import { fail, ok, type Result } from '@kiosk/protocol';
import { DEFAULT_MAX_FILE_BYTES } from './parse.ts';

const ms = z.number().int().positive();

/** Where the 資格確認端末's folders are and how patiently to read them. Times in milliseconds. */
export const OqsConfigSchema = z.object({
  /** The terminal's face folder (results of reader transactions); often a mounted network share. */
  faceDir: z.string().min(1),
  /** Request and result folders of the 外部インターフェイス (一件照会, 照会番号登録). */
  reqDir: z.string().min(1),
  resDir: z.string().min(1),
  /** 医療機関コード, 10 digits. */
  institutionCode: z.string().regex(/^\d{10}$/, 'institution code must be 10 digits'),
  /** auto: from the XML declaration. Requests are written in UTF-8 only when this says 'utf-8'. */
  encoding: z.enum(['auto', 'utf-8', 'shift_jis']).default('auto'),
  /** When set, processed face files are moved here; otherwise the terminal's files are never touched. */
  archiveDir: z.string().min(1).optional(),
  /** Filesystem events on the face folder; false where they never arrive (some shares): the periodic scan alone. */
  watchEvents: z.boolean().default(true),
  /** Periodic scan; filesystem events alone are unreliable on network shares. */
  pollIntervalMs: ms.default(2000),
  /** A file that is not yet a whole document is taken as complete once its size and mtime stayed unchanged this long. */
  stableMs: ms.default(600),
  maxFileBytes: ms.default(DEFAULT_MAX_FILE_BYTES),
  /** awaitFaceResult gives up after this (ELIGIBILITY_TIMEOUT). */
  faceTimeoutMs: ms.default(60_000),
  /** 一件照会 gives up waiting for the res file after this. */
  inquiryTimeoutMs: ms.default(30_000),
  /** The same 一件照会 within this window reuses the first request instead of writing another. */
  requestDedupMs: ms.default(60_000),
  /** Face results older than this when first seen are recorded but not queued (history on first start). */
  maxResultAgeMs: ms.default(30 * 60_000),
  /** A walk-in may still be claimed by a session that started before it, within this window. */
  walkInClaimMs: ms.default(10 * 60_000),
});
export type OqsConfigInput = z.input<typeof OqsConfigSchema>;
export type OqsConfig = z.output<typeof OqsConfigSchema>;

/** Validates a config (e.g. from the agent's config file) and fills the defaults. */
export function parseOqsConfig(input: unknown): Result<OqsConfig> {
  const parsed = OqsConfigSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return fail('INPUT_INVALID', `oqs config: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
}
