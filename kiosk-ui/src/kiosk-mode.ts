/**
 * A public touch screen: no context menu, no pinch or ctrl-wheel zoom, no text selection (CSS does the
 * rest). Zoom is replaced by the large-text mode, which keeps the layout usable.
 */
export function lockKioskGestures(target: Window): void {
  const block = (event: Event) => event.preventDefault();
  target.addEventListener('contextmenu', block);
  target.addEventListener('selectstart', block);
  target.addEventListener('gesturestart', block);
  target.addEventListener('dragstart', block);
  target.addEventListener('wheel', (event) => event.ctrlKey && event.preventDefault(), { passive: false });
  target.addEventListener('touchmove', (event) => event.touches.length > 1 && event.preventDefault(), { passive: false });
}
