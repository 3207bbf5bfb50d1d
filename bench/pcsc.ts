/**
 * pcsc: the whole agent on the pcsc driver over pcscd + vpcd + the virtual card. Measures card placed
 * (vpcd connection made) → the kiosk's 'certificate' event (card identified, certificate read and
 * verified, PIN tries read), with the APDU count of that read; beside the floor (APDU count × one
 * SELECT round trip, median of 1000) and OpenSC reading the same certificate in the same run. The split
 * of card detected → verified: APDUs (count × SELECT round trip), crypto (the chain check as the agent
 * does it with Node's native crypto, beside node-forge doing the same signature check) and the rest
 * (the flow, the socket, pcscd's waits).
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowEvent } from '@kiosk/protocol';
import { startAgent } from '@kiosk/agent/app.ts';
import { systemClock } from '@kiosk/agent/clock.ts';
import { createPcscDriver } from '@kiosk/agent/drivers/pcsc/index.ts';
import { buildApdu } from '@kiosk/agent/card/apdu.ts';
import { checkCertificate, loadTrustAnchors } from '@kiosk/agent/card/certificates.ts';
import forge from 'node-forge';
import { JPKI_AID } from '@kiosk/agent/card/constants.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { testCaCertificatePem, VpcdCardClient } from '@kiosk/mocks/card/index.ts';
import { virtualCard, READERS } from '../test/realstack/support.ts';
import { TestKiosk } from '../test/support/kiosk-client.ts';
import { elapsedMs, round, summary, type BenchRow } from './measure.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
const stack = (command: 'start' | 'wait' | 'stop' | 'status') => spawnSync('bash', [join(repoRoot, 'scripts/pcsc-stack.sh'), command], { encoding: 'utf8' });
const READS = Number(process.env.BENCH_PCSC_READS ?? 20);
const SELECTS = 1000;
/** pkcs15-tool can block on a reader; a hung run is reported, not waited for. */
const OPENSC_TIMEOUT_MS = 15_000;
const runFile = promisify(execFile);

function nextEvent(kiosk: TestKiosk, type: FlowEvent['type'], after: number, timeoutMs = 20_000): Promise<FlowEvent> {
  return new Promise((resolvePromise, reject) => {
    const found = () => kiosk.events.slice(after).find((e) => e.type === type);
    const timer = setInterval(() => {
      const hit = found();
      if (hit) {
        clearInterval(timer);
        clearTimeout(limit);
        resolvePromise(hit);
      }
    }, 1);
    const limit = setTimeout(() => {
      clearInterval(timer);
      reject(
        new Error(
          `no ${type} event within ${timeoutMs} ms; saw ${kiosk.events
            .slice(after)
            .map((e) => e.type)
            .join(', ')}; step ${kiosk.latest?.step} ${kiosk.latest?.error?.code ?? ''}`,
        ),
      );
    }, timeoutMs);
  });
}

/** One card placement; undefined when the read failed (the kiosk shows an error), which is counted. */
async function readOnce(kiosk: TestKiosk): Promise<{ insertToVerifiedMs: number; detectedToVerifiedMs: number; apduCount: number } | undefined> {
  const client = new VpcdCardClient(await virtualCard('valid'), { slot: 0 });
  const before = kiosk.events.length;
  const seqBefore = kiosk.latest?.seq ?? -1;
  const start = process.hrtime.bigint();
  const inserted = await client.insert();
  if (!inserted.ok) throw new Error(inserted.error.message);
  await nextEvent(kiosk, 'session-started', before);
  const detectedMs = elapsedMs(start);
  const settled = await kiosk.waitFor(
    (s) => s.seq > seqBefore && (s.step === 'choose-auth' || s.step === 'error' || s.step === 'staff' || s.step === 'fallback'),
    20_000,
  );
  const verifiedMs = elapsedMs(start);
  const read = kiosk.events.slice(before).find((e) => e.type === 'card-read') as Extract<FlowEvent, { type: 'card-read' }> | undefined;
  await client.remove(); // ends the card's session: back to welcome
  await kiosk.waitFor((s) => s.step === 'welcome', 20_000);
  if (settled.step !== 'choose-auth' || !read) return undefined;
  return { insertToVerifiedMs: verifiedMs, detectedToVerifiedMs: verifiedMs - detectedMs, apduCount: read.apduCount ?? 0 };
}

