/**
 * oqs: face file complete on disk (renamed into the face folder, the way a writer finishes
 * atomically) → the oqs driver's 'reader-result' event, which is what the flow binds to a session
 * (awaitFaceResult resolves from the same step). Measured on the driver with the agent's production
 * defaults (fs.watch + 2 s scan, a file adopted once unchanged for 600 ms), 1,000 files.
 *
 * Beside it, the same files read by a plain 1-second poller (what a simple integration does): it
 * lists the folder every second and notes when it first sees a file, and when it first sees the
 * file's size unchanged since the previous listing (the least a reader of a network share must wait).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@kiosk/agent/clock.ts';
import { japanStamp } from '@kiosk/agent/drivers/oqs/dates.ts';
import { createOqsDriver, parseOqsConfig } from '@kiosk/agent/drivers/oqs/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { openDatabase } from '@kiosk/agent/storage/db.ts';
import { INSTITUTION_CODE, scenarioXml } from '@kiosk/mocks/terminal/fixtures.ts';
import { elapsedMs, summary, type BenchRow } from './measure.ts';

const FILES = Number(process.env.BENCH_OQS_FILES ?? 1000);
/** One file every this many ms: a busy morning is one every few seconds; this is far busier. */
const SPACING_MS = Number(process.env.BENCH_OQS_SPACING_MS ?? 25);
/** Files written one at a time, each after the previous result: the figure a patient at a quiet kiosk sees. */
const ISOLATED = Number(process.env.BENCH_OQS_ISOLATED ?? 30);
const POLL_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Something reading the face folder: tells when it has taken a file in. */
interface FolderReader {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Writes `files` face files into `faceDir`, `spacingMs` apart (0: each after the previous one was
 * taken in), and waits until all were; `landed` gets each file's completion time, `taken` resolves them.
 */
async function writeFaceFiles(faceDir: string, files: number, spacingMs: number, landed: Map<string, bigint>, taken: Map<string, () => void>): Promise<void> {
  const all: Promise<void>[] = [];
  for (let i = 0; i < files; i++) {
    const name = `OQSsiquc01res_face_${String(i).padStart(5, '0')}_${japanStamp(new Date())}.xml`;
    const done = new Promise<void>((r) => taken.set(name, r));
    all.push(done);
    const temporary = join(faceDir, `.${name}.tmp`);
    await writeFile(temporary, scenarioXml(i % 2 === 0 ? 'shaho-family' : 'shift-jis'));
    await rename(temporary, join(faceDir, name));
    landed.set(name, process.hrtime.bigint());
    if (spacingMs === 0) await done;
    else await sleep(spacingMs);
  }
  const timeout = sleep(120_000).then(() => Promise.reject(new Error(`not all ${files} files were taken in within 120 s`)));
  await Promise.race([Promise.all(all), timeout]);
}

/** The oqs driver with production defaults: latency from file complete to 'reader-result'. */
async function measureDriver(files: number, spacingMs: number): Promise<{ latencies: number[]; stableMs: number; pollIntervalMs: number }> {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-bench-oqs-'));
  const faceDir = join(root, 'face');
  const config = parseOqsConfig({ faceDir, reqDir: join(root, 'req'), resDir: join(root, 'res'), institutionCode: INSTITUTION_CODE });
  if (!config.ok) throw new Error(config.error.message);
  for (const dir of [faceDir, config.value.reqDir, config.value.resDir]) mkdirSync(dir, { recursive: true });
  const db = openDatabase(join(root, 'bench.sqlite'));
  const driver = createOqsDriver(config.value, { db, clock: systemClock, logger: silentLogger });
  const landed = new Map<string, bigint>();
  const taken = new Map<string, () => void>();
  const latencies: number[] = [];
  driver.subscribe((event) => {
    if (event.type !== 'reader-result') return;
    const start = landed.get(event.result.sourceId);
    if (start === undefined) return;
    latencies.push(elapsedMs(start));
    taken.get(event.result.sourceId)?.();
  });
  await driver.start();
  try {
    await writeFaceFiles(faceDir, files, spacingMs, landed, taken);
  } finally {
    await driver.stop();
    db.close();
    rmSync(root, { recursive: true, force: true });
  }
  return { latencies, stableMs: config.value.stableMs, pollIntervalMs: config.value.pollIntervalMs };
}

/** The baseline poller: a listing every POLL_MS, nothing else. */
async function measurePolling(files: number, spacingMs: number): Promise<{ firstSight: number[]; unchanged: number[] }> {
  const faceDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-poll-'));
  const landed = new Map<string, bigint>();
  const taken = new Map<string, () => void>();
  const sizes = new Map<string, number>();
  const firstSight: number[] = [];
  const unchanged: number[] = [];
  let listing = false;
  const poll = async () => {
    if (listing) return;
    listing = true;
    try {
      for (const name of await readdir(faceDir)) {
        const start = landed.get(name);
        // Like any reader, it remembers what it has taken in and looks only at the rest.
        if (start === undefined || !taken.has(name)) continue;
        const size = (await stat(join(faceDir, name))).size;
        const before = sizes.get(name);
        sizes.set(name, size);
        if (before === undefined) firstSight.push(elapsedMs(start));
        else if (before === size && taken.has(name)) {
          unchanged.push(elapsedMs(start));
          taken.get(name)?.();
          taken.delete(name);
        }
      }
    } finally {
      listing = false;
    }
  };
  const timer = setInterval(() => void poll(), POLL_MS);
  try {
    await writeFaceFiles(faceDir, files, spacingMs, landed, taken);
  } finally {
    clearInterval(timer);
    rmSync(faceDir, { recursive: true, force: true });
  }
  return { firstSight, unchanged };
}

export async function bench(): Promise<{ rows: BenchRow[]; result: unknown }> {
  const burst = await measureDriver(FILES, SPACING_MS);
  const isolated = await measureDriver(ISOLATED, 0);
  const polled = await measurePolling(FILES, SPACING_MS);
  const b = summary(burst.latencies);
  const one = summary(isolated.latencies);
  const seen = summary(polled.firstSight);
  const stable = summary(polled.unchanged);
  return {
    rows: [
      { name: `oqs: face file on disk → reader-result, ${FILES} files ${SPACING_MS} ms apart`, value: `${b.p50} ms p50 / ${b.p99} ms p99`, compare: `1 s polling, same files: seen ${seen.p50} / ${seen.p99} ms, size unchanged ${stable.p50} / ${stable.p99} ms (p50 / p99)` },
      { name: `oqs: the same, one file at a time (${ISOLATED})`, value: `${one.p50} ms p50 / ${one.p99} ms p99`, compare: `floor: stableMs ${burst.stableMs} ms (a file must stay unchanged that long)` },
    ],
    result: {
      burst: { files: FILES, spacingMs: SPACING_MS, latency: b },
      isolated: { files: ISOLATED, latency: one },
      config: { stableMs: burst.stableMs, pollIntervalMs: burst.pollIntervalMs },
      baseline: { pollMs: POLL_MS, files: FILES, spacingMs: SPACING_MS, firstSight: seen, sizeUnchanged: stable },
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await bench(), null, 2));
  process.exit(0);
}
