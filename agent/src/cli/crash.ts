import type { Logger } from '../logger.ts';

/** The exit status after a crash: any non-zero one makes systemd's Restart=on-failure start the agent again. */
export const CRASH_EXIT_CODE = 1;

/** Stack frames kept in the fatal line: enough to find the place, not a wall of text in the journal. */
const FRAMES = 12;

/**
 * What the fatal line says about an error: its type, code and where it was thrown. Never its message
 * nor its values: a message may quote what was being processed (a name, an insurance number).
 */
function crashFields(error: unknown, origin: string) {
  if (!(error instanceof Error)) return { event: 'crash', origin, errorType: typeof error };
  const code = (error as NodeJS.ErrnoException).code;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .slice(0, FRAMES)
    .map((line) => line.trim());
  return { event: 'crash', origin, errorType: error.constructor.name, ...(typeof code === 'string' ? { code } : {}), frames };
}

/** Logs the fatal line and ends the process; the data folder's lock goes with it (process 'exit'). */
export function crashHandler(logger: Logger, exit: (code: number) => void) {
  return (error: unknown, origin: string): void => {
    try {
      logger.fatal(crashFields(error, origin), 'the agent stopped on an unexpected error: exiting for the service manager to restart it');
    } finally {
      exit(CRASH_EXIT_CODE);
    }
  };
}

/** An uncaught exception or an unhandled rejection ends the agent. Returns the uninstaller (start-up failed: the CLI reports it). */
export function installCrashHandlers(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const handle = crashHandler(logger, exit);
  const onException = (error: Error) => handle(error, 'uncaughtException');
  const onRejection = (reason: unknown) => handle(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
