import type { Page } from 'playwright-core';

/**
 * Whether the screen fits the clinic panel, measured in the page: axe does not ask this. Returns what
 * does not fit, one line each; [] when the screen fits.
 *  - nothing scrolls: not the document, not any scroll container (the patient cannot find what is below);
 *  - nothing is scrolled: every screen starts at its top;
 *  - every action (button, key) lies fully inside the viewport, below the top bar and above the bottom
 *    bar, and is what a finger at its centre touches (document.elementFromPoint);
 *  - every label of the top bar stays on one line (a wrapped Japanese label breaks inside a word: 日本/語).
 */
export function fitProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const height = window.innerHeight;
    const name = (el: Element) =>
      el.getAttribute('data-action') ??
      (el.getAttribute('data-key') ? `key ${el.getAttribute('data-key')}` : null) ??
      `"${(el.textContent ?? '').trim().slice(0, 20)}"`;
    const page = document.scrollingElement ?? document.documentElement;
    if (page.scrollWidth > width || page.scrollHeight > height)
      problems.push(`the page is ${page.scrollWidth}×${page.scrollHeight}, the panel ${width}×${height}`);
    if (page.scrollTop !== 0 || page.scrollLeft !== 0) problems.push(`the page is scrolled to ${page.scrollLeft},${page.scrollTop}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const style = getComputedStyle(el);
      const scrollsY = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      const scrollsX = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      if (scrollsY || scrollsX)
        problems.push(`${el.tagName.toLowerCase()}.${el.className} scrolls: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
      if (el.scrollTop !== 0) problems.push(`${el.tagName.toLowerCase()}.${el.className} is scrolled to ${el.scrollTop}`);
    }

    // The idle warning covers the screen: then only its own buttons can be touched.
    const dialog = document.querySelector('.idle');
    const scope = dialog ?? document.body;
    const top = dialog ? 0 : (document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0);
    const bottom = dialog ? height : (document.querySelector('.bottombar')?.getBoundingClientRect().top ?? height);
    for (const action of Array.from(scope.querySelectorAll<HTMLElement>('button, [data-action], [data-key]'))) {
      const box = action.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered
      const where = `${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}×${Math.round(box.height)}`;
      if (box.left < 0 || box.top < 0 || box.right > width + 0.5 || box.bottom > height + 0.5) {
        problems.push(`${name(action)} (${where}) is not inside the panel`);
        continue;
      }
      const inBar = action.closest('.topbar, .bottombar') !== null;
      if (!inBar && (box.top < top - 0.5 || box.bottom > bottom + 0.5)) problems.push(`${name(action)} (${where}) lies under the top or bottom bar`);
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (!hit || !action.contains(hit)) problems.push(`${name(action)} (${where}): its centre touches ${hit ? name(hit) : 'nothing'}`);
    }

    // Lines of a top-bar item: its text boxes (furigana left out) grouped by where they sit.
    for (const item of Array.from(document.querySelectorAll<HTMLElement>('.topbar button, .topbar__demo'))) {
      const lines: number[] = [];
      const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('rt') || !node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) {
          const middle = rect.top + rect.height / 2;
          if (rect.width > 0 && !lines.some((line) => Math.abs(line - middle) < rect.height / 2)) lines.push(middle);
        }
      }
      if (lines.length > 1) problems.push(`top bar: ${name(item)} takes ${lines.length} lines`);
    }
    // The screen measured, which an agent step may have replaced since the caller looked.
    const shown = document.querySelector('[data-screen="idle"], main [data-screen]')?.getAttribute('data-screen') ?? '?';
    return problems.map((problem) => `[${shown}] ${problem}`);
  });
}
