import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@kiosk/agent/logger.ts';
import type { OrcaSettings } from '@kiosk/agent/orca/index.ts';
import type { Db } from '@kiosk/agent/storage/db.ts';
import { startMockOrca, type MockOrca } from '@kiosk/mocks/orca/index.ts';

/** A password no log line, error or page may ever show. */
export const ORCA_PASSWORD = 'orca-Secret-7Q!x';
export const ORCA_USER = 'ormaster';

/** A logger whose every line is kept, to prove what never appears in the logs. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** A mock ORCA with the test password, and agent settings for it (fast timeouts and backoff). */
export async function orcaForTest(options: { format?: 'xml2' | 'json'; prefix?: string } = {}): Promise<{
  orca: MockOrca;
  settings: OrcaSettings;
  passwordFile: string;
  remove(): Promise<void>;
}> {
  const orca = await startMockOrca({ password: ORCA_PASSWORD, ...(options.prefix ? { prefix: options.prefix } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-orca-'));
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${ORCA_PASSWORD}\n`, { mode: 0o600 });
  const settings: OrcaSettings = {
    connection: { baseUrl: orca.url, user: ORCA_USER, password: ORCA_PASSWORD, timeoutMs: 400, ...(options.format ? { format: options.format } : {}) },
    retry: { minMs: 30, maxMs: 200 },
  };
  return {
    orca,
    settings,
    passwordFile,
    async remove() {
      await orca.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OutboxState {
  state: string;
  reason: string | null;
  message: string | null;
  patient_id: string | null;
  acceptance_id: string | null;
  candidates: string | null;
}

/** A check-in's row in the agent's ORCA outbox. */
export function outboxRow(db: Db, sessionId: string): OutboxState | undefined {
  return db.prepare('SELECT state, reason, message, patient_id, acceptance_id, candidates FROM orca_outbox WHERE session_id = ?').get(sessionId) as
    OutboxState | undefined;
}

/** The acceptmodv2 registrations (Request_Number 01) the mock received. */
export const registrations = (orca: MockOrca) => orca.requests.filter((r) => r.api === 'acceptmodv2' && r.kind === '01').length;
