/**
 * Custom domains and signed edge URLs through a real edge and API: domains set with
 * `PUT /v1/services/{id}` route like the generated hostname (and stop when removed); a signed
 * URL from the API opens a private service for a browser (cookie) and a WebSocket client.
 * The upstreams are servers this file starts on loopback.
 */
import { once } from 'node:events';
import { type IncomingMessage, createServer } from 'node:http';
import { type TestApi, bearer, uniqueName } from '@slipway/api-testing';
import { edgeTokenSigner } from '@slipway/contracts';
import { WebSocket, WebSocketServer } from 'ws';
import type { Edge } from '../src';
import { type LocalUpstreams, echoServer, startLocalUpstreams } from './support/local-upstreams';
import { call, errorOf, eventually, serviceView, storeRoute } from './support/stack';

jest.setTimeout(120_000);

interface Echoed {
  url: string;
  headers: Record<string, string | undefined>;
}

describe('custom domains and signed URLs through the edge', () => {
  let upstreams: LocalUpstreams;
  let t: TestApi;
  let edge: Edge;
  let projectId: string;
  let echoPort: number;
  let wsPort: number;

  beforeAll(async () => {
    upstreams = await startLocalUpstreams();
    ({ t, edge, projectId } = upstreams);
    echoPort = await upstreams.started(echoServer());
    const wsServer = createServer();
    const wss = new WebSocketServer({ server: wsServer });
    // Tells the client what reached the instance: the URL and the Cookie header.
    wss.on('connection', (socket, req: IncomingMessage) => {
      socket.on('message', () =>
        socket.send(JSON.stringify({ url: req.url, cookie: req.headers.cookie ?? null })),
      );
    });
    wsPort = await upstreams.started(wsServer);
  });
  afterAll(async () => {
    await upstreams?.close();
  });

  describe('custom domains', () => {
    /** A service created through the API whose stored route points at the echo server. */
    async function serviceWithStoredRoute(): Promise<{ id: string; hostname: string }> {
      const res = await t.http
        .post('/v1/services')
        .set(bearer(t.adminToken))
        .send({ name: uniqueName('domain'), project_id: projectId })
        .expect(200);
      const service = (res.body as { data: { id: string; hostname: string } }).data;
      await storeRoute(t, service.id, [{ host: '127.0.0.1', port: echoPort }], 1);
      return service;
    }

    function setDomains(id: string, domains: string[]) {
      return t.http.put(`/v1/services/${id}`).set(bearer(t.adminToken)).send({ domains });
    }

    it('routes a custom domain exactly like the hostname, and stops once it is removed', async () => {
      const service = await serviceWithStoredRoute();
      const [kept, dropped] = [`${uniqueName('www')}.example.com`, `${uniqueName('old')}.test`];
      expect((await call(edge, kept)).status).toBe(404);

      await setDomains(service.id, [kept, dropped]).expect(200);
      const { key } = await createKey();
      for (const host of [kept, `${dropped.toUpperCase()}:8000`]) {
        const reply = await eventually(async () => {
          const r = await call(edge, host, { path: '/via-domain', headers: bearer(key) });
          expect(r.status).toBe(200);
          return r;
        });
        const seen = JSON.parse(reply.body) as Echoed;
        expect(seen.url).toBe('/via-domain');
        expect(seen.headers.host).toBe(host);
      }
      // Private like the service: the domain is no way around its Access Keys.
      expect((await call(edge, kept)).status).toBe(401);

      await setDomains(service.id, [kept]).expect(200);
      await eventually(async () => {
        const reply = await call(edge, dropped, { headers: bearer(key) });
        expect(reply.status).toBe(404);
        expect(errorOf(reply).message).toContain(dropped);
      });
      expect((await call(edge, kept, { headers: bearer(key) })).status).toBe(200);
      expect((await call(edge, service.hostname, { headers: bearer(key) })).status).toBe(200);

      // A full reload from PostgreSQL agrees with the messages.
      await edge.resync();
      expect(edge.routes.lookup(kept)?.serviceId).toBe(service.id);
      expect(edge.routes.lookup(dropped)).toBeUndefined();

      await setDomains(service.id, []).expect(200);
      await eventually(async () => expect((await call(edge, kept)).status).toBe(404));
    });

    async function createKey(): Promise<{ key: string }> {
      const res = await t.http
        .post('/v1/access-keys')
        .set(bearer(t.adminToken))
        .send({ name: uniqueName('key'), project_id: projectId })
        .expect(200);
      return (res.body as { data: { key: string } }).data;
    }
  });

  describe('signed URLs', () => {
    async function signedUrl(serviceId: string): Promise<{ token: string; path: string }> {
      const res = await t.http
        .post(`/v1/services/${serviceId}/signed-url`)
        .set(bearer(t.adminToken))
        .send({ ttl_seconds: 300 })
        .expect(200);
      const url = new URL((res.body as { data: { url: string } }).data.url);
      return {
        token: url.searchParams.get('edge_token') ?? '',
        path: `${url.pathname}${url.search}`,
      };
    }

    function cookieOf(setCookie: string[] | undefined): string {
      const value = /^slipway_edge=([^;]*)/.exec(setCookie?.[0] ?? '')?.[1];
      if (!value) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
      return `slipway_edge=${value}`;
    }

    it('swaps a valid token for an HttpOnly cookie that opens the private service, never forwarded', async () => {
      const service = await upstreams.routedTo(echoPort, 'private');
      const { token, path } = await signedUrl(service.id);
      expect((await call(edge, service.hostname)).status).toBe(401);

      const opened = await call(edge, service.hostname, { path });
      expect(opened.status).toBe(302);
      expect(opened.headers.location).toBe('/');
      expect(opened.headers['cache-control']).toBe('no-store');
      const setCookie = opened.headers['set-cookie']?.[0] ?? '';
      expect(setCookie).toMatch(
        new RegExp(`^slipway_edge=${token}; Max-Age=(29\\d|300); Path=/; HttpOnly; SameSite=Lax$`),
      );
      expect(setCookie).not.toMatch(/Domain=/i);

      const cookie = cookieOf(opened.headers['set-cookie']);
      const reply = await call(edge, service.hostname, {
        path: '/page?x=1',
        headers: { Cookie: `theme=dark; ${cookie}; lang=en` },
      });
      expect(reply.status).toBe(200);
      const seen = JSON.parse(reply.body) as Echoed;
      expect(seen.url).toBe('/page?x=1');
      expect(seen.headers.cookie).toBe('theme=dark; lang=en');

      const only = await call(edge, service.hostname, { headers: { Cookie: cookie } });
      expect((JSON.parse(only.body) as Echoed).headers.cookie).toBeUndefined();
    });

    it('keeps the rest of the URL in the redirect, and marks the cookie Secure behind TLS', async () => {
      const service = await upstreams.routedTo(echoPort, 'private');
      const { token } = await signedUrl(service.id);
      const reply = await call(edge, service.hostname, {
        path: `/app/?tab=2&edge_token=${token}&q=a%20b`,
        headers: { 'X-Forwarded-Proto': 'https' },
      });
      expect(reply.status).toBe(302);
      expect(reply.headers.location).toBe('/app/?tab=2&q=a%20b');
      expect(reply.headers['set-cookie']?.[0]).toMatch(/; Secure$/);
    });

    it('answers 401 in the error shape for expired, tampered and foreign tokens and cookies', async () => {
      const service = await upstreams.routedTo(echoPort, 'private');
      const other = await upstreams.routedTo(echoPort, 'private');
      const signer = edgeTokenSigner(t.secretKey);
      const expired = signer.sign({
        serviceId: service.id,
        expiresAt: Math.floor(Date.now() / 1000) - 1,
      });
      const { token } = await signedUrl(service.id);
      const tampered = token.replace(
        /\.(\d+)\./,
        (_m, expiry: string) => `.${Number(expiry) + 1}.`,
      );
      const foreign = (await signedUrl(other.id)).token;

      for (const bad of [expired, tampered, foreign, 'slp_et_garbage']) {
        const byUrl = await call(edge, service.hostname, { path: `/?edge_token=${bad}` });
        expect(byUrl.status).toBe(401);
        expect(errorOf(byUrl)).toMatchObject({ code: 'unauthorized' });
        expect(errorOf(byUrl).message).toContain('signed URL');
        expect(byUrl.headers['set-cookie']).toBeUndefined();

        const byCookie = await call(edge, service.hostname, {
          headers: { Cookie: `slipway_edge=${bad}` },
        });
        expect(byCookie.status).toBe(401);
        expect(errorOf(byCookie).code).toBe('unauthorized');
        // The browser is told to forget the cookie.
        expect(byCookie.headers['set-cookie']?.[0]).toMatch(/^slipway_edge=; Max-Age=0;/);
      }
    });

    it('admits WebSocket upgrades with the cookie or the token, forwarding neither', async () => {
      const service = await upstreams.routedTo(wsPort, 'private');
      const { token, path } = await signedUrl(service.id);
      const opened = await call(edge, service.hostname, { path });
      const cookie = cookieOf(opened.headers['set-cookie']);

      const ask = async (socket: WebSocket): Promise<{ url: string; cookie: string | null }> => {
        await once(socket, 'open');
        socket.send('?');
        const [data] = (await once(socket, 'message')) as [Buffer];
        socket.close();
        return JSON.parse(data.toString()) as { url: string; cookie: string | null };
      };
      const url = `ws://127.0.0.1:${edge.port}/chat`;
      expect(
        await ask(
          new WebSocket(url, { headers: { Host: service.hostname, Cookie: `a=1; ${cookie}` } }),
        ),
      ).toEqual({ url: '/chat', cookie: 'a=1' });
      expect(
        await ask(
          new WebSocket(`${url}?edge_token=${token}&room=7`, {
            headers: { Host: service.hostname },
          }),
        ),
      ).toEqual({ url: '/chat?room=7', cookie: null });

      for (const headers of [{}, { Cookie: 'slipway_edge=slp_et_garbage' }]) {
        const refused = new WebSocket(url, { headers: { Host: service.hostname, ...headers } });
        const [, response] = (await once(refused, 'unexpected-response')) as [
          unknown,
          IncomingMessage,
        ];
        expect(response.statusCode).toBe(401);
        let body = '';
        for await (const chunk of response) body += (chunk as Buffer).toString();
        expect(JSON.parse(body)).toMatchObject({ error: { code: 'unauthorized' } });
        // Aborting a handshake that never completed is reported as an error: expected here.
        refused.once('error', () => undefined);
        refused.terminate();
      }
    });

    it('leaves a public service reachable and hands it the URL without the token', async () => {
      const service = await upstreams.routedTo(echoPort, 'public');
      const reply = await call(edge, service.hostname, { path: '/p?edge_token=anything&k=v' });
      expect(reply.status).toBe(200);
      expect((JSON.parse(reply.body) as Echoed).url).toBe('/p?k=v');
      expect((await serviceView(t, service.id)).hostname).toBe(service.hostname);
    });
  });
});
