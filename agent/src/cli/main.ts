/**
 * kiosk-agent: one binary, subcommands in their own modules (cli/<name>.ts), loaded on demand so a
 * subcommand's dependencies (pcsclite, SQLite) load only when used.
 */
export interface Subcommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const SUBCOMMANDS: Record<string, () => Promise<{ default: Subcommand }>> = {
  start: () => import('./start.ts'),
  probe: () => import('./probe.ts'),
  oqs: () => import('./oqs.ts'),
  documents: () => import('./documents.ts'),
  staff: () => import('./staff.ts'),
  records: () => import('./records.ts'),
  backup: () => import('./backup.ts'),
  restore: () => import('./restore.ts'),
  doctor: () => import('./doctor.ts'),
  orca: () => import('./orca.ts'),
};

async function usage(): Promise<string> {
  const lines = ['Usage: kiosk-agent <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(SUBCOMMANDS)) {
    const summary = await load().then(
      (m) => m.default.summary,
      () => '(not available in this build)',
    );
    lines.push(`  ${name.padEnd(10)} ${summary}`);
  }
  lines.push('', 'Run "kiosk-agent <command> --help" for the options of a command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 1;
  }
  const load = SUBCOMMANDS[name];
  if (!load) {
    console.error(`kiosk-agent: unknown command "${name}"\n\n${await usage()}`);
    return 2;
  }
  return (await load()).default.run(rest);
}
