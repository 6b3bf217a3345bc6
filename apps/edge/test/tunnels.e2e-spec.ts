/**
 * Long-lived and large exchanges through the edge: WebSocket tunnels (public and private,
 * closes from either side, idle timeout) and 200 MB bodies streamed with flat memory.
 */
import { once } from 'node:events';
import { type IncomingMessage, type Server, createServer, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { type TestApi, bearer } from '@slipway/api-testing';
import { WebSocket, WebSocketServer } from 'ws';
import type { Edge } from '../src';
import { type LocalUpstreams, MB, startLocalUpstreams } from './support/local-upstreams';
import { createAccessKey, eventually, keyKnown, routed, startEdge } from './support/stack';

jest.setTimeout(120_000);

describe('the edge tunnelling and streaming to local upstreams', () => {
  let upstreams: LocalUpstreams;
  let t: TestApi;
  let edge: Edge;
  let orgId: string;
  const routedTo = (port: number, access?: 'public' | 'private') =>
    upstreams.routedTo(port, access);
  const started = (server: Server): Promise<number> => upstreams.started(server);

  beforeAll(async () => {
    upstreams = await startLocalUpstreams();
    ({ t, edge, orgId } = upstreams);
  });
  afterAll(async () => {
    await upstreams?.close();
  });

  describe('WebSockets', () => {
    let wsPort: number;
    let wss: WebSocketServer;
    const serverCloses: number[] = [];

    beforeAll(async () => {
      const server = createServer();
      wss = new WebSocketServer({ server });
      wss.on('connection', (socket, req: IncomingMessage) => {
        socket.on('message', (data, isBinary) => {
          // Text frames in this test: ws hands them over as one Buffer.
          const text = (data as Buffer).toString();
          if (text === 'auth?') socket.send(String(req.headers.authorization ?? 'none'));
          else if (text === 'bye') socket.close(4000, 'server says bye');
          else socket.send(data, { binary: isBinary });
        });
        socket.on('close', (code) => serverCloses.push(code));
      });
      wsPort = await started(server);
    });
    afterAll(() => {
      wss.close();
    });

    function connect(hostname: string, headers: Record<string, string> = {}): WebSocket {
      return new WebSocket(`ws://127.0.0.1:${edge.port}/chat`, {
        headers: { Host: hostname, ...headers },
      });
    }

    async function next(socket: WebSocket): Promise<string> {
      const [data] = (await once(socket, 'message')) as [Buffer];
      return data.toString();
    }

    it('echoes through the edge for a public service, and closes cleanly from the client', async () => {
      const service = await routedTo(wsPort);
      const socket = connect(service.hostname);
      await once(socket, 'open');
      socket.send('hello');
      expect(await next(socket)).toBe('hello');
      socket.send(Buffer.alloc(256 * 1024, 7));
      expect((await next(socket)).length).toBe(256 * 1024);
      socket.close(1000, 'done');
      const [code] = (await once(socket, 'close')) as [number];
      expect(code).toBe(1000);
      await eventually(() => expect(serverCloses).toContain(1000));
    });

    it('passes a close from the server on to the client', async () => {
      const service = await routedTo(wsPort);
      const socket = connect(service.hostname);
      await once(socket, 'open');
      socket.send('bye');
      const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
      expect(code).toBe(4000);
      expect(reason.toString()).toBe('server says bye');
    });

    it('opens a private service with an Access Key, and strips the key on the way', async () => {
      const service = await routedTo(wsPort, 'private');
      const { key } = await createAccessKey(t, t.adminToken, { org_id: orgId });
      await keyKnown(edge, service.hostname, key);
      const socket = connect(service.hostname, bearer(key));
      await once(socket, 'open');
      socket.send('auth?');
      expect(await next(socket)).toBe('none');
      socket.close();
      await once(socket, 'close');
    });

    it('refuses a private service without a key: 401 in the error shape on the handshake', async () => {
      const service = await routedTo(wsPort, 'private');
      const socket = connect(service.hostname);
      // Terminating after a refused handshake reports an error the test expects.
      socket.on('error', () => undefined);
      const [, res] = (await once(socket, 'unexpected-response')) as [unknown, IncomingMessage];
      expect(res.statusCode).toBe(401);
      let body = '';
      for await (const chunk of res) body += (chunk as Buffer).toString();
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'unauthorized' } });
      socket.terminate();
    });

    it('closes a tunnel idle for longer than the idle timeout', async () => {
      const idle = await startEdge(t, {
        overrides: {
          http: { port: 0, host: '127.0.0.1' },
          upstream: { websocketIdleTimeoutMs: 300 },
        },
      });
      try {
        const service = await routedTo(wsPort);
        await routed(idle, service.hostname, service.version);
        // Timed from before the handshake: HAProxy's idle clock cannot start earlier, while a
        // loaded machine may deliver 'open' late (even together with the close).
        const connectingAt = Date.now();
        const socket = new WebSocket(`ws://127.0.0.1:${idle.port}/`, {
          headers: { Host: service.hostname },
        });
        const closed = once(socket, 'close');
        await once(socket, 'open');
        await closed;
        expect(Date.now() - connectingAt).toBeGreaterThanOrEqual(250);
        // The configured 300 ms, not the 300 s default; room to spare for a loaded machine.
        expect(Date.now() - connectingAt).toBeLessThan(30_000);
      } finally {
        await idle.close();
      }
    });
  });

  describe('streaming', () => {
    // 200 MB rather than 100: the sink, the edge and the client share this process, and its
    // RSS also holds relayed chunks not yet collected (seen at up to 57 MB under load). Those
    // stay well below half the body whatever its size; a body held in memory would be all of it.
    const SIZE = 200 * MB;
    const BOUND_MB = 100;

    /** Highest RSS growth over a baseline while `work` runs, sampled every 20 ms. */
    async function peakGrowth(work: () => Promise<void>): Promise<number> {
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      try {
        await work();
      } finally {
        clearInterval(sampler);
      }
      return (Math.max(peak, process.memoryUsage().rss) - baseline) / MB;
    }

    function chunks(total: number): Readable {
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 1);
      return new Readable({
        read() {
          if (sent >= total) {
            this.push(null);
            return;
          }
          sent += chunk.length;
          this.push(chunk);
        },
      });
    }

    it('streams a 200 MB upload and a 200 MB download with flat memory', async () => {
      const sink = createServer((req, res) => {
        if (req.method === 'POST') {
          let bytes = 0;
          req.on('data', (chunk: Buffer) => (bytes += chunk.length));
          req.on('end', () => res.end(String(bytes)));
        } else {
          res.writeHead(200, { 'Content-Length': SIZE });
          chunks(SIZE).pipe(res);
        }
      });
      const service = await routedTo(await started(sink));

      let uploaded = '';
      const uploadGrowth = await peakGrowth(
        () =>
          new Promise<void>((resolve, reject) => {
            const req = httpRequest(
              {
                host: '127.0.0.1',
                port: edge.port,
                method: 'POST',
                path: '/upload',
                headers: { Host: service.hostname, 'Content-Length': SIZE },
                agent: false,
              },
              (res) => {
                res.on('data', (chunk: Buffer) => (uploaded += chunk.toString()));
                res.on('end', resolve);
              },
            );
            req.on('error', reject);
            chunks(SIZE).pipe(req);
          }),
      );
      expect(uploaded).toBe(String(SIZE));

      let downloaded = 0;
      const downloadGrowth = await peakGrowth(
        () =>
          new Promise<void>((resolve, reject) => {
            const req = httpRequest(
              {
                host: '127.0.0.1',
                port: edge.port,
                path: '/download',
                headers: { Host: service.hostname },
                agent: false,
              },
              (res) => {
                res.on('data', (chunk: Buffer) => (downloaded += chunk.length));
                res.on('end', resolve);
              },
            );
            req.on('error', reject);
            req.end();
          }),
      );
      expect(downloaded).toBe(SIZE);
      expect(uploadGrowth).toBeLessThan(BOUND_MB);
      expect(downloadGrowth).toBeLessThan(BOUND_MB);
    });
  });
});
