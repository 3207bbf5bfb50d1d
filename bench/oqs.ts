/**
 * oqs: face file complete on disk (renamed into the face folder, the way a writer finishes
 * atomically) → the kiosk: the first flow event or snapshot carrying that result on a socket.io client
 * connected to the kiosk namespace (hello sent, as the kiosk UI does). The whole agent runs on the oqs
 * driver in two modes: `events` (production defaults: fs.watch + 2 s scan; a whole document is adopted at
 * once), `BENCH_OQS_FILES` (1,000) files, and `polling` (no filesystem events, as on a share where they
 * never arrive; a 1 s scan), `BENCH_OQS_POLL_FILES` (100) files. Each file answers a patient waiting at
 * the face step, one session at a time as at a real kiosk (a result with nobody waiting goes to staff as
 * a walk-in and never reaches the kiosk).
 *
 * Beside it, a plain 1-second poller (what a simple integration does) reading a burst of as many files:
 * it lists the folder every second and notes when it first sees a file, and when it first sees the
 * file's size unchanged since the previous listing (the least a reader of a network share must wait).
 * A poller's delay does not depend on how the files are spaced (its clock ignores the writer), so the
 * burst gives the same distribution as one file at a time in a fraction of the wall time.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowEvent, FlowSnapshot } from '@kiosk/protocol';
import { startAgent } from '@kiosk/agent/app.ts';
import { japanStamp } from '@kiosk/agent/drivers/oqs/dates.ts';
import { parseOqsConfig } from '@kiosk/agent/drivers/oqs/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { INSTITUTION_CODE, scenarioXml, type ScenarioName } from '@kiosk/mocks/terminal/fixtures.ts';
import { TestKiosk } from '../test/support/kiosk-client.ts';
import { elapsedMs, summary, type BenchRow } from './measure.ts';

const FILES = Number(process.env.BENCH_OQS_FILES ?? 1000);
/** Each polled file waits about half a scan interval: fewer files keep the bench's ten minutes. */
const POLL_FILES = Number(process.env.BENCH_OQS_POLL_FILES ?? 100);
/** The poller's burst: one file every this many ms (a busy morning is one every few seconds). */
const SPACING_MS = Number(process.env.BENCH_OQS_SPACING_MS ?? 25);
const POLL_MS = 1000;
/** A result that has not reached the kiosk by then is a failure of the run, not a slow figure. */
const KIOSK_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Alternating encodings, as both occur in the field. */
const scenarioOf = (i: number): ScenarioName => (i % 2 === 0 ? 'shaho-family' : 'shift-jis');

/** Writes face file number `i` the way the terminal completes one (temporary name, then rename); returns its name. */
async function writeFaceFile(faceDir: string, i: number, xml: Buffer): Promise<string> {
  const name = `OQSsiquc01res_face_${String(i).padStart(5, '0')}_${japanStamp(new Date())}.xml`;
  const temporary = join(faceDir, `.${name}.tmp`);
  await writeFile(temporary, xml);
  await rename(temporary, join(faceDir, name));
  return name;
}

/**
 * Writes `files` face files into `faceDir`, `spacingMs` apart, and waits until all were taken in;
 * `landed` gets each file's completion time, `taken` resolves them.
 */
async function writeFaceFiles(faceDir: string, files: number, spacingMs: number, landed: Map<string, bigint>, taken: Map<string, () => void>): Promise<void> {
  const all: Promise<void>[] = [];
  for (let i = 0; i < files; i++) {
    const name = await writeFaceFile(faceDir, i, scenarioXml(scenarioOf(i)));
    landed.set(name, process.hrtime.bigint());
    all.push(new Promise<void>((r) => taken.set(name, r)));
    await sleep(spacingMs);
  }
  const timeout = sleep(120_000).then(() => Promise.reject(new Error(`not all ${files} files were taken in within 120 s`)));
  await Promise.race([Promise.all(all), timeout]);
}

/** When the kiosk client first hears of the session's eligibility: the 'eligibility' flow event or a snapshot carrying it. */
function eligibilityHeard(kiosk: TestKiosk, sessionId: string): Promise<bigint> {
  return new Promise((resolve, reject) => {
    const finish = (at: bigint | undefined) => {
      clearTimeout(timer);
      kiosk.socket.off('flow:event', onEvent);
      kiosk.socket.off('flow:snapshot', onSnapshot);
      if (at === undefined) reject(new Error(`no eligibility for session ${sessionId} at the kiosk within ${KIOSK_TIMEOUT_MS} ms`));
      else resolve(at);
    };
    const onEvent = (e: FlowEvent) => {
      if (e.type === 'eligibility' && e.sessionId === sessionId) finish(process.hrtime.bigint());
    };
    const onSnapshot = (s: FlowSnapshot) => {
      if (s.sessionId === sessionId && s.eligibility) finish(process.hrtime.bigint());
    };
    const timer = setTimeout(() => finish(undefined), KIOSK_TIMEOUT_MS);
    kiosk.socket.on('flow:event', onEvent);
    kiosk.socket.on('flow:snapshot', onSnapshot);
  });
}

