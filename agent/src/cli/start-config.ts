/**
 * The settings of `kiosk-agent start` (and `kiosk-mock demo`, `kiosk-agent doctor`): every start option
 * from the command line, the environment or a JSON configuration file (`--config FILE`), in that order
 * of precedence, then the defaults. The file's keys are the option names without "--".
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { fail, ok, type Result } from '@kiosk/protocol';
import type { OrcaSettings } from '../orca/index.ts';

const text = z.string().min(1);
const texts = z.array(text);

export const StartConfigSchema = z.strictObject({
  driver: text.optional(),
  port: z.number().int().min(0).max(65535).optional(),
  host: text.optional(),
  'data-dir': text.optional(),
  reader: texts.optional(),
  'reader-prefer': texts.optional(),
  trust: texts.optional(),
  'oqs-dir': text.optional(),
  'oqs-face': text.optional(),
  'oqs-req': text.optional(),
  'oqs-res': text.optional(),
  'institution-code': z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
  'oqs-encoding': z.enum(['auto', 'utf-8', 'shift_jis']).optional(),
  'oqs-archive-dir': text.optional(),
  'e-prescription': z.boolean().optional(),
  'consent-diagnosis': z.boolean().optional(),
  'consent-operation': z.boolean().optional(),
  'tls-cert': text.optional(),
  'tls-key': text.optional(),
  'public-name': texts.optional(),
  'retention-days': z.number().int().min(0).optional(),
  rules: text.optional(),
  'rules-max-age-days': z.number().int().min(1).optional(),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  'orca-url': z
    .url({ protocol: /^https?$/ })
    .refine((url) => !new URL(url).username && !new URL(url).password)
    .optional(),
  'orca-user': text.optional(),
  'orca-password-file': text.optional(),
  'orca-department': z
    .string()
    .regex(/^[0-9A-Za-z]{1,4}$/)
    .optional(),
  'orca-physician': z
    .string()
    .regex(/^[0-9A-Za-z]{1,10}$/)
    .optional(),
  'orca-format': z.enum(['xml2', 'json']).optional(),
});
export type StartConfig = z.infer<typeof StartConfigSchema>;
type Key = keyof StartConfig;

interface KeyInfo {
  /** What a bad value is told it must be. */
  expects: string;
  /** The environment variable that sets it (between the command line and the file). */
  env?: string;
  /** The option's value type on the command line: text (default), a number, a flag or a repeatable text. */
  type?: 'number' | 'flag' | 'list';
  /** A file or folder: relative in the configuration file means relative to the file's folder. */
  path?: true;
}

const FOLDER = { expects: 'a folder path', path: true } as const;
const FILE = { expects: 'a file path', path: true } as const;
const TEXTS = { expects: 'a list of non-empty texts', type: 'list' } as const;
const FLAG = { expects: 'true or false', type: 'flag' } as const;

const KEYS: Record<Key, KeyInfo> = {
  driver: { expects: 'a driver name (pcsc, oqs, pcsc+oqs)' },
  port: { expects: 'a number from 0 to 65535', env: 'KIOSK_PORT', type: 'number' },
  host: { expects: 'an interface address' },
  'data-dir': { ...FOLDER, env: 'KIOSK_DATA_DIR' },
  reader: TEXTS,
  'reader-prefer': TEXTS,
  trust: { ...TEXTS, expects: 'a list of file paths', path: true },
  'oqs-dir': FOLDER,
  'oqs-face': FOLDER,
  'oqs-req': FOLDER,
  'oqs-res': FOLDER,
  'institution-code': { expects: 'the 10-digit 医療機関コード (in the file, a string: it may start with 0)' },
  'oqs-encoding': { expects: 'auto, utf-8 or shift_jis' },
  'oqs-archive-dir': FOLDER,
  'e-prescription': FLAG,
  'consent-diagnosis': FLAG,
  'consent-operation': FLAG,
  'tls-cert': FILE,
  'tls-key': FILE,
  'public-name': TEXTS,
  'retention-days': { expects: 'a whole number of days (0 turns the purge off)', env: 'KIOSK_RETENTION_DAYS', type: 'number' },
  rules: FILE,
  'rules-max-age-days': { expects: 'a whole number of days, 1 or more', type: 'number' },
  'log-level': { expects: 'fatal, error, warn, info, debug, trace or silent', env: 'LOG_LEVEL' },
  'orca-url': { expects: 'the ORCA base URL, http(s)://HOST:PORT or https://HOST/api for WebORCA, without a user or password in it' },
  'orca-user': { expects: 'the ORCA user name' },
  'orca-password-file': FILE,
  'orca-department': { expects: "ORCA's 診療科 code, e.g. 01" },
  'orca-physician': { expects: "ORCA's ドクター code, e.g. 10001" },
  'orca-format': { expects: 'xml2 or json' },
};
const KEY_NAMES = Object.keys(KEYS) as Key[];

