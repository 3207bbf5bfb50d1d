import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout or the install (/opt/myna-kiosk), found from this file's place (agent/src or agent/dist). */
const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** The data folder when neither --data-dir nor KIOSK_DATA_DIR names one (a clinic's unit always names it). */
export const DEFAULT_DATA_DIR = join(ROOT, '.data');
/** The built kiosk UI (npm run build). */
export const DEFAULT_UI_DIR = join(ROOT, 'kiosk-ui', 'dist');
