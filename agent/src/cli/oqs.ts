import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { escapeUnsafeText } from '@kiosk/protocol';
import { codeLabel } from '../drivers/oqs/codes.ts';
import type { BirthDateProblem } from '../drivers/oqs/dates.ts';
import type { OqsResult } from '../drivers/oqs/fields.ts';
import { parseOqsFile, type ParsedOqsFile } from '../drivers/oqs/parse.ts';
import { viewOf } from '../drivers/oqs/views.ts';
import type { Subcommand } from './main.ts';

const HELP = `Usage: kiosk-agent oqs parse FILE [--json] [--max-bytes N]

Parses a 資格確認結果 XML file from the 資格確認端末 (face or res folder) and prints it.
  --json         one JSON document: header, body, results (values exactly as in the file), outcome, and
                 warnings when a value is not used (a birth date cut by the terminal or no calendar date)
  --max-bytes N  refuse larger files (default 1048576)

The output contains personal data (names, birth dates, insurance numbers): for clinic IT on this
terminal only; do not paste it into tickets or chat.
Exit status: 0 parsed, 1 the file is unreadable or invalid, 2 wrong usage.`;

/** The file's text can carry bidi overrides and C1 controls (a terminal obeys them): printed as visible escapes, lines kept. */
function terminalSafe(text: string): string {
  return text.split('\n').map(escapeUnsafeText).join('\n');
}

function birthDateWarning(written: string, problem: BirthDateProblem): string {
  const why = problem === 'redacted' ? "was cut by the terminal's output setting" : 'is not a calendar date';
  return `"${written}" ${why}; the result goes to staff review`;
}

/** What the file says that the agent will not use, and why (for --json). */
function warningsOf(results: readonly OqsResult[]) {
  return results.flatMap((result, i) => {
    const problem = viewOf(result).birthDateProblem;
    return problem ? [{ result: i + 1, field: 'Birthdate', problem, message: birthDateWarning(result.Birthdate ?? '', problem) }] : [];
  });
}

function humanReadable(parsed: ParsedOqsFile): string {
  const { header, body } = parsed;
  const lines = [
    `outcome: ${parsed.outcome}`,
    `encoding: ${parsed.encoding}`,
    `ProcessExecutionTime: ${header.ProcessExecutionTime ?? '-'}`,
    `SegmentOfResult: ${header.SegmentOfResult ?? '-'} ${codeLabel('segmentOfResult', header.SegmentOfResult) ?? ''}`.trimEnd(),
  ];
  if (header.ErrorCode) lines.push(`ErrorCode: ${header.ErrorCode} ${header.ErrorMessage ?? ''}`.trimEnd());
  lines.push(`QualificationValidity: ${body.QualificationValidity ?? '-'} ${codeLabel('qualificationValidity', body.QualificationValidity) ?? ''}`.trimEnd());
  if (body.ProcessingResultMessage) lines.push(`ProcessingResultMessage: ${body.ProcessingResultMessage}`);
  parsed.results.forEach((result: OqsResult, i) => {
    const view = viewOf(result);
    lines.push(
      `result ${i + 1}:`,
      `  name: ${result.Name ?? '-'} (${result.NameKana ?? '-'})`,
      `  birth date: ${view.birthDateProblem ? `not usable: ${birthDateWarning(result.Birthdate ?? '', view.birthDateProblem)}` : (view.birthDate ?? '-')}  sex: ${view.sex ?? '-'}`,
      `  insurer: "${result.InsurerNumber ?? ''}" ${result.InsurerName ?? ''}`.trimEnd(),
      `  symbol/number/branch: ${result.InsuredCardSymbol ?? '-'} / ${result.InsuredIdentificationNumber ?? '-'} / ${result.InsuredBranchNumber ?? '-'}`,
      `  ${view.personalFamily ?? '-'}, copay: ${view.copayPercent === undefined ? '-' : `${view.copayPercent}%`}`,
      `  consents: ${
        Object.entries(view.consents)
          .map(([item, c]) => `${item}=${c.given ? 'yes' : 'no'}`)
          .join(' ') || '-'
      }`,
    );
    for (const ticket of view.medicalTickets) {
      lines.push(
        `  医療券 (TicketType ${ticket.ticketType ?? '-'}): ${ticket.validFrom ?? '-'} to ${ticket.validUntil ?? '-'}, month ${ticket.treatmentMonth ?? '-'}, ` +
          `IssueNumber ${ticket.issueNumber ?? '-'}, self-pay ${ticket.selfPayYen === undefined ? '-' : `${ticket.selfPayYen} yen`}`,
      );
    }
    if (result.ReferenceNumber) lines.push(`  ReferenceNumber: ${result.ReferenceNumber}`);
  });
  return lines.join('\n');
}

async function parseCommand(argv: string[]): Promise<number> {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, 'max-bytes': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    console.error(`kiosk-agent oqs: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsedArgs;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  const maxBytes = values['max-bytes'] === undefined ? undefined : Number(values['max-bytes']);
  if (!file || extra.length > 0 || (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes > 0))) {
    console.error(`kiosk-agent oqs: expected one FILE (and a positive --max-bytes)\n\n${HELP}`);
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    console.error(`kiosk-agent oqs: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    return 1;
  }
  const parsed = parseOqsFile(bytes, maxBytes === undefined ? {} : { maxBytes });
  if (!parsed.ok) {
    const details = parsed.error.details ? ` ${JSON.stringify(parsed.error.details)}` : '';
    console.error(`kiosk-agent oqs: ${file}: ${parsed.error.code}: ${parsed.error.message}${details}`);
    return 1;
  }
  const { header, body, results, outcome } = parsed.value;
  const warnings = warningsOf(results);
  const json = () => JSON.stringify({ header, body, results, outcome, ...(warnings.length ? { warnings } : {}) }, null, 2);
  console.log(terminalSafe(values.json ? json() : humanReadable(parsed.value)));
  return 0;
}

const command: Subcommand = {
  summary: 'Inspect 資格確認端末 files: oqs parse FILE [--json]',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'parse') return parseCommand(rest);
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      console.log(HELP);
      return 0;
    }
    console.error(`kiosk-agent oqs: unknown subcommand "${sub ?? ''}"\n\n${HELP}`);
    return 2;
  },
};
export default command;
