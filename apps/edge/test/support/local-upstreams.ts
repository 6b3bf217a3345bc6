/**
 * Local upstreams behind a real edge: services created through the API whose routes point
 * at servers a test starts on loopback, published as the API would publish them.
 */
import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type TestApi,
  adminDefaults,
  bearer,
  startTestApi,
  uniqueName,
} from '@slipway/api-testing';
import type { Edge, EdgeConfigOverrides } from '../../src';
import { publishRoute, routed, startEdge } from './stack';

export const MB = 1024 * 1024;

export async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Answers with what it received: method, url, headers and body length. */
export function echoServer(): Server {
  return createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      const body = JSON.stringify({
        method: req.method,
        url: req.url,
        headers: req.headers,
        bytes,
      });
      res.writeHead(200, {
        'Content-Type': 'application/json',
        Connection: 'keep-alive, X-Upstream-Hop',
        'X-Upstream-Hop': 'must not pass',
        'Keep-Alive': 'timeout=5',
      });
      res.end(body);
    });
  });
}

export interface LocalUpstreams {
  readonly t: TestApi;
  readonly edge: Edge;
  readonly projectId: string;
  readonly orgId: string;
  /** A service created through the API whose route points at `ports` on loopback. */
  routedTo(
    ports: number | readonly number[],
    access?: 'public' | 'private',
  ): Promise<{ id: string; hostname: string; version: number }>;
  /** Listens on a free loopback port; the server is closed with the fixture. */
  started(server: Server): Promise<number>;
  close(): Promise<void>;
}

export async function startLocalUpstreams(
  overrides?: EdgeConfigOverrides,
): Promise<LocalUpstreams> {
  const t = await startTestApi();
  const { projectId, orgId } = await adminDefaults(t);
  const edge = await startEdge(t, overrides ? { overrides } : {});
  const servers: Server[] = [];
  async function routedTo(
    ports: number | readonly number[],
    access: 'public' | 'private' = 'public',
  ): Promise<{ id: string; hostname: string; version: number }> {
    const res = await t.http
      .post('/v1/services')
      .set(bearer(t.adminToken))
      .send({
        name: uniqueName('local'),
        project_id: projectId,
        access_control: { access_type: access },
      })
      .expect(200);
    const service = (res.body as { data: { id: string; hostname: string } }).data;
    const version = Date.now() * 2;
    await publishRoute(t.redisUrl, {
      type: 'upsert',
      serviceId: service.id,
      orgId,
      projectId,
      hostnames: [service.hostname],
      accessType: access,
      endpoints: [ports].flat().map((port) => ({ host: '127.0.0.1', port })),
      // Newer than anything the database holds for it, so no resync undoes it.
      version,
    });
    await routed(edge, service.hostname, version);
    return { ...service, version };
  }

  return {
    t,
    edge,
    projectId,
    orgId,
    routedTo,
    async started(server) {
      servers.push(server);
      return listen(server);
    },
    async close() {
      await edge.close();
      await Promise.all(servers.map(closeServer));
      await t.close();
    },
  };
}
