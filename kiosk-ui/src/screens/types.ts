import type { FlowCommand, FlowSnapshot } from '@kiosk/protocol';
import type { Catalogue } from '../i18n/types.ts';

export interface ScreenProps {
  snapshot: FlowSnapshot;
  t: Catalogue;
  send: (command: FlowCommand) => void;
}