/**
 * Median round trip of one SELECT of the JPKI AP through pcscd + vpcd, on the agent's pcsc driver
 * alone (no flow competing for the reader), after the agent has stopped.
 */
async function selectRoundTripMs(): Promise<{ medianMs: number; p99Ms: number }> {
  const driver = createPcscDriver({ settleMs: 50 }, { clock: systemClock, logger: silentLogger });
  const seen = new Promise<void>((r) => driver.subscribe((e) => e.type === 'card-inserted' && e.reader === READERS[1] && r()));
  await driver.start();
  const client = new VpcdCardClient(await virtualCard('valid'), { slot: 1 });
  const inserted = await client.insert();
  if (!inserted.ok) throw new Error(inserted.error.message);
  try {
    await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error('card not seen on slot 1')), 20_000))]);
    const channel = await driver.openCard!(READERS[1]);
    if (!channel.ok) throw new Error(channel.error.code);
    const select = buildApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID });
    if (!select.ok) throw new Error(select.error.code);
    const times: number[] = [];
    for (let i = 0; i < SELECTS; i++) {
      const start = process.hrtime.bigint();
      const reply = await channel.value.transmit(select.value);
      times.push(elapsedMs(start));
      if (!reply.ok) throw new Error(reply.error.code);
      const sw = (reply.value[reply.value.length - 2]! << 8) | reply.value[reply.value.length - 1]!;
      if (sw !== 0x9000) throw new Error(`SELECT answered ${sw.toString(16)}`);
    }
    await channel.value.close();
    const s = summary(times);
    return { medianMs: s.p50, p99Ms: s.p99 };
  } finally {
    await client.remove();
    await driver.stop();
  }
}

/**
 * OpenSC's pkcs15-tool reading certificate 01 from the same kind of card, wall time of the process.
 * Run after the agent has stopped, so nothing else holds the reader.
 */
