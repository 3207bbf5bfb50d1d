import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../clock.ts';
import { silentLogger } from '../../logger.ts';
import { openDatabase, type Db } from '../../storage/db.ts';
import type { DriverEvent, ReaderResult } from '../../flow/ports.ts';
import { scenarioXml } from '@kiosk/mocks/terminal/fixtures.ts';
import type { OqsConfigInput } from './config.ts';
import { createOqsDriver, type OqsDriver } from './driver.ts';
import { createOqsStore } from './store.ts';
import { eventually, terminalFixture } from './terminal.test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Partial<OqsConfigInput> = {}, dbPath?: string) {
  const fixture = await terminalFixture(overrides);
  cleanups.push(fixture.cleanup);
  const open = () => {
    const db = openDatabase(dbPath ?? join(fixture.dir, 'agent.db'));
    const driver = createOqsDriver(fixture.config, { db, clock: systemClock, logger: silentLogger });
    const events: DriverEvent[] = [];
    driver.subscribe((e) => events.push(e));
    cleanups.push(async () => {
      await driver.stop();
      db.close();
    });
    const results = () => events.flatMap((e) => (e.type === 'reader-result' ? [e.result] : []));
    return { db, driver, events, results };
  };
  return { ...fixture, open };
}

const secondsFromNow = (s: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + s * 1000);

