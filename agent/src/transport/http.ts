import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@kiosk/protocol';
import type { ReaderDriver } from '../flow/ports.ts';

export interface HttpDeps {
  driver: ReaderDriver;
  /** Built kiosk UI (kiosk-ui/dist); absent → a plain page saying how to build it. */
  uiDir: string;
  /** Extra routers mounted by path, e.g. the mock control endpoint (the demonstration only). */
  routers?: Record<string, Router>;
  /** The demonstration: /healthz says `demo: true`. */
  demo: boolean;
  /** The day the document rules edition was checked: /healthz says it. */
  rulesEdition?: string;
  /** Content-Security-Policy directives (security/csp.ts). */
  csp: Record<string, string[]>;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: deps.csp,
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(express.json({ limit: '16kb' }));

  // Anyone who can reach the agent may ask: states only. Reader names and details (device names, folder
  // errors) are for signed-in staff (the board) and the operator (the log and the CLI).
  app.get('/healthz', (_req, res) => {
    const status = deps.driver.status();
    res.json({
      ok: true,
      driver: status.driver,
      service: status.service,
      protocolVersion: PROTOCOL_VERSION,
      readers: status.readers.map(({ driver, state }) => ({ driver, state })),
      ...(deps.rulesEdition ? { rulesEdition: deps.rulesEdition } : {}),
      ...(deps.demo ? { demo: true } : {}),
    });
  });

  for (const [path, router] of Object.entries(deps.routers ?? {})) app.use(path, router);

  const index = join(deps.uiDir, 'index.html');
  if (existsSync(index)) {
    app.use(express.static(deps.uiDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('The kiosk UI is not built. Run "npm run build" (or "npm start", which builds it).');
    });
  }

  // Malformed JSON and other body errors answer with a typed error instead of an HTML stack trace.
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const status = typeof error === 'object' && error && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    res.status(status).json({
      ok: false,
      error: { code: status < 500 ? 'INPUT_INVALID' : 'INTERNAL', message: status < 500 ? 'Malformed request' : 'Internal error', retriable: false },
    });
  });
  return app;
}

function noCacheForHtml(res: express.Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-store');
}
