import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MOCK_ORCA_FAULTS, startMockOrca, type MockOrca } from './server.ts';

const HELP = `Usage: kiosk-mock orca [--port N] [--host ADDR] [--prefix /api] [--user NAME] [--password-file FILE]

A mock ORCA (日レセ) for trying the agent's --orca-url: the reception APIs (acceptmodv2, acceptlstv2,
patientgetv2, patientlst3v2, patientmodv2, system01lstv2) in xml2 and JSON, HTTP Basic auth, invented
patients only. Defaults: port 8000, user ormaster, password ormaster; --prefix /api stands in for WebORCA.

Switches while it runs (the mock's own, no ORCA has them):
  curl URL/mock/state                                  patients, 受付, request count
  curl -X POST 'URL/mock/fault?kind=K[&delayMs=N]'     K: ${MOCK_ORCA_FAULTS.join(', ')}
  curl -X POST 'URL/mock/down?seconds=30'              stop answering, come back after 30 s
  curl -X POST URL/mock/finish-visits                  mark every 受付 会計済`;

export async function runOrcaMockCli(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        prefix: { type: 'string' },
        user: { type: 'string' },
        'password-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`kiosk-mock orca: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = Number(values.port ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('kiosk-mock orca: --port must be a number from 0 to 65535');
    return 2;
  }
  const password = values['password-file'] ? readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '') : 'ormaster';
  const orca = await startMockOrca({
    port,
    ...(values.host ? { host: values.host } : {}),
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values.user ? { user: values.user } : {}),
    password,
  });
  console.log(`Mock ORCA listening on ${orca.url} (user ${values.user ?? 'ormaster'})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await orca.close();
  return 0;
}

/**
 * `kiosk-mock demo --orca-demo`: a mock ORCA beside the demonstration agent, and the agent's --orca-* options
 * pointing at it (a fresh password in a private temporary file), so the staff console shows the sync states.
 */
export async function withDemoOrca(args: string[]): Promise<{ args: string[]; orca?: MockOrca }> {
  if (!args.includes('--orca-demo')) return { args };
  const password = randomBytes(12).toString('hex');
  const file = join(mkdtempSync(join(tmpdir(), 'kiosk-orca-demo-')), 'password');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  const orca = await startMockOrca({ password });
  console.log(`Mock ORCA (demonstration) on ${orca.url}: "curl ${orca.url}/mock/state"; faults: kiosk-mock orca --help`);
  return {
    args: [...args.filter((a) => a !== '--orca-demo'), '--orca-url', orca.url, '--orca-user', 'ormaster', '--orca-password-file', file],
    orca,
  };
}
