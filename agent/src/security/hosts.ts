import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Loopback: 127.0.0.0/8, ::1, and the name localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '::ffff:127.0.0.1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Hostname of a Host header or URL host ("a:80" → "a", "[::1]:80" → "::1"), lowercased; undefined when malformed. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The names a browser may use to reach the agent. DNS rebinding makes an attacker's name resolve to
 * our address; the Host header then carries the attacker's name, which is not on this list.
 */
export function allowedHostnames(bindHost: string, extraNames: readonly string[] = [], machineAddresses: readonly string[] = []): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', ...extraNames.map((n) => n.toLowerCase())]);
  const bound = hostnameOf(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  // Bound to every interface, a kiosk reaches the agent at any of this PC's own addresses.
  if (bound === '0.0.0.0' || bound === '::') for (const address of machineAddresses) names.add(address.toLowerCase());
  else if (bound) names.add(bound);
  return names;
}

/** This PC's own interface addresses (what a kiosk on the LAN types when no DNS name is set up). */
export function machineAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}

export type RequestVerdict = { ok: true } | { ok: false; status: 403 | 421; reason: 'host' | 'origin' };

/**
 * Host must be one of our names; an Origin, when sent, must be http(s) on one of our names and the
 * same host:port the request went to (so another local service's page is cross-origin too).
 */
export function checkRequest(headers: { host?: string | undefined; origin?: string | undefined }, allowed: ReadonlySet<string>): RequestVerdict {
  const host = hostnameOf(headers.host);
  if (!host || !allowed.has(host)) return { ok: false, status: 421, reason: 'host' };
  if (headers.origin === undefined) return { ok: true };
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return { ok: false, status: 403, reason: 'origin' };
  }
  const sameHost = origin.host.toLowerCase() === String(headers.host).toLowerCase();
  if ((origin.protocol !== 'http:' && origin.protocol !== 'https:') || !sameHost) return { ok: false, status: 403, reason: 'origin' };
  return { ok: true };
}
