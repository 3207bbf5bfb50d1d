import type {
  CertificateStatus,
  ConsentItem,
  DocumentDecisionKind,
  DocumentId,
  EligibilityOutcome,
  ErrorCode,
  FallbackReason,
  FlowStep,
  Notice,
  PatientGuidance,
  StaffReason,
} from '@kiosk/protocol';

/**
 * Catalogue text. May contain furigana markup `{漢字|かんじ}`, rendered as <ruby> and spoken as the
 * reading. Catalogue text is static: it never contains personal data, which is why voice guidance
 * may speak any of it.
 */
export type Text = string;
/** Text with a number in it (seconds, tries, digits). */
export type Counted = (n: number) => Text;

/** What went wrong and what to do next: every failure the patient sees says both. */
export interface Failure {
  readonly what: Text;
  readonly next: Text;
}

/** One screen: a heading and the instruction under it (both spoken when voice guidance is on). */
export interface ScreenText {
  readonly title: Text;
  readonly body: Text;
}

/** Every string of the patient UI. A missing key in any language is a type error. */
export interface Catalogue {
  /** The language's own name, on its switch button. */
  readonly languageName: Text;
  readonly common: {
    readonly callStaff: Text;
    readonly startOver: Text;
    readonly continue: Text;
    readonly yes: Text;
    readonly no: Text;
    readonly languageGroup: Text;
    readonly displayGroup: Text;
    readonly highContrast: Text;
    readonly largeText: Text;
    readonly voice: Text;
    readonly working: Text;
    readonly progress: (done: number, total: number) => Text;
    readonly selected: Text;
    readonly noticeLabel: Text;
    readonly errorLabel: Text;
    /** Shown on every screen of the demonstration (mock reader, invented people), in the bottom bar. */
    readonly demo: Text;
  };
  readonly steps: Readonly<Record<FlowStep, ScreenText>>;
  readonly welcome: { readonly start: Text; readonly noCard: Text; readonly readerDown: Text };
  readonly auth: {
    readonly face: Text;
    readonly pin: Text;
    readonly staff: Text;
    readonly switchToPin: Text;
    readonly forgotPin: Text;
    readonly triesLeft: Counted;
    readonly registrationPurpose: Text;
  };
  readonly pin: {
    readonly keypad: Text;
    readonly entered: Counted;
    readonly delete: Text;
    readonly clear: Text;
    readonly submit: Text;
    readonly digit: Counted;
  };
  readonly lastTry: { readonly use: Text; readonly ask: Text };
  readonly registration: { readonly agree: Text; readonly decline: Text; readonly points: readonly Text[] };
  readonly result: {
    readonly name: Text;
    readonly birth: Text;
    /** Masked with ＊, the character the agent masks the name with, so both values have one width. */
    readonly birthMasked: (yearPrefix: string) => Text;
    readonly copay: Text;
    readonly copayValue: Counted;
    readonly confirmed: Text;
    readonly notMe: Text;
  };
  readonly consent: {
    readonly items: Readonly<Record<ConsentItem, Text>>;
    readonly all: Text;
    readonly none: Text;
    readonly chooseEach: Text;
    readonly submit: Text;
    readonly agree: Text;
    readonly disagree: Text;
  };
  readonly prescription: { readonly electronic: Text; readonly electronicHint: Text; readonly paper: Text; readonly paperHint: Text };
  readonly newPatient: {
    readonly correct: Text;
    readonly wrong: Text;
    readonly phone: Text;
    readonly phoneInvalid: Text;
  };
  readonly completed: { readonly queueNumber: Text; readonly clearing: Counted };
  readonly fallback: {
    /** The manual path's last screen, after the documents were chosen. */
    readonly end: ScreenText;
    readonly documents: Readonly<Record<DocumentId, Text>>;
    readonly none: Text;
    readonly submit: Text;
    readonly decisions: Readonly<Record<DocumentDecisionKind, Text>>;
    readonly why: Text;
  };
  readonly guidance: Readonly<Record<PatientGuidance, Text>>;
  readonly staffReasons: Readonly<Record<StaffReason, Text>>;
  readonly fallbackReasons: Readonly<Record<FallbackReason, Text>>;
  readonly notices: Readonly<Record<Notice, Text>>;
  readonly eligibility: Readonly<Record<EligibilityOutcome, Text>>;
  readonly certificate: Readonly<Record<CertificateStatus, Text>>;
  readonly errors: Readonly<Record<ErrorCode, Failure>>;
  readonly connection: {
    readonly reconnecting: ScreenText;
    readonly unreachable: ScreenText;
    readonly incompatible: Text;
    readonly bring: readonly Text[];
  };
  readonly idle: { readonly title: Text; readonly countdown: Counted; readonly keepGoing: Text; readonly finish: Text };
}
