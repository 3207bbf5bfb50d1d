import { segments, type Text } from '../i18n/index.ts';

/** Catalogue text, with furigana as <ruby> where the catalogue marks it. */
export function T({ text }: { text: Text }) {
  return (
    <>
      {segments(text).map((segment, index) =>
        segment.reading ? (
          <ruby key={index}>
            {segment.text}
            <rt>{segment.reading}</rt>
          </ruby>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}
