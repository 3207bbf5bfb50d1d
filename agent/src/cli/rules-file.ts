import { readFileSync } from 'node:fs';
import { fail, ok, type Result } from '@kiosk/protocol';
import { DEFAULT_RULES, rulesInForceFrom, type RulesInForce } from '../rules/table.ts';

/**
 * A clinic's rules file (`--rules FILE`, for `kiosk-agent start` and `kiosk-agent documents`): JSON that
 * overrides any date or setting of the table without a new release. No file: the table as released.
 */
export function loadRulesFile(file: string | undefined): Result<RulesInForce> {
  if (file === undefined) return ok({ table: DEFAULT_RULES });
  let override: unknown;
  try {
    override = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail('INPUT_INVALID', `--rules: cannot read JSON from ${file}: ${(error as Error).message}`);
  }
  return rulesInForceFrom(file, override);
}
