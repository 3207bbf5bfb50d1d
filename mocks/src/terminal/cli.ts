import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, scenarioSummary, type ScenarioName } from './fixtures.ts';
import { startMockTerminal } from './terminal.ts';

const HELP = `Usage: kiosk-mock terminal --dir DIR [--scenario NAME] [--slow] [--delay MS] [--list]

A mock 資格確認端末: creates DIR/face, DIR/req and DIR/res.
  --scenario NAME  write one face result for NAME into DIR/face, then exit
  --slow           write that file in pieces over time (tests partial-write handling)
  --delay MS       how long requests take to answer (default 500)
  --list           list the scenarios
Without --scenario it keeps answering requests in DIR/req until interrupted.
All names and numbers in the files are synthetic.`;

export async function runTerminalCli(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' },
        scenario: { type: 'string' },
        slow: { type: 'boolean' },
        delay: { type: 'string' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`kiosk-mock terminal: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  if (args.list) {
    for (const name of SCENARIO_NAMES) console.log(`${name.padEnd(20)} ${scenarioSummary(name)}`);
    return 0;
  }
  if (!args.dir) {
    console.error(`kiosk-mock terminal: --dir is required\n\n${HELP}`);
    return 2;
  }
  if (args.scenario !== undefined && !SCENARIO_NAMES.includes(args.scenario as ScenarioName)) {
    console.error(`kiosk-mock terminal: unknown scenario "${args.scenario}" (see --list)`);
    return 2;
  }
  const delayMs = args.delay === undefined ? 500 : Number(args.delay);
  if (!Number.isInteger(delayMs) || delayMs < 0) {
    console.error('kiosk-mock terminal: --delay must be a whole number of milliseconds');
    return 2;
  }
  const terminal = await startMockTerminal({ dir: args.dir, delayMs });
  if (args.scenario) {
    const name = await terminal.writeFace(args.scenario as ScenarioName, { slowly: args.slow ?? false });
    await terminal.stop();
    console.log(`wrote ${terminal.faceDir}/${name}`);
    return 0;
  }
  console.log(`mock terminal answering requests in ${terminal.reqDir} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await terminal.stop();
  return 0;
}
