export { createCheckInFlow, readerAvailability } from './check-in-flow.ts';
export { defaultFlowConfig, type FlowConfig } from './config.ts';
export type { FlowDeps, CertificateUseRule, FlowDocumentsInput } from './deps.ts';
export type { CheckInFlow, FlowListener, StaffAction } from './types.ts';
export type { CheckInStore } from './ports.ts';
