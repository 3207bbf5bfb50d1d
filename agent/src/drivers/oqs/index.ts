/** The oqs driver: face-auth reader results and 一件照会 through the 資格確認端末's folders. */
export { createOqsDriver, type OqsDriver, type OqsDriverDeps, type OqsStaffQueue } from './driver.ts';
export { createOqsInquiry, type OqsInquiry, type OqsInquiryDeps } from './inquiry.ts';
export { OqsConfigSchema, parseOqsConfig, type OqsConfig, type OqsConfigInput } from './config.ts';
export { parseOqsFile, type ParsedOqsFile, type ParseOptions } from './parse.ts';
export { toEligibilityResult } from './eligibility.ts';
export { viewOf, type ResultView } from './views.ts';
export { OQSCD, codeLabel } from './codes.ts';
export type { OqsStaffItem } from './store.ts';
export type { ReviewReason } from '@kiosk/protocol';
export type { ReferenceNumberRegistration } from './requests.ts';
export type { OqsDocument, OqsHeader, OqsBody, OqsResult } from './fields.ts';
