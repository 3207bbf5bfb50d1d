import { parseArgs } from 'node:util';
import { japanDate } from '../clock.ts';
import { checkOrca } from '../orca/index.ts';
import type { Subcommand } from './main.ts';
import { orcaSettingsOf, START_ARGS, startConfigFrom } from './start-config.ts';

const HELP = `Usage: kiosk-agent orca check --orca-url URL --orca-user NAME --orca-password-file FILE
                              [--orca-department CODE] [--orca-physician CODE] [--orca-format xml2|json]
       kiosk-agent orca check --config FILE

Checks what "kiosk-agent start" needs to send 受付 to ORCA: that ORCA answers at the URL, takes the user
and password, and knows the 診療科 and ドクター codes (system01lstv2, today). The options and the
configuration file are those of "kiosk-agent start".

Exit codes: 0 everything in place, 1 a problem was found (each is printed), 2 usage.`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    console.log(HELP);
    return 0;
  }
  if (command !== 'check') {
    console.error(`kiosk-agent orca: ${command ? `unknown command "${command}"` : 'name a command'}\n\n${HELP}`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: START_ARGS }));
  } catch (error) {
    console.error(`kiosk-agent orca check: ${(error as Error).message} ("--help" lists the options)`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = startConfigFrom(values);
  const settings = config.ok ? orcaSettingsOf(config.value) : config;
  if (!settings.ok) {
    console.error(`kiosk-agent orca check: ${settings.error.message}`);
    return 2;
  }
  if (!settings.value) {
    console.error('kiosk-agent orca check: name ORCA with --orca-url, --orca-user and --orca-password-file (or --config)');
    return 2;
  }
  const report = await checkOrca(settings.value, japanDate(new Date()));
  for (const line of report.lines) (line.startsWith('problem') ? console.error : console.log)(line);
  return report.ok ? 0 : 1;
}

const orca: Subcommand = {
  summary: 'check the ORCA (日レセ) connection, user and codes: orca check',
  run,
};

export default orca;
