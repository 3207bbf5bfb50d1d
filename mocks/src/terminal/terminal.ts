import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { japanStamp } from '@kiosk/agent/drivers/oqs/dates.ts';
import { parseOqsFile } from '@kiosk/agent/drivers/oqs/parse.ts';
import { PREFIX } from '@kiosk/agent/drivers/oqs/requests.ts';
import { registrationAnswerXml, scenarioForInsurance, scenarioXml, type FixtureOptions, type ScenarioName } from './fixtures.ts';

export interface MockTerminalOptions {
  /** Root folder; face, req and res are created under it. */
  dir: string;
  /** How long the terminal "takes" to answer a request. */
  delayMs?: number;
  /** How often req is looked at. */
  pollMs?: number;
  /**
   * Which fixture answers a 一件照会 for these numbers, or 'no-answer' (the request is taken and never
   * answered, like a terminal that lost its line). Default: the fixture holding exactly these numbers.
   */
  answerFor?: (search: { insurerNumber: string; number: string }) => ScenarioName | 'no-answer';
}

export interface MockTerminal {
  readonly faceDir: string;
  readonly reqDir: string;
  readonly resDir: string;
  /** Writes a face result as the terminal does after a reader transaction; returns the file name. */
  writeFace(scenario: ScenarioName, options?: FixtureOptions & { slowly?: boolean; pieceDelayMs?: number }): Promise<string>;
  /** Requests answered so far (file names in req). */
  readonly answered: readonly string[];
  stop(): Promise<void>;
}

/** Writes a file in pieces over time, like a slow writer on a network share. */
async function writeInPieces(path: string, bytes: Buffer, pieces: number, pieceDelayMs: number): Promise<void> {
  const size = Math.ceil(bytes.length / pieces);
  await writeFile(path, bytes.subarray(0, size));
  for (let offset = size; offset < bytes.length; offset += size) {
    await sleep(pieceDelayMs);
    await appendFile(path, bytes.subarray(offset, offset + size));
  }
}

/** The answer to one request file, or undefined when the file is not a request this mock knows. */
function answerTo(
  name: string,
  bytes: Buffer,
  now: Date,
  answerFor: NonNullable<MockTerminalOptions['answerFor']>,
): { name: string; bytes: Buffer } | undefined {
  const request = parseOqsFile(bytes);
  if (!request.ok) return undefined;
  const id = request.value.header.ArbitraryFileIdentifier ?? '';
  if (name.startsWith(PREFIX.inquiryRequest)) {
    const search = request.value.body.QualificationConfirmSearchInfo ?? {};
    const scenario = answerFor({ insurerNumber: search.InsurerNumber ?? '', number: search.InsuredIdentificationNumber ?? '' });
    if (scenario === 'no-answer') return undefined;
    const answer = scenarioXml(scenario, { executedAt: now, fileIdentifier: id, referenceClassification: '2', searchInfo: search });
    return { name: `${PREFIX.inquiryResult}${id}.xml`, bytes: answer };
  }
  if (name.startsWith(PREFIX.registrationRequest)) {
    const answer = registrationAnswerXml(request.value.body.ReferenceNumberRegistrationInfo ?? {}, { executedAt: now, fileIdentifier: id });
    return { name: `${PREFIX.registrationResult}${id}.xml`, bytes: answer };
  }
  return undefined;
}

/**
 * A stand-in for the 資格確認端末's folders: writes face results on demand and answers req files
 * with res files from the fixture table after a delay (atomically, like the real one is assumed to).
 */
export async function startMockTerminal(options: MockTerminalOptions): Promise<MockTerminal> {
  const faceDir = join(options.dir, 'face');
  const reqDir = join(options.dir, 'req');
  const resDir = join(options.dir, 'res');
  await Promise.all([faceDir, reqDir, resDir].map((d) => mkdir(d, { recursive: true })));
  const answered: string[] = [];
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();

  async function answerRequests(): Promise<void> {
    const names = await readdir(reqDir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.xml') && !n.startsWith('.'))) {
      const path = join(reqDir, name);
      const bytes = await readFile(path).catch(() => undefined);
      if (!bytes) continue;
      await unlink(path).catch(() => undefined);
      answered.push(name);
      const answer = answerTo(name, bytes, new Date(), options.answerFor ?? (({ insurerNumber, number }) => scenarioForInsurance(insurerNumber, number)));
      if (!answer) continue;
      await sleep(options.delayMs ?? 0);
      if (stopped) return;
      const temporary = join(resDir, `.${answer.name}.tmp`);
      await writeFile(temporary, answer.bytes);
      await rename(temporary, join(resDir, answer.name));
    }
  }

  const timer = setInterval(() => {
    busy = busy.then(answerRequests);
  }, options.pollMs ?? 50);

  return {
    faceDir,
    reqDir,
    resDir,
    answered,
    async writeFace(scenario, { slowly, pieceDelayMs, ...fixture } = {}) {
      const executedAt = fixture.executedAt ?? new Date();
      const name = `OQSsiquc01res_face_${randomBytes(4).toString('hex')}_${japanStamp(executedAt)}.xml`;
      const bytes = scenarioXml(scenario, { ...fixture, executedAt });
      const path = join(faceDir, name);
      if (slowly) await writeInPieces(path, bytes, 4, pieceDelayMs ?? 100);
      else await writeFile(path, bytes);
      return name;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
    },
  };
}
