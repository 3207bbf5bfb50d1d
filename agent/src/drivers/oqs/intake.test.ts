import { mkdtempSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCompleteOqsDocument } from './complete.ts';
import { encodeOqsText } from './encoding.ts';
import { FolderIntake, type IntakeOptions } from './intake.ts';

let intake: FolderIntake | undefined;
afterEach(async () => {
  await intake?.stop();
  intake = undefined;
});

/** An intake on a temp folder whose listing and stat the test may control; records reachability and batches. */
function intakeWith({ list, stat, isComplete, stableMs = 0 }: Pick<IntakeOptions, 'list' | 'stat' | 'isComplete'> & { stableMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'intake-'));
  const reachability: string[] = [];
  const adopted: string[] = [];
  intake = new FolderIntake({
    dir,
    pollIntervalMs: 60_000,
    stableMs,
    listingDeadlineMs: 100,
    accept: () => true,
    isSettled: (name) => adopted.includes(name),
    isDone: () => false,
    onBatch: (files) => void adopted.push(...files.map((f) => f.name)),
    onReachability: (reachable, detail) => void reachability.push(reachable ? 'reachable' : `unreachable ${detail}`),
    onError: (e) => {
      throw e;
    },
    ...(list ? { list } : {}),
    ...(stat ? { stat } : {}),
    ...(isComplete ? { isComplete } : {}),
  });
  return { dir, reachability, adopted, intake };
}

describe('a share whose listing hangs (a CIFS mount whose server went away)', () => {
  it('counts as unreachable after the deadline, lists once while hung, and comes back when the listing answers', async () => {
    let calls = 0;
    let answer: ((names: string[]) => void) | undefined;
    const { dir, reachability, adopted, intake } = intakeWith({
      list: (d) => {
        calls += 1;
        // The first listing hangs until the test lets it answer; later ones read the folder.
        return calls === 1 ? new Promise<string[]>((resolve) => (answer = (names) => resolve(names))) : readdir(d);
      },
    });
    await intake.scanNow();
    expect(reachability).toEqual(['unreachable ETIMEDOUT']);
    await intake.scanNow();
    // The second scan waited on the same hung listing instead of starting another.
    expect(calls).toBe(1);
    expect(reachability).toEqual(['unreachable ETIMEDOUT', 'unreachable ETIMEDOUT']);

    writeFileSync(join(dir, 'result.xml'), '<x/>');
    answer!(['result.xml']);
    await intake.scanNow();
    await intake.scanNow();
    expect(calls).toBeGreaterThan(1);
    expect(reachability.at(-1)).toBe('reachable');
    expect(adopted).toEqual(['result.xml']);
  });

  it('a healthy folder is listed and its files adopted', async () => {
    const { dir, reachability, adopted, intake } = intakeWith();
    writeFileSync(join(dir, 'a.xml'), '<a/>');
    await intake.scanNow();
    await intake.scanNow();
    expect(reachability).toEqual(['reachable', 'reachable']);
    expect(adopted).toEqual(['a.xml']);
  });
});

describe('a face folder the terminal never empties', () => {
  it('stats a file until it is settled, and never again on later scans', async () => {
    const statted: string[] = [];
    const { dir, adopted, intake } = intakeWith({
      stat: (path) => {
        statted.push(basename(path));
        return stat(path);
      },
    });
    writeFileSync(join(dir, 'a.xml'), '<a/>');
    await intake.scanNow(); // seen
    await intake.scanNow(); // unchanged since: adopted
    expect(adopted).toEqual(['a.xml']);
    writeFileSync(join(dir, 'b.xml'), '<b/>');
    await intake.scanNow();
    await intake.scanNow();
    await intake.scanNow();
    expect(adopted).toEqual(['a.xml', 'b.xml']);
    expect(statted).toEqual(['a.xml', 'a.xml', 'b.xml', 'b.xml']);
  });
});

describe('early adoption of a whole document', () => {
  const whole =
    '<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader><ProcessExecutionTime>20261122101530</ProcessExecutionTime></MessageHeader></XmlMsg>';

  it('adopts a complete file on the first scan that sees it, without waiting stableMs', async () => {
    const { dir, adopted, intake } = intakeWith({ isComplete: isCompleteOqsDocument, stableMs: 60_000 });
    writeFileSync(join(dir, 'a.xml'), whole);
    await intake.scanNow();
    expect(adopted).toEqual(['a.xml']);
  });

  it('adopts a complete Shift_JIS file at once too', async () => {
    const { dir, adopted, intake } = intakeWith({ isComplete: isCompleteOqsDocument, stableMs: 60_000 });
    writeFileSync(
      join(dir, 's.xml'),
      encodeOqsText(whole.replace('UTF-8', 'Shift_JIS').replace('</MessageHeader>', '<Name>山田</Name></MessageHeader>'), 'shift_jis'),
    );
    await intake.scanNow();
    expect(adopted).toEqual(['s.xml']);
  });

  it('does not adopt a partial file that does not parse, until it stayed unchanged for stableMs', async () => {
    const { dir, adopted, intake } = intakeWith({ isComplete: isCompleteOqsDocument, stableMs: 150 });
    writeFileSync(join(dir, 'p.xml'), whole.slice(0, whole.length - 5));
    await intake.scanNow();
    await intake.scanNow();
    expect(adopted).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    await intake.scanNow();
    // Still adopted after the wait, as before: the driver then reports it malformed.
    expect(adopted).toEqual(['p.xml']);
  });

  it('a file without a declared encoding waits for stableMs', async () => {
    const { dir, adopted, intake } = intakeWith({ isComplete: isCompleteOqsDocument, stableMs: 60_000 });
    writeFileSync(join(dir, 'n.xml'), '<XmlMsg></XmlMsg>');
    await intake.scanNow();
    await intake.scanNow();
    expect(adopted).toEqual([]);
  });
});