describe('face folder intake', { timeout: 30_000 }, () => {
  it('emits a walk-in reader-result for a face file with no waiting session', async () => {
    const { terminal, open } = await setup();
    const { driver, results } = open();
    await driver.start();
    const name = await terminal.writeFace('shaho-family');
    await eventually(() => results().length === 1);
    expect(results()[0]).toMatchObject({ sourceId: name, eligibility: { outcome: 'valid', source: 'face' } });
    expect(results()[0]?.generatedAt).toMatch(/\+09:00$/);
    expect(driver.staff.list()).toMatchObject([{ fileName: name, kind: 'walk-in', outcome: 'valid' }]);
    const loaded = await driver.staff.load(driver.staff.list()[0]!.id);
    expect(loaded.ok && loaded.value.eligibility.people[0]?.birthDate).toBe('20100715');
  });

  it('waits for a file written in pieces and reads it once, complete', async () => {
    const { terminal, open } = await setup({ stableMs: 800 });
    const { driver, events, results } = open();
    await driver.start();
    await terminal.writeFace('kokuho-6digit', { slowly: true, pieceDelayMs: 40 });
    await eventually(() => results().length === 1);
    await driver.scanNow();
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(results()).toHaveLength(1);
    expect(results()[0]?.eligibility.people[0]?.insurerNumber).toMatch(/^ {2}\d{6}$/);
  });

  it('handles a burst of 100 files in timestamp order, each once', async () => {
    const { terminal, open } = await setup();
    const written: { name: string; at: number }[] = [];
    const order = Array.from({ length: 100 }, (_, i) => i).sort(() => Math.random() - 0.5);
    const base = secondsFromNow(-200).getTime();
    for (const i of order) {
      const executedAt = new Date(base + i * 1000);
      written.push({ name: await terminal.writeFace('shaho-family', { executedAt }), at: executedAt.getTime() });
    }
    const { driver, results } = open();
    await driver.start();
    await eventually(() => results().length === 100, 20_000);
    expect(results().map((r) => r.sourceId)).toEqual(written.sort((a, b) => a.at - b.at).map((w) => w.name));
  }, 60_000);

  it('processes each file exactly once across a restart on the same database', async () => {
    const { terminal, open } = await setup();
    const first = open();
    await first.driver.start();
    for (let i = 0; i < 3; i++) await terminal.writeFace('shaho-family', { executedAt: secondsFromNow(-10 + i) });
    await eventually(() => first.results().length === 3);
    await first.driver.stop();

    const second = open();
    await second.driver.start();
    await second.driver.scanNow();
    expect(second.results()).toEqual([]);
    const name = await terminal.writeFace('kouki-copay');
    await eventually(() => second.results().length === 1);
    expect(second.results()[0]?.sourceId).toBe(name);
  });

  it('never processes a name twice, but retries a name whose bad content was replaced', async () => {
    const { terminal, open } = await setup();
    const { driver, events, results } = open();
    await driver.start();
    const bad = join(terminal.faceDir, 'OQSsiquc01res_face_bad_20261122101530.xml');
    await writeFile(bad, '<?xml version="1.0"?><XmlMsg><MessageHeader>');
    await eventually(() => events.some((e) => e.type === 'error'));
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      error: { code: 'OQS_FILE_MALFORMED', details: { file: 'OQSsiquc01res_face_bad_20261122101530.xml' } },
    });
    await writeFile(bad, scenarioXml('shaho-family'));
    await eventually(() => results().length === 1);

    const name = await terminal.writeFace('kokuho-6digit');
    await eventually(() => results().length === 2);
    await writeFile(join(terminal.faceDir, name), scenarioXml('invalid'));
    await new Promise((r) => setTimeout(r, 400));
    await driver.scanNow();
    expect(results()).toHaveLength(2);
  });

  it('records a file and its staff row in one transaction: a failed second write leaves neither, and the file is retried', async () => {
    const { terminal, open } = await setup();
    const { db, driver, events, results } = open();
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    await driver.start();
    db.exec("CREATE TRIGGER staff_write_fails BEFORE INSERT ON oqs_staff_items BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const name = await terminal.writeFace('shaho-family');
    await eventually(() => events.some((e) => e.type === 'error'));
    expect(events.find((e) => e.type === 'error')).toMatchObject({ error: { code: 'STORAGE_UNAVAILABLE' } });
    expect([count('oqs_files'), count('oqs_staff_items'), results().length]).toEqual([0, 0, 0]);

    db.exec('DROP TRIGGER staff_write_fails');
    await eventually(() => results().length === 1);
    expect(results()[0]?.sourceId).toBe(name);
    expect([count('oqs_files'), count('oqs_staff_items')]).toEqual([1, 1]);
  });

  it('ignores temporary names and results older than the age limit', async () => {
    const { terminal, open } = await setup();
    await writeFile(join(terminal.faceDir, '.OQSsiquc01res_face_x.xml.tmp'), scenarioXml('shaho-family'));
    await writeFile(join(terminal.faceDir, 'OQSsiquc01res_face_y.xml.part'), scenarioXml('shaho-family'));
    await terminal.writeFace('shaho-family', { executedAt: new Date(Date.now() - 3 * 3600_000) });
    const { driver, results, events } = open();
    await driver.start();
    await new Promise((r) => setTimeout(r, 400));
    await driver.scanNow();
    expect(results()).toEqual([]);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('moves processed files only when an archive folder is configured', async () => {
    const { terminal, open, dir } = await setup({});
    const { driver, results } = open();
    await driver.start();
    await terminal.writeFace('shaho-family');
    await eventually(() => results().length === 1);
    expect(await readdir(terminal.faceDir)).toHaveLength(1);

    const archived = await setup({ archiveDir: join(dir, 'archive') });
    const other = archived.open();
    await other.driver.start();
    const name = await archived.terminal.writeFace('shaho-family');
    await eventually(() => other.results().length === 1);
    let left = await readdir(archived.terminal.faceDir);
    await eventually(() => {
      void readdir(archived.terminal.faceDir).then((names) => (left = names));
      return left.length === 0;
    });
    expect(await readdir(join(dir, 'archive'))).toEqual([name]);
  });

  it('reports the face folder unavailable while it is missing, and ok when it returns', async () => {
    const { terminal, open } = await setup();
    await rm(terminal.faceDir, { recursive: true });
    const { driver, events } = open();
    await driver.start();
    expect(driver.status()).toMatchObject({ driver: 'oqs', service: 'unavailable', readers: [{ name: '資格確認端末 face folder', state: 'unavailable' }] });
    // The status reaches /healthz's callers, the kiosk and the board: no filesystem path in it.
    expect(JSON.stringify(driver.status())).not.toContain(terminal.faceDir);
    expect(driver.status().detail).toContain('ENOENT');
    await mkdir(terminal.faceDir);
    await eventually(() => driver.status().service === 'ok');
    expect(events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status.service)).toEqual(['unavailable', 'ok']);
    expect(driver.capabilities).toEqual({ cardIo: false, faceAuth: true });
  });
});

