/**
 * The Content-Security-Policy for every page the agent serves (kiosk and staff console): only our own
 * scripts, styles, images and socket; no inline script, no framing, no plugins, no foreign forms.
 * The lead passes these to helmet in transport/http.ts.
 */
export function cspDirectives(options: { tls?: boolean } = {}): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    ...(options.tls ? { upgradeInsecureRequests: [] } : {}),
  };
}
