/**
 * The dashboard (`apps/web`, built) served at `/`: its files as they are, and `index.html`
 * for every other page the browser asks for (the app routes on the client). The API keeps
 * `/v1` and the internal paths; nothing under them is ever answered with the page.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';

/** `apps/web/dist`, from this file's place in the API (its sources or its build). */
export const DEFAULT_WEB_DIR = resolve(__dirname, '..', '..', '..', 'web', 'dist');

/** Paths that belong to the API even when nothing answers them there. */
const API_PATHS = /^\/(v1|internal)(\/|$)|^\/(healthz|readyz)$/;

/** The directory to serve, or undefined when the dashboard was not built (`dir` unset). */
export function webDirectory(dir: string | undefined): string | undefined {
  const chosen = dir ?? DEFAULT_WEB_DIR;
  if (existsSync(join(chosen, 'index.html'))) return chosen;
  if (dir !== undefined) {
    throw new Error(
      `SLIPWAY_WEB_DIR: ${dir} holds no index.html (build it: npm run build -w @slipway/web)`,
    );
  }
  return undefined;
}

export function webApp(dir: string): Router {
  const router = express.Router();
  // The API's own paths skip the page, its headers and its files altogether.
  router.use((req: Request, _res: Response, next: NextFunction) => {
    next(API_PATHS.test(req.path) ? 'router' : undefined);
  });
  router.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // The component library sets CSS variables in a style element.
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  router.use(express.static(dir, { index: false, fallthrough: true, maxAge: '1h' }));
  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (!req.accepts('html')) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  return router;
}
