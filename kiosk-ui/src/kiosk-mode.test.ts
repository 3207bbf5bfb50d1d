import { describe, expect, it } from 'vitest';
import { lockKioskGestures } from './kiosk-mode.ts';

/** Dispatches a cancelable event on a fresh locked window and says whether the kiosk blocked it. */
function blocked(event: Event): boolean {
  const target = new EventTarget() as Window;
  lockKioskGestures(target);
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

const withFields = (type: string, fields: Record<string, unknown>) => Object.assign(new Event(type, { cancelable: true }), fields);

describe('kiosk gestures', () => {
  it('blocks the context menu, text selection, dragging and Safari pinch gestures', () => {
    for (const type of ['contextmenu', 'selectstart', 'dragstart', 'gesturestart']) expect(blocked(new Event(type, { cancelable: true })), type).toBe(true);
  });

  it('blocks ctrl-wheel and two-finger zoom, but not scrolling with one finger or the wheel', () => {
    expect(blocked(withFields('wheel', { ctrlKey: true }))).toBe(true);
    expect(blocked(withFields('wheel', { ctrlKey: false }))).toBe(false);
    expect(blocked(withFields('touchmove', { touches: { length: 2 } }))).toBe(true);
    expect(blocked(withFields('touchmove', { touches: { length: 1 } }))).toBe(false);
  });
});