async function openscReadMs(): Promise<number[] | string> {
  if (spawnSync('pkcs15-tool', ['--version']).error) return 'pkcs15-tool not installed';
  const client = new VpcdCardClient(await virtualCard('valid'), { slot: 1 });
  const inserted = await client.insert();
  if (!inserted.ok) throw new Error(inserted.error.message);
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-opensc-'));
  // Asynchronously: the virtual card answers pkcs15-tool's APDUs from this very process, so a synchronous
  // spawn would block it and the tool would wait for the card forever.
  const read = (file: string) =>
    runFile('pkcs15-tool', ['--reader', READERS[1], '--read-certificate', '01', '--output', join(dir, file)], {
      encoding: 'utf8',
      timeout: OPENSC_TIMEOUT_MS,
    }).then(
      () => ({ ok: true as const }),
      (error: { killed?: boolean; stderr?: string; stdout?: string }) => ({
        ok: false as const,
        timedOut: error.killed === true,
        output: `${error.stderr ?? ''}${error.stdout ?? ''}`,
      }),
    );
  const times: number[] = [];
  try {
    // Warm-up, and wait for pcscd's presence poll to see the card.
    for (let i = 0; i < 3 && !(await read('warm.pem')).ok; i++) await new Promise((r) => setTimeout(r, 250));
    for (let i = 0; i < 5; i++) {
      const start = process.hrtime.bigint();
      const run = await read(`c${i}.pem`);
      const ms = elapsedMs(start);
      if (!run.ok)
        return run.timedOut ? `pkcs15-tool did not finish within ${OPENSC_TIMEOUT_MS / 1000} s` : `pkcs15-tool failed: ${run.output.trim().slice(0, 200)}`;
      times.push(ms);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await client.remove();
  }
  return times;
}

const CRYPTO_RUNS = 200;

/**
 * One chain check of an RSA certificate of the card's kind (the test CA, self-signed: one signature
 * check against one anchor, as a leaf against its root), median of CRYPTO_RUNS: the agent's native
 * check beside node-forge parsing and verifying the same.
 */
async function cryptoMs(): Promise<{ nativeCheckMs: number; forgeVerifyMs: number }> {
  const pem = await testCaCertificatePem();
  const anchors = loadTrustAnchors([pem]);
  if (!anchors.ok) throw new Error(anchors.error.message);
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const now = new Date();
  const median = (run: () => void) => {
    const times: number[] = [];
    for (let i = 0; i < CRYPTO_RUNS; i++) {
      const start = process.hrtime.bigint();
      run();
      times.push(elapsedMs(start));
    }
    return summary(times).p50;
  };
  const nativeCheckMs = median(() => {
    const checked = checkCertificate(der, { anchors: anchors.value, now });
    if (!checked.ok || checked.value.chain !== 'trusted') throw new Error('the test CA did not chain to itself');
  });
  const forgeVerifyMs = median(() => {
    const certificate = forge.pki.certificateFromPem(pem);
    if (!certificate.verify(certificate)) throw new Error('forge did not verify the test CA');
  });
  return { nativeCheckMs, forgeVerifyMs };
}

export async function bench(): Promise<{ rows: BenchRow[]; result: unknown }> {
  const startedStack = stack('status').status !== 0;
  if (startedStack) {
    const started = stack('start');
    if (started.status !== 0) throw new Error(`pcscd could not be started: ${started.stderr.trim()}`);
    const waited = stack('wait');
    if (waited.status !== 0) throw new Error(`pcscd + vpcd not ready: ${waited.stderr.trim()}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-pcsc-'));
  const agent = await startAgent({ port: 0, driver: 'pcsc', dataDir, logger: silentLogger, trustPems: [await testCaCertificatePem()] });
  const kiosk = await TestKiosk.connect(agent.url);
  try {
    await kiosk.waitFor((s) => s.reader.service === 'ok' && s.reader.readers.length === 2, 20_000);
    const reads: NonNullable<Awaited<ReturnType<typeof readOnce>>>[] = [];
    let failedReads = 0;
    for (let i = 0; i < READS; i++) {
      const read = await readOnce(kiosk);
      if (read) reads.push(read);
      else failedReads += 1;
    }
    if (reads.length === 0) throw new Error(`all ${READS} reads failed`);
    process.stderr.write(`[pcsc] ${reads.length} reads done\n`);
    kiosk.close();
    await agent.close();
    const select = await selectRoundTripMs();
    process.stderr.write('[pcsc] SELECT round trips done\n');
    const opensc = await openscReadMs();
    const crypto = await cryptoMs();
    const apduCount = reads[0]!.apduCount;
    const total = summary(reads.map((r) => r.insertToVerifiedMs));
    const afterDetect = summary(reads.map((r) => r.detectedToVerifiedMs));
    const floorMs = round(apduCount * select.medianMs);
    const openscSummary = Array.isArray(opensc) ? summary(opensc) : undefined;
    const split = { apdusMs: floorMs, cryptoMs: crypto.nativeCheckMs, restMs: round(afterDetect.p50 - floorMs - crypto.nativeCheckMs) };
    return {
      rows: [
        {
          name: 'pcsc: card placed → verified (whole agent)',
          value: `${total.p50} ms p50`,
          compare: `p99 ${total.p99} ms over ${reads.length} (${failedReads} failed reads); includes pcscd's 400 ms presence poll`,
        },
        {
          name: 'pcsc: card detected → verified',
          value: `${afterDetect.p50} ms p50`,
          compare: `${apduCount} APDUs; floor ${floorMs} ms = ${apduCount} × ${select.medianMs} ms SELECT round trip (median of ${SELECTS}); target ≤ OpenSC p50 ${openscSummary?.p50 ?? '?'} ms`,
        },
        {
          name: 'pcsc: detected → verified split',
          value: `APDUs ${split.apdusMs} ms, crypto ${split.cryptoMs} ms, rest ${split.restMs} ms`,
          compare: `rest = flow, socket and waits; chain check native ${crypto.nativeCheckMs} ms vs node-forge ${crypto.forgeVerifyMs} ms (median of ${CRYPTO_RUNS})`,
        },
        {
          name: 'pcsc: OpenSC pkcs15-tool --read-certificate 01',
          value: openscSummary ? `${openscSummary.p50} ms p50` : 'not measured',
          compare: openscSummary ? `whole process, 5 runs; same card image, same stack` : String(opensc),
        },
      ],
      result: {
        reads,
        failedReads,
        apduCount,
        insertToVerified: total,
        detectedToVerified: afterDetect,
        selectRoundTrip: select,
        floorMs,
        opensc,
        openscP50: openscSummary?.p50,
        split,
        crypto,
        measuredWith: 'whole agent (startAgent --driver pcsc), kiosk socket events session-started / card-read / certificate',
      },
    };
  } finally {
    kiosk.close();
    await agent.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (startedStack) stack('stop');
  }
}

// Allows `node --conditions=source --import tsx bench/pcsc.ts` on its own.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bench();
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}
