import type { FlowSnapshot, FlowStep } from '@kiosk/protocol';
import type { Catalogue, Text } from '../i18n/types.ts';
import { ChooseAuthScreen, FaceScreen, LastTryScreen, PinScreen } from './Auth.tsx';
import { CompletedScreen } from './Completed.tsx';
import { ConsentScreen } from './Consent.tsx';
import { FallbackScreen } from './Fallback.tsx';
import { NewPatientScreen } from './NewPatient.tsx';
import { PrescriptionScreen } from './Prescription.tsx';
import { RegistrationOfferScreen } from './Registration.tsx';
import { ResultScreen } from './Result.tsx';
import { ErrorScreen, StaffScreen } from './Staff.tsx';
import type { ScreenProps } from './types.ts';
import { WaitingScreen } from './Waiting.tsx';
import { WelcomeScreen } from './Welcome.tsx';

/** The screen for each step. A step added to the protocol without a screen is a type error here. */
export function StepScreen(props: ScreenProps & { onCompletedClear: () => void }) {
  const step: FlowStep = props.snapshot.step;
  switch (step) {
    case 'welcome':
      return <WelcomeScreen {...props} />;
    case 'reading':
    case 'verifying':
    case 'eligibility':
    case 'registering':
    case 'visual-check':
      return <WaitingScreen {...props} />;
    case 'choose-auth':
      return <ChooseAuthScreen {...props} />;
    case 'face':
      return <FaceScreen {...props} />;
    case 'pin':
      return <PinScreen {...props} />;
    case 'pin-confirm-last-try':
      return <LastTryScreen {...props} />;
    case 'registration-offer':
      return <RegistrationOfferScreen {...props} />;
    case 'result':
      return <ResultScreen {...props} />;
    case 'consent':
      return <ConsentScreen {...props} />;
    case 'prescription':
      return <PrescriptionScreen {...props} />;
    case 'new-patient':
      return <NewPatientScreen {...props} />;
    case 'completed':
      return <CompletedScreen {...props} onClear={props.onCompletedClear} />;
    case 'fallback':
      return <FallbackScreen {...props} onClear={props.onCompletedClear} />;
    case 'staff':
      return <StaffScreen {...props} />;
    case 'error':
      return <ErrorScreen {...props} />;
    default: {
      const unknown: never = step;
      return unknown;
    }
  }
}

/** Steps where the patient is expected to act; only these time out for inactivity. */
export const INTERACTIVE_STEPS: ReadonlySet<FlowStep> = new Set<FlowStep>([
  'choose-auth',
  'pin',
  'pin-confirm-last-try',
  'registration-offer',
  'result',
  'consent',
  'prescription',
  'new-patient',
  'fallback',
  'error',
]);

/**
 * What voice guidance says for a snapshot: only catalogue entries chosen by codes, never a value from
 * the snapshot itself (names, dates, numbers, PIN digits cannot reach the speaker).
 */
export function guidanceFor(snapshot: FlowSnapshot, t: Catalogue): Text[] {
  const decided = snapshot.step === 'fallback' ? snapshot.fallback?.decision : undefined;
  const screen = decided ? t.fallback.end : t.steps[snapshot.step];
  const texts: Text[] = [screen.title, screen.body];
  if (snapshot.step === 'fallback' && snapshot.fallback && !decided) texts.splice(1, 0, t.fallbackReasons[snapshot.fallback.reason]);
  if (snapshot.error) texts.push(t.errors[snapshot.error.code].what, t.errors[snapshot.error.code].next);
  if (snapshot.step === 'staff' && snapshot.staff) texts.push(t.staffReasons[snapshot.staff.reason]);
  if (decided) texts.push(t.guidance[decided.patientGuidance]);
  for (const notice of snapshot.notices) texts.push(t.notices[notice]);
  return texts;
}
