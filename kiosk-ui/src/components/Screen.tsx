import type { ReactNode } from 'react';
import type { ScreenText } from '../i18n/types.ts';
import { T } from './Text.tsx';

/**
 * One patient screen: the heading and instruction, then the screen's own content. `aside` is a column
 * at the right from the top of the screen (a keypad): on the wide panel it takes no height from the rest.
 */
export function Screen({ text, children, name, aside }: { text: ScreenText; children?: ReactNode; name: string; aside?: ReactNode }) {
  const main = (
    <>
      <h1 id="screen-title" className="screen__title" tabIndex={-1}>
        <T text={text.title} />
      </h1>
      <p className="screen__body">
        <T text={text.body} />
      </p>
      {children}
    </>
  );
  return (
    <section className={aside ? 'screen screen--aside' : 'screen'} data-screen={name} aria-labelledby="screen-title">
      {aside ? (
        <>
          <div className="screen__main">{main}</div>
          <div className="screen__aside">{aside}</div>
        </>
      ) : (
        main
      )}
    </section>
  );
}