/** The whole agent on the oqs driver and a kiosk client: latency from file complete to the kiosk hearing the result. */
async function measureKiosk(
  files: number,
  mode: { watchEvents: boolean; pollIntervalMs?: number },
): Promise<{ latencies: number[]; stableMs: number; pollIntervalMs: number }> {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-bench-oqs-'));
  const oqs = { faceDir: join(root, 'face'), reqDir: join(root, 'req'), resDir: join(root, 'res'), institutionCode: INSTITUTION_CODE, ...mode };
  for (const dir of [oqs.faceDir, oqs.reqDir, oqs.resDir]) mkdirSync(dir, { recursive: true });
  const config = parseOqsConfig(oqs);
  if (!config.ok) throw new Error(config.error.message);
  const agent = await startAgent({ port: 0, driver: 'oqs', dataDir: join(root, 'data'), logger: silentLogger, oqs });
  const latencies: number[] = [];
  let kiosk: TestKiosk | undefined;
  try {
    kiosk = await TestKiosk.connect(agent.url);
    for (let i = 0; i < files; i++) {
      await kiosk.step('welcome', KIOSK_TIMEOUT_MS);
      const start = await kiosk.command({ type: 'start' });
      if (!start.ok) throw new Error(`start refused: ${start.error.code}`);
      const waiting = await kiosk.step('face', KIOSK_TIMEOUT_MS);
      const heard = eligibilityHeard(kiosk, waiting.sessionId ?? '');
      // Stamped in the second after the session started, as a real result is (face authentication takes
      // seconds): one from the session's own second would go to staff review (binding rule "same-second").
      const executedAt = new Date(Math.floor(Date.parse(waiting.startedAt ?? '') / 1000) * 1000 + 1000);
      await writeFaceFile(oqs.faceDir, i, scenarioXml(scenarioOf(i), { executedAt }));
      const landed = process.hrtime.bigint();
      latencies.push(Number((await heard) - landed) / 1e6);
      await kiosk.command({ type: 'reset', reason: 'patient' });
      kiosk.forget();
    }
  } finally {
    kiosk?.close();
    await agent.close();
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

/** Latency summary over all files and over the first and last tenth (the folder filling up). */
function latencyOf(latencies: number[]) {
  const tenth = Math.max(1, Math.floor(latencies.length / 10));
  return {
    files: latencies.length,
    latency: summary(latencies),
    firstTenth: summary(latencies.slice(0, tenth)),
    lastTenth: summary(latencies.slice(-tenth)),
  };
}

export async function bench(): Promise<{ rows: BenchRow[]; result: unknown }> {
  const withEvents = await measureKiosk(FILES, { watchEvents: true });
  const polling = await measureKiosk(POLL_FILES, { watchEvents: false, pollIntervalMs: POLL_MS });
  const polled = await measurePolling(FILES, SPACING_MS);
  const events = latencyOf(withEvents.latencies);
  const poll = latencyOf(polling.latencies);
  const seen = summary(polled.firstSight);
  const stable = summary(polled.unchanged);
  const row = (what: string, r: ReturnType<typeof latencyOf>, target: string) => ({
    name: `oqs ${what}: face file complete → kiosk socket.io client, ${r.files} files`,
    value: `${r.latency.p50} ms p50 / ${r.latency.p99} ms p99 / ${r.latency.max} ms max; first tenth ${r.firstTenth.p50} ms p50, last tenth ${r.lastTenth.p50} ms p50`,
    compare: target,
  });
  const baseline = `1 s polling baseline, ${FILES} files ${SPACING_MS} ms apart: seen ${seen.p50} / ${seen.p99} ms, size unchanged ${stable.p50} / ${stable.p99} ms (p50 / p99)`;
  return {
    rows: [
      row('events', events, `target p99 ≤ 100 ms; ${baseline}`),
      row('polling', poll, `target p99 ≤ ${POLL_MS + 150} ms (scan every ${POLL_MS} ms + 150 ms)`),
    ],
    result: {
      events: { ...events, target: { p99Ms: 100 }, config: { stableMs: withEvents.stableMs, pollIntervalMs: withEvents.pollIntervalMs } },
      polling: { ...poll, pollIntervalMs: polling.pollIntervalMs, target: { p99Ms: polling.pollIntervalMs + 150 }, config: { stableMs: polling.stableMs } },
      baseline: { pollMs: POLL_MS, files: FILES, spacingMs: SPACING_MS, firstSight: seen, sizeUnchanged: stable },
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await bench(), null, 2));
  process.exit(0);
}