describe('session binding through awaitFaceResult', { timeout: 30_000 }, () => {
  const wait = (driver: OqsDriver, sessionId: string, since: Date, birthDate?: string) =>
    driver.awaitFaceResult!({ sessionId, since, ...(birthDate ? { birthDate } : {}) }, new AbortController().signal);

  it('binds a result generated after the session started (mock terminal end to end)', async () => {
    const { terminal, open } = await setup();
    const { driver, results } = open();
    await driver.start();
    const since = secondsFromNow(-5);
    const pending = wait(driver, 's1', since, '2010-07-15');
    const name = await terminal.writeFace('shaho-family', { executedAt: secondsFromNow(0) });
    const bound = await pending;
    expect(bound).toMatchObject({ ok: true, value: { sourceId: name, eligibility: { outcome: 'valid' } } });
    expect(results()).toEqual([]);
    expect(driver.staff.list()).toEqual([]);
  });

  it('a result stamped in the same second as the session start goes to review', async () => {
    const { terminal, open } = await setup();
    const { driver } = open();
    await driver.start();
    const second = secondsFromNow(-2);
    const pending = wait(driver, 's1', new Date(second.getTime() + 500));
    const name = await terminal.writeFace('shaho-family', { executedAt: second });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_REVIEW', details: { reason: 'same-second' } } });
    expect(driver.staff.list()).toMatchObject([{ fileName: name, kind: 'review', reason: 'same-second', sessionIds: ['s1'] }]);
  });

  it('two waiting sessions → both go to review', async () => {
    const { terminal, open } = await setup();
    const { driver } = open();
    await driver.start();
    const a = wait(driver, 's1', secondsFromNow(-5));
    const b = wait(driver, 's2', secondsFromNow(-4));
    await terminal.writeFace('shaho-family');
    for (const r of await Promise.all([a, b]))
      expect(r).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_REVIEW', details: { reason: 'several-sessions' } } });
  });

  it('a birth date that differs from the one the patient entered → review', async () => {
    const { terminal, open } = await setup();
    const { driver } = open();
    await driver.start();
    const pending = wait(driver, 's1', secondsFromNow(-5), '1999-12-31');
    await terminal.writeFace('shaho-family');
    expect(await pending).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_REVIEW', details: { reason: 'birth-date-mismatch' } } });
  });

  it.each(['birth-date-impossible', 'birth-date-redacted'] as const)('%s: never bound, a review with its own reason', async (scenario) => {
    const { terminal, open } = await setup();
    const { driver } = open();
    await driver.start();
    const pending = wait(driver, 's1', secondsFromNow(-5));
    const name = await terminal.writeFace(scenario);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_REVIEW', details: { reason: 'birth-date-unusable' } } });
    expect(driver.staff.list()).toMatchObject([{ fileName: name, kind: 'review', reason: 'birth-date-unusable', sessionIds: ['s1'] }]);
  });

  it('claims a walk-in that arrived after the session started but before it asked', async () => {
    const { terminal, open } = await setup();
    const { driver, results } = open();
    await driver.start();
    const since = secondsFromNow(-5);
    const name = await terminal.writeFace('shaho-family');
    await eventually(() => results().length === 1);
    expect(await wait(driver, 's1', since)).toMatchObject({ ok: true, value: { sourceId: name } });
    expect(driver.staff.list()).toEqual([]);
    expect(driver.staff.list({ includeResolved: true })).toMatchObject([{ fileName: name, resolution: 'bound' }]);
  });

  it('a file never binds twice, and results from before the session are not taken', async () => {
    const { terminal, open } = await setup();
    const { driver, db } = open();
    await driver.start();
    const since = secondsFromNow(-5);
    const first = wait(driver, 's1', since);
    const name = await terminal.writeFace('shaho-family');
    expect((await first).ok).toBe(true);
    const briefly = (sessionId: string, from: Date) => driver.awaitFaceResult!({ sessionId, since: from }, AbortSignal.timeout(800));
    expect(await briefly('s2', since)).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_TIMEOUT' } });
    expect(await briefly('s3', secondsFromNow(5))).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_TIMEOUT' } });
    const store = createOqsStore(db as Db);
    expect(store.bind(name, 's2', new Date().toISOString())).toBe(false);
    expect(store.sessionOf(name)).toBe('s1');
  });

  it('an aborted wait resolves at once', async () => {
    const { open } = await setup();
    const { driver } = open();
    await driver.start();
    const controller = new AbortController();
    const pending = driver.awaitFaceResult!({ sessionId: 's1', since: new Date() }, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_TIMEOUT', details: { cancelled: true } } });
  });

  it('the reader-result for a walk-in has the same shape as a bound one', async () => {
    const { terminal, open } = await setup();
    const { driver, results } = open();
    await driver.start();
    await terminal.writeFace('not-found', { executedAt: new Date(Date.now() - 60_000) });
    await eventually(() => results().length === 1);
    const walkIn: ReaderResult = results()[0]!;
    expect(walkIn.eligibility).toEqual({ outcome: 'not-found', source: 'face', people: [] });
    expect(walkIn.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
  });
});
