export { createOrcaReception, DEFAULT_DEPARTMENT, type OrcaReception, type OrcaSettings } from './reception.ts';
export { checkOrca, type OrcaCheck } from './check.ts';
export type { OrcaConnection } from './client.ts';
