/**
 * `virtual-card --profile <id> --slot 0|1 [--counters FILE] [--now ISO] [--host H] [--port N]`:
 * inserts a virtual card into vpcd and keeps it there until SIGTERM/SIGINT (then removes it).
 */
import { parseArgs } from 'node:util';
import { FilePinCounters } from './counters.ts';
import { createVirtualCard, isProfileId, PROFILE_IDS } from './profiles.ts';
import type { ProfileId } from './profiles.ts';
import { VpcdCardClient } from './vpcd.ts';

const USAGE = `usage: virtual-card --profile <${PROFILE_IDS.join('|')}> [--slot 0|1] [--counters FILE] [--now ISO-8601] [--host HOST] [--port PORT]`;

interface CliOptions {
  profile: ProfileId;
  slot: 0 | 1;
  counters?: string;
  now?: Date;
  host?: string;
  port?: number;
}

function parseCli(argv: string[]): CliOptions | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        profile: { type: 'string' },
        slot: { type: 'string', default: '0' },
        counters: { type: 'string' },
        now: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (!values.profile || !isProfileId(values.profile)) return `unknown or missing --profile: ${values.profile ?? ''}`;
  if (values.slot !== '0' && values.slot !== '1') return '--slot must be 0 or 1';
  const now = values.now === undefined ? undefined : new Date(values.now);
  if (now && Number.isNaN(now.getTime())) return '--now must be an ISO-8601 date';
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) return '--port must be a TCP port';
  return { profile: values.profile, slot: values.slot === '0' ? 0 : 1, counters: values.counters, now, host: values.host, port };
}

/** Resolves with the process exit code: 0 after a signal, 1 when vpcd is unreachable or drops the card, 2 on bad usage. */
export async function runVirtualCardCli(argv: string[]): Promise<number> {
  const options = parseCli(argv);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${USAGE}\n`);
    return 2;
  }
  const { profile } = options;
  const card = await createVirtualCard({
    profile,
    now: options.now,
    counters: options.counters ? new FilePinCounters(options.counters) : undefined,
  });
  const client = new VpcdCardClient(card, { slot: options.slot, host: options.host, port: options.port });
  const inserted = await client.insert();
  if (!inserted.ok) {
    process.stderr.write(`${inserted.error.message}\n`);
    return 1;
  }
  process.stdout.write(`virtual card "${profile}" inserted at ${client.host}:${client.port} (ATR ${card.atrHex})\n`);
  return new Promise((resolve) => {
    const stop = async (): Promise<void> => {
      clearInterval(watch);
      await client.remove();
      resolve(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    // vpcd going away (pcscd stopped) removes the card; report it instead of idling forever.
    const watch = setInterval(() => {
      if (client.inserted) return;
      clearInterval(watch);
      process.removeListener('SIGTERM', stop);
      process.removeListener('SIGINT', stop);
      process.stderr.write('vpcd closed the connection\n');
      resolve(1);
    }, 250);
  });
}
