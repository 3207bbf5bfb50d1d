import type { FlowSnapshot } from '@kiosk/protocol';
import { plain } from '../i18n/index.ts';
import type { Catalogue } from '../i18n/types.ts';
import { T } from './Text.tsx';

/** Determinate when the agent reports progress, indeterminate (animated) otherwise. */
export function Progress({ progress, t }: { progress: FlowSnapshot['progress']; t: Catalogue }) {
  const label = progress ? t.common.progress(progress.done, progress.total) : t.common.working;
  return (
    <div className="progress">
      {progress ? (
        <progress className="progress__bar" value={progress.done} max={progress.total} aria-label={plain(label)} />
      ) : (
        <progress className="progress__bar" aria-label={plain(label)} />
      )}
      <p className="progress__label" aria-live="polite">
        <T text={label} />
      </p>
    </div>
  );
}
