/**
 * A kiosk on another PC proves itself to the agent with its device token (`kiosk-agent staff device add`).
 * The display unit opens the page as `https://AGENT/#device=TOKEN`: a URL fragment is never sent to the
 * server, so the token stays out of request logs. It is kept for the tab's life (reloads) and taken out of
 * the address, so it is never on screen.
 */
const KEY = 'kiosk-device-token';

export function deviceToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  history?: Pick<History, 'replaceState'>,
): string | undefined {
  const fromUrl = new URLSearchParams(location.hash.replace(/^#/, '')).get('device');
  if (fromUrl) {
    storage.setItem(KEY, fromUrl);
    history?.replaceState(null, '', `${location.pathname}${location.search}`);
    return fromUrl;
  }
  return storage.getItem(KEY) ?? undefined;
}
