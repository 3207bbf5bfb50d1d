/**
 * The staff wire contract (protocol/src/staff.ts). Imported through this one file until
 * protocol/src/index.ts re-exports it; then this line becomes `export * from '@kiosk/protocol'`.
 */
export * from '../../../protocol/src/staff.ts';
