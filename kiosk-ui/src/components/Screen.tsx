import type { ReactNode } from 'react';
import type { ScreenText } from '../i18n/types.ts';
import { T } from './Text.tsx';

/** One patient screen: the heading and instruction, then the screen's own content. */
export function Screen({ text, children, name }: { text: ScreenText; children?: ReactNode; name: string }) {
  return (
    <section className="screen" data-screen={name} aria-labelledby="screen-title">
      <h1 id="screen-title" className="screen__title" tabIndex={-1}>
        <T text={text.title} />
      </h1>
      <p className="screen__body">
        <T text={text.body} />
      </p>
      {children}
    </section>
  );
}
