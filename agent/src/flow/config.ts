import type { Language } from '@kiosk/protocol';

export interface FlowConfig {
  /** Agent-side safety timeout: a session with no input for this long is reset ('timeout'). The UI warns earlier. */
  idleTimeoutMs: number;
  /** How long the completed screen (queue number) stays before the flow returns to welcome. */
  completedResetMs: number;
  /** Consecutive read errors after which the kiosk switches to the manual path. */
  readErrorLimit: number;
  /** Consent screens the clinic enabled (資格確認端末 環境設定). 薬剤 and 特定健診 are always offered. */
  consent: { diagnosis: boolean; operation: boolean };
  /** A consent recorded this recently is reused instead of asking again. */
  consentValidityMs: number;
  /** The clinic issues 電子処方箋: ask electronic or paper. */
  ePrescription: boolean;
  defaultLanguage: Language;
  /** The demonstration (mock reader, invented people): every snapshot says so. */
  demo?: boolean;
}

/** Defaults follow the terminal's defaults (診療 and 手術 not used) and the 24-hour consent validity. */
export const defaultFlowConfig: FlowConfig = {
  idleTimeoutMs: 3 * 60_000,
  completedResetMs: 20_000,
  readErrorLimit: 3,
  consent: { diagnosis: false, operation: false },
  consentValidityMs: 24 * 3600_000,
  ePrescription: false,
  defaultLanguage: 'ja',
};
