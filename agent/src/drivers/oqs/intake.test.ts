import { mkdtempSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderIntake, type IntakeOptions } from './intake.ts';

let intake: FolderIntake | undefined;
afterEach(async () => {
  await intake?.stop();
  intake = undefined;
});

/** An intake on a temp folder whose listing the test controls; records reachability and batches. */
function intakeWith(list: IntakeOptions['list']) {
  const dir = mkdtempSync(join(tmpdir(), 'intake-'));
  const reachability: string[] = [];
  const adopted: string[] = [];
  intake = new FolderIntake({
    dir,
    pollIntervalMs: 60_000,
    stableMs: 0,
    listingDeadlineMs: 100,
    accept: () => true,
    isDone: (name) => adopted.includes(name),
    onBatch: (files) => void adopted.push(...files.map((f) => f.name)),
    onReachability: (reachable, detail) => void reachability.push(reachable ? 'reachable' : `unreachable ${detail}`),
    onError: (e) => {
      throw e;
    },
    ...(list ? { list } : {}),
  });
  return { dir, reachability, adopted, intake };
}

describe('a share whose listing hangs (a CIFS mount whose server went away)', () => {
  it('counts as unreachable after the deadline, lists once while hung, and comes back when the listing answers', async () => {
    let calls = 0;
    let answer: ((names: string[]) => void) | undefined;
    const { dir, reachability, adopted, intake } = intakeWith((d) => {
      calls += 1;
      // The first listing hangs until the test lets it answer; later ones read the folder.
      return calls === 1 ? new Promise<string[]>((resolve) => (answer = (names) => resolve(names))) : readdir(d);
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
    const { dir, reachability, adopted, intake } = intakeWith(undefined);
    writeFileSync(join(dir, 'a.xml'), '<a/>');
    await intake.scanNow();
    await intake.scanNow();
    expect(reachability).toEqual(['reachable', 'reachable']);
    expect(adopted).toEqual(['a.xml']);
  });
});
