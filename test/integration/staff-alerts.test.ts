/**
 * The list of situations that need a person, played on the real agent (mock reader): each one
 * puts an alert of its own kind on the staff console's board (GET /staff/api/board) while the patient
 * waits at the kiosk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertKind } from '@kiosk/protocol';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import { playScenario, TestKiosk } from '../support/kiosk-client.ts';
import { drive } from '../support/drive.ts';
import { BOARD_WAIT, StaffClient, STAFF_PASSWORD, STAFF_USER } from '../support/staff-harness.ts';

let agent: RunningAgent;
let staff: StaffClient;

beforeAll(async () => {
  agent = await startDemo({ port: 0, dataDir: ':memory:', logger: silentLogger });
  await createStaffAccounts(agent.db).add(STAFF_USER, STAFF_PASSWORD, new Date());
  staff = await StaffClient.login(agent.url);
});
afterAll(async () => {
  await agent?.close();
});

type Play = (kiosk: TestKiosk) => Promise<unknown>;
const toStaff =
  (auth: 'pin' | 'face', pins?: string[]): Play =>
  (kiosk) =>
    drive(kiosk, { auth, ...(pins ? { pins } : {}), until: ['staff', 'error', 'fallback', 'completed'] });

const SITUATIONS: Array<[situation: string, kind: AlertKind, scenario: string | null, play: Play]> = [
  ['PIN locked', 'pin-blocked', 'pin-locked', toStaff('pin')],
  ['two wrong PINs', 'pin-failures', 'wrong-pin-then-success', toStaff('pin', ['0000', '0000'])],
  [
    'face failed → 目視',
    'visual-check',
    'face-failed',
    async (kiosk) => {
      await kiosk.step('choose-auth');
      await kiosk.command({ type: 'choose-auth', method: 'face' });
      // Back at the choice once the face attempt failed: PIN or 目視 remain.
      await kiosk.waitFor((s) => s.step === 'choose-auth' && kiosk.snapshots.some((seen) => seen.step === 'face'));
      await kiosk.command({ type: 'choose-auth', method: 'visual' });
    },
  ],
  ['not a My Number card', 'not-my-number-card', 'not-my-number-card', toStaff('pin')],
  ['certificate expired', 'certificate-expired', 'expired-certificate', toStaff('pin')],
  ['eligibility invalid', 'eligibility-invalid', 'eligibility-invalid', toStaff('pin')],
  ['eligibility not found', 'eligibility-not-found', 'eligibility-not-found', toStaff('pin')],
  ['eligibility multiple', 'eligibility-multiple', 'eligibility-multiple', toStaff('pin')],
  ['call staff', 'patient-request', null, (kiosk) => kiosk.command({ type: 'call-staff' })],
];

describe('an alert on the staff board for every situation that needs a person', () => {
  it.each(SITUATIONS)('%s → %s', async (_situation, kind, scenario, play) => {
    const kiosk = await TestKiosk.connect(agent.url);
    try {
      await kiosk.step('welcome');
      if (scenario) await playScenario(agent.url, scenario);
      await play(kiosk);
      const sessionId = (await kiosk.waitFor((s) => s.sessionId !== null)).sessionId;
      const alertFor = async () => {
        const board = (await (await staff.get('/staff/api/board')).json()) as {
          data: { alerts: Array<{ sessionId: string | null; kind: string; live: boolean }> };
        };
        return board.data.alerts.find((a) => a.sessionId === sessionId);
      };
      await expect.poll(alertFor, BOARD_WAIT).toMatchObject({ kind, live: true });
    } finally {
      await kiosk.command({ type: 'reset', reason: 'patient' });
      await playScenario(agent.url, 'remove-card');
      await kiosk.step('welcome');
      kiosk.close();
    }
  });
});
