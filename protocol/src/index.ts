export * from './version.ts';
export * from './errors.ts';
export * from './reader.ts';
export * from './documents.ts';
export * from './flow.ts';
export * from './events.ts';
export * from './staff.ts';
export * from './wording.ts';
