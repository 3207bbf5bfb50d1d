import { readFileSync } from 'node:fs';
import { ServerResponse, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { ExtendedError, Socket } from 'socket.io';
import { agentError, fail, ok, type Result } from '@kiosk/protocol';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import { cspDirectives } from './csp.ts';
import { createDeviceTokens } from './device-tokens.ts';
import { allowedHostnames, checkRequest, isLoopback, machineAddresses } from './hosts.ts';

export { cspDirectives } from './csp.ts';
export { createDeviceTokens, type DeviceTokens } from './device-tokens.ts';
export { allowedHostnames, checkRequest, isLoopback } from './hosts.ts';

export interface SecurityOptions {
  /** The interface the agent binds. */
  host: string;
  /** PEM certificate and key files; required to bind beyond loopback. */
  tls?: { certPath?: string; keyPath?: string };
  /** Further names browsers use to reach the agent (the certificate's DNS name, say). */
  publicNames?: string[];
  db: Db;
  logger: Logger;
}

export interface SecurityPolicy {
  /** At start-up: refuse a non-loopback bind without TLS and registered device tokens. ok carries the TLS material to serve. */
  checkStartup(): Result<{ tls?: { cert: Buffer; key: Buffer } }>;
  /** Express middleware, first in the chain: Host and Origin checks. */
  http(req: Request, res: Response, next: NextFunction): void;
  /**
   * engine.io middleware (`io.engine.use`): the same checks for every socket.io request — the handshake, and
   * every later poll, post and WebSocket upgrade that carries an existing sid (allowRequest sees handshakes only).
   */
  socketRequest(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  /** Kiosk namespace middleware: a client from another machine must present a registered device token (auth.deviceToken). */
  kioskSocket(socket: Socket, next: (err?: ExtendedError) => void): void;
  cspDirectives: Record<string, string[]>;
  tls: boolean;
}

function refusalBody(reason: 'host' | 'origin') {
  return { ok: false, error: agentError('TRANSPORT_UNAUTHORIZED', reason === 'host' ? 'Unknown host name' : 'Cross-origin request refused') };
}

export function securityPolicy(options: SecurityOptions): SecurityPolicy {
  const allowed = allowedHostnames(options.host, options.publicNames, machineAddresses());
  const devices = createDeviceTokens(options.db);
  const tls = Boolean(options.tls?.certPath && options.tls.keyPath);
  const refuse = (kind: string, reason: string) => options.logger.warn({ event: 'request-refused', kind, reason }, 'request refused by the security policy');

  return {
    tls,
    cspDirectives: cspDirectives({ tls }),

    checkStartup() {
      if (isLoopback(options.host)) return ok({});
      const why = (text: string) =>
        fail<{ tls?: { cert: Buffer; key: Buffer } }>(
          'INPUT_INVALID',
          `Refusing to listen on ${options.host}: ${text}. Bind 127.0.0.1 (the default), or configure both.`,
        );
      if (!tls) return why('listening beyond loopback needs TLS (--tls-cert and --tls-key)');
      if (devices.count() === 0) return why('listening beyond loopback needs at least one kiosk device token ("kiosk-agent staff device add NAME")');
      try {
        return ok({ tls: { cert: readFileSync(options.tls!.certPath!), key: readFileSync(options.tls!.keyPath!) } });
      } catch (error) {
        return why(`the TLS certificate or key cannot be read (${(error as { code?: string }).code ?? 'error'})`);
      }
    },

    http(req, res, next) {
      const verdict = checkRequest({ host: req.headers.host, origin: req.headers.origin }, allowed);
      if (verdict.ok) return next();
      refuse('http', verdict.reason);
      res.status(verdict.status).json(refusalBody(verdict.reason));
    },

    socketRequest(req, res, next) {
      const verdict = checkRequest({ host: req.headers.host, origin: req.headers.origin }, allowed);
      if (verdict.ok) return next();
      refuse('socket', verdict.reason);
      // Answered here, next() never called: engine.io would turn an error into its own 400.
      const body = JSON.stringify(refusalBody(verdict.reason));
      if (res instanceof ServerResponse) {
        res.writeHead(verdict.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(body);
        return;
      }
      // An upgrade: engine.io's stand-in response cannot send a status, so the refusal is written on the socket.
      const head = [`HTTP/1.1 ${verdict.status} ${STATUS_CODES[verdict.status]}`, 'Connection: close', 'Content-Type: application/json; charset=utf-8'];
      req.socket.end(`${head.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    },

    kioskSocket(socket, next) {
      if (isLoopback(socket.handshake.address)) return next();
      const device = devices.verify((socket.handshake.auth as Record<string, unknown> | undefined)?.deviceToken);
      if (device) return next();
      refuse('kiosk-socket', 'device-token');
      next(Object.assign(new Error('TRANSPORT_UNAUTHORIZED'), { data: agentError('TRANSPORT_UNAUTHORIZED') }));
    },
  };
}
