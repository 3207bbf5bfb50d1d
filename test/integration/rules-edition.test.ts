import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { loadRulesFile } from '@kiosk/agent/cli/rules-file.ts';
import { fixedClock } from '@kiosk/agent/clock.ts';
import { createLogger } from '@kiosk/agent/logger.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManualEntryResult, StaffBoard } from '@kiosk/protocol';
import { StaffClient, STAFF_PASSWORD, STAFF_USER } from '../support/staff-harness.ts';

/** The agent started as a clinic would with a rules file: the override is used, logged, and shown. */
let agent: RunningAgent;
let clock: ReturnType<typeof fixedClock>;
const lines: string[] = [];
const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'clinic-rules.json');

beforeAll(async () => {
  writeFileSync(file, JSON.stringify({ temporaryHandling: { lastDay: '2026-09-30' } }));
  const rules = loadRulesFile(file);
  if (!rules.ok) throw new Error(rules.error.message);
  // 2027-04-02: 121 days after the edition was checked, one more than the default age.
  clock = fixedClock('2027-04-02T10:00:00+09:00');
  const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
  agent = await startDemo({ port: 0, dataDir: ':memory:', logger, clock, rules: rules.value });
  await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, clock.now());
});
afterAll(async () => {
  await agent?.close();
});

const logged = (event: string) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === event);

describe('the rules edition and a clinic override', () => {
  it('/healthz says the edition date', async () => {
    expect(await (await fetch(`${agent.url}/healthz`)).json()).toMatchObject({ ok: true, rulesEdition: '2026-12-02' });
  });

  it('the start-up log names the edition, says the override is active, and warns that the edition is old', () => {
    expect(logged('rules-edition')).toMatchObject({ checkedOn: '2026-12-02' });
    expect(logged('rules-override')).toMatchObject({ level: 40, file, fields: ['temporaryHandling.lastDay'] });
    expect(logged('rules-edition-stale')).toMatchObject({ level: 40, maxAgeDays: 120 });
  });

  it('the staff board carries the edition, the age limit and the override', async () => {
    const staff = await StaffClient.login(agent.url);
    const board = (await (await staff.get('/staff/api/board')).json()) as { data: StaffBoard };
    expect(board.data.rules).toMatchObject({
      edition: { checkedOn: '2026-12-02', sources: expect.arrayContaining([{ title: expect.stringContaining('7月末まで延長'), date: '2026-03-19' }]) },
      maxAgeDays: 120,
      override: { fields: ['temporaryHandling.lastDay'] },
    });
  });

  it("manual entry decides with the clinic's table, not the released one", async () => {
    const preview = async () => {
      // Signed in on the day itself: a staff session does not survive the clock jumping months.
      const staff = await StaffClient.login(agent.url);
      const res = await staff.post('/staff/api/manual-entry/preview', { documents: ['shikaku_joho_oshirase'] });
      return ((await res.json()) as { data: ManualEntryResult }).data.decision;
    };
    // 2026-09-15: after the released last day (2026-07-31), within the clinic's (2026-09-30).
    clock.set('2026-09-15T10:00:00+09:00');
    expect(await preview()).toMatchObject({ decision: 'conditional', reasons: ['notice-alone-not-enough', 'temporary-handling-notice-alone'] });
    clock.set('2026-10-01T10:00:00+09:00');
    expect((await preview()).reasons).toContain('temporary-handling-ended');
  });
});