/** What applies when no source gives a value. */
const DEFAULTS = { port: 8080, host: '127.0.0.1', 'oqs-encoding': 'auto' } as const satisfies StartConfig;

/** parseArgs options for every start setting, plus --config and --help. */
export const START_ARGS = {
  ...Object.fromEntries(
    KEY_NAMES.map((key) => {
      const type = KEYS[key].type;
      return [key, type === 'flag' ? { type: 'boolean' } : type === 'list' ? { type: 'string', multiple: true } : { type: 'string' }];
    }),
  ),
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const asNumber = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

/** One value from the command line or the environment, checked against its key's schema. */
function checked(key: Key, raw: unknown, source: string): Result<unknown> {
  const value = KEYS[key].type === 'number' && typeof raw === 'string' ? asNumber(raw) : raw;
  const parsed = StartConfigSchema.shape[key].safeParse(value);
  return parsed.success ? ok(parsed.data) : fail('INPUT_INVALID', `${source} must be ${KEYS[key].expects}`);
}

function fromFile(file: string): Result<StartConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `is not JSON: ${error.message}` : `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    return fail('INPUT_INVALID', `configuration file ${file} ${reason}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('INPUT_INVALID', `configuration file ${file} must be a JSON object whose keys are start options without "--"`);
  }
  const parsed = StartConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return fail('INPUT_INVALID', `configuration file ${file}: unknown key ${keys} (the keys are: ${KEY_NAMES.join(', ')})`);
    }
    const key = issue.path[0] as Key;
    return fail('INPUT_INVALID', `configuration file ${file}: "${key}" must be ${KEYS[key].expects}`);
  }
  const base = dirname(resolve(file));
  const config: Record<string, unknown> = { ...parsed.data };
  for (const key of KEY_NAMES) {
    const value = config[key];
    if (!KEYS[key].path || value === undefined) continue;
    config[key] = Array.isArray(value) ? value.map((p: string) => resolve(base, p)) : resolve(base, value as string);
  }
  return ok(config as StartConfig);
}

/**
 * The start settings from parsed arguments (START_ARGS), the environment and the file named by --config:
 * the command line over the environment over the file over the defaults. A bad or unknown value is an
 * INPUT_INVALID naming the option, variable or key.
 */
export function startConfigFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Result<StartConfig> {
  const file = typeof values.config === 'string' ? fromFile(values.config) : ok<StartConfig>({});
  if (!file.ok) return file;
  const config: Record<string, unknown> = { ...DEFAULTS, ...file.value };
  for (const key of KEY_NAMES) {
    const name = KEYS[key].env;
    const fromEnv = name === undefined || env[name] === '' ? undefined : env[name];
    // Only the value that applies is checked: a command-line option overrides a stale variable.
    const [raw, source] = values[key] !== undefined ? [values[key], `--${key}`] : [fromEnv, `${name}`];
    if (raw === undefined) continue;
    const value = checked(key, raw, source);
    if (!value.ok) return value;
    config[key] = value.value;
  }
  return ok(config as StartConfig);
}

/**
 * The ORCA settings when --orca-url is given (undefined without it), with the password read from its file
 * (one line; a trailing newline is dropped). The password is never part of a message.
 */
export function orcaSettingsOf(s: StartConfig): Result<OrcaSettings | undefined> {
  const url = s['orca-url'];
  if (url === undefined) {
    const stray = (['orca-user', 'orca-password-file', 'orca-department', 'orca-physician', 'orca-format'] as const).find((key) => s[key] !== undefined);
    return stray ? fail('INPUT_INVALID', `--${stray} goes with --orca-url`) : ok(undefined);
  }
  const user = s['orca-user'];
  const file = s['orca-password-file'];
  if (!user || !file) return fail('INPUT_INVALID', '--orca-url needs --orca-user and --orca-password-file');
  let password: string;
  try {
    password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    return fail('INPUT_INVALID', `--orca-password-file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (password === '' || /[\r\n]/.test(password)) return fail('INPUT_INVALID', `--orca-password-file ${file} must hold the password on one line`);
  return ok({
    connection: { baseUrl: url, user, password, ...(s['orca-format'] ? { format: s['orca-format'] } : {}) },
    ...(s['orca-department'] ? { department: s['orca-department'] } : {}),
    ...(s['orca-physician'] ? { physician: s['orca-physician'] } : {}),
  });
}
