import { parseArgs } from 'node:util';

const HELP = `Usage: kiosk-mock demo [start options] [--orca-demo] the demonstration agent on the mock reader (npm start);
                                                    --orca-demo: with a mock ORCA receiving the 受付
       kiosk-mock orca [--port N] [...]      mock ORCA (日レセ) API server (kiosk-mock orca --help)
       kiosk-mock <scenario|action> [--url URL]
       kiosk-mock --list [--url URL]
       kiosk-mock terminal --dir DIR [...]   mock 資格確認端末 (kiosk-mock terminal --help)
       kiosk-mock card --profile ID [...]    virtual My Number card on vpcd (kiosk-mock card --help)

Makes the running agent's mock reader play a scenario, through the agent's mock control endpoint
(present only in the demonstration, kiosk-mock demo). URL defaults to $KIOSK_AGENT_URL or
http://127.0.0.1:8080.`;

interface Listing {
  scenarios: { name: string; description: string; patient?: string }[];
  actions: { name: string; description: string }[];
  current: string | null;
}

export async function runMockCli(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'demo') {
    const [{ runStart }, { startDemo }, { withDemoOrca }] = await Promise.all([
      import('@kiosk/agent/cli/start.ts'),
      import('./demo/index.ts'),
      import('./orca/cli.ts'),
    ]);
    return runStart((await withDemoOrca(rest)).args, startDemo);
  }
  if (first === 'orca') return (await import('./orca/cli.ts')).runOrcaMockCli(rest);
  if (first === 'terminal') return (await import('./terminal/cli.ts')).runTerminalCli(rest);
  if (first === 'card') return (await import('./card/cli.ts')).runVirtualCardCli(rest);

  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { list: { type: 'boolean' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || (!values.list && positionals.length !== 1)) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const base = (values.url ?? process.env.KIOSK_AGENT_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  try {
    if (values.list) {
      const listing = (await (await request(`${base}/mock/scenarios`)).json()) as Listing;
      for (const s of listing.scenarios) console.log(`${s.name.padEnd(30)} ${s.description}${s.patient ? `\n${''.padEnd(30)}   patient: ${s.patient}` : ''}`);
      console.log('\nReader actions:');
      for (const a of listing.actions) console.log(`${a.name.padEnd(30)} ${a.description}`);
      return 0;
    }
    const response = await request(`${base}/mock/scenario`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: positionals[0] }),
    });
    const body = (await response.json()) as { ok: boolean; scenario?: string; error?: { message: string } };
    if (!body.ok) {
      console.error(`kiosk-mock: ${body.error?.message ?? 'refused'} (kiosk-mock --list shows the scenarios)`);
      return 1;
    }
    console.log(`playing ${body.scenario}`);
    return 0;
  } catch (error) {
    console.error(`kiosk-mock: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function request(url: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new Error(`no agent at ${new URL(url).origin}: start the demonstration with "npm start"`);
  }
  if (response.status === 404 && !response.headers.get('content-type')?.includes('json')) {
    throw new Error('the agent has no mock control endpoint: it is not the demonstration (npm start)');
  }
  return response;
}
