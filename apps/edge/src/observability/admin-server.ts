import { type Server, createServer } from 'node:http';
import type { EdgeMetrics } from './metrics';

export interface AdminServerOptions {
  readonly metrics: EdgeMetrics;
  readonly isReady: () => boolean;
  readonly describe: () => Record<string, number>;
}

/**
 * The operator port: Prometheus metrics and probes. A port of its own, so no service
 * hostname can reach it through the proxy port.
 */
export function createAdminServer({ metrics, isReady, describe }: AdminServerOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const json = (status: number, body: object): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(405, { error: 'use GET' });
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
          res.end(text);
        },
        () => json(500, { error: 'metrics unavailable' }),
      );
    } else if (path === '/healthz') {
      json(200, { status: 'ok' });
    } else if (path === '/readyz') {
      const ready = isReady();
      json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...describe() });
    } else {
      json(404, { error: 'not found: /metrics, /healthz, /readyz' });
    }
  });
}
