import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { CRASH_EXIT_CODE, crashHandler, installCrashHandlers } from './crash.ts';

/** A logger whose JSON lines are kept. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

const PERSONAL = '山田太郎 insurer 06139012 number 12345678';

describe('the crash handler', () => {
  it('logs one fatal line with the error type, code and place (never its message), then exits non-zero', async () => {
    const { logger, lines } = capture();
    const exit = vi.fn();
    const error = Object.assign(new TypeError(`cannot read the card of ${PERSONAL}`), { code: 'ERR_TEST' });
    crashHandler(logger, exit)(error, 'uncaughtException');
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE);
    expect(CRASH_EXIT_CODE).not.toBe(0);
    expect(lines[0]).toMatchObject({ level: 60, event: 'crash', origin: 'uncaughtException', errorType: 'TypeError', code: 'ERR_TEST' });
    expect(lines[0]!.frames).toEqual(expect.arrayContaining([expect.stringMatching(/^at .*crash\.test\.ts/)]));
    const text = JSON.stringify(lines[0]);
    for (const part of PERSONAL.split(' ')) expect(text).not.toContain(part);
  });

  it('a rejection with a value that is not an Error: its type only', async () => {
    const { logger, lines } = capture();
    const exit = vi.fn();
    crashHandler(logger, exit)(PERSONAL, 'unhandledRejection');
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toMatchObject({ level: 60, event: 'crash', origin: 'unhandledRejection', errorType: 'string' });
    expect(JSON.stringify(lines[0])).not.toContain('12345678');
    expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE);
  });

  it('exits even when the log cannot be written', () => {
    const exit = vi.fn();
    const logger = {
      fatal: () => {
        throw new Error('stdout closed');
      },
    } as unknown as Parameters<typeof crashHandler>[0];
    expect(() => crashHandler(logger, exit)(new Error('x'), 'uncaughtException')).toThrow('stdout closed');
    expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE);
  });

  it('is installed for uncaught exceptions and unhandled rejections, and uninstalled when start-up fails', () => {
    const counts = () => [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const before = counts();
    const uninstall = installCrashHandlers(capture().logger, vi.fn());
    expect(counts()).toEqual(before.map((n) => n + 1));
    uninstall();
    expect(counts()).toEqual(before);
  });
});
