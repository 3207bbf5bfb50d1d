import type { FlowSnapshot } from '@kiosk/protocol';
import { playScenario, type TestKiosk } from './kiosk-client.ts';

export const TEST_PIN = '1234';

/**
 * Plays the patient: answers each screen the way a cooperative patient would, until the flow reaches
 * `until` (default: completed). Returns the steps seen, in order.
 */
export async function drive(
  kiosk: TestKiosk,
  options: { auth?: 'face' | 'pin'; pins?: string[]; until?: FlowSnapshot['step'][] } = {},
): Promise<FlowSnapshot['step'][]> {
  const until = options.until ?? ['completed'];
  const pins = [...(options.pins ?? [TEST_PIN])];
  const seen: FlowSnapshot['step'][] = [];
  let lastSeq = -1;
  for (let i = 0; i < 40; i++) {
    const s = await kiosk.waitFor(
      (snap) => (snap.seq > lastSeq && !['reading', 'verifying', 'eligibility', 'face', 'registering'].includes(snap.step)) || until.includes(snap.step),
    );
    lastSeq = s.seq;
    if (seen[seen.length - 1] !== s.step) seen.push(s.step);
    if (until.includes(s.step)) return seen;
    switch (s.step) {
      case 'welcome':
        break;
      case 'choose-auth':
        await kiosk.command({ type: 'choose-auth', method: options.auth ?? 'pin' });
        break;
      case 'pin':
        await kiosk.command({ type: 'submit-pin', pin: pins.shift() ?? TEST_PIN });
        break;
      case 'pin-confirm-last-try':
        await kiosk.command({ type: 'confirm-last-try', confirm: true });
        break;
      case 'registration-offer':
        await kiosk.command({ type: 'registration', agree: true });
        break;
      case 'result':
        await kiosk.command({ type: 'continue' });
        break;
      case 'consent':
        await kiosk.command({ type: 'consent', all: true });
        break;
      case 'prescription':
        await kiosk.command({ type: 'prescription', choice: 'electronic' });
        break;
      case 'new-patient':
        await kiosk.command({ type: 'new-patient', confirmed: true });
        break;
      default:
        return seen;
    }
  }
  throw new Error(`flow did not settle; steps: ${seen.join(' → ')}`);
}

/**
 * One PIN check-in on the mock reader, from the welcome screen back to it. `shown` hears the queue number
 * the moment the kiosk has it, before the reset, so a test that kills the agent knows every number a
 * patient saw.
 */
export async function checkInWithPin(kiosk: TestKiosk, agentUrl: string, shown: (sessionId: string, queueNumber: number) => void): Promise<void> {
  await kiosk.step('welcome');
  await playScenario(agentUrl, 'pin-success');
  await drive(kiosk, { auth: 'pin' });
  const { sessionId, queueNumber } = kiosk.latest!;
  if (!sessionId || !queueNumber) throw new Error(`no queue number: the check-in ended on "${kiosk.latest?.step}"`);
  shown(sessionId, queueNumber);
  await kiosk.command({ type: 'reset', reason: 'patient' });
  await playScenario(agentUrl, 'remove-card');
}
