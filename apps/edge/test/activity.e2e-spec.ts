/**
 * Each edge's view of the traffic per service, for the API's autoscaler: requests in flight
 * (counted by HAProxy while they run) and the last request's time, in a Redis hash of the
 * edge's own that expires unless refreshed.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { once } from 'node:events';
import { WebSocket, WebSocketServer } from 'ws';
import type { Edge } from '../src';
import { EDGE_HEARTBEAT_FIELD } from '../src/activity/activity-reporter';
import { activityHash } from './support/control-plane';
import { type LocalUpstreams, startLocalUpstreams } from './support/local-upstreams';
import { call, eventually, startEdge } from './support/stack';

jest.setTimeout(120_000);

const INTERVAL_MS = 200;
const EDGE_ID = `activity-e2e-${process.pid}`;

describe("an edge's activity report", () => {
  let upstreams: LocalUpstreams;
  let redisUrl: string;

  beforeAll(async () => {
    upstreams = await startLocalUpstreams({
      activity: { intervalMs: INTERVAL_MS, edgeId: EDGE_ID },
    });
    redisUrl = upstreams.t.redisUrl;
  });
  afterAll(async () => {
    await upstreams?.close();
  });

  /** Answers every request once `release()` is called. */
  function slowServer() {
    const waiting: ServerResponse[] = [];
    const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      waiting.push(res);
    });
    return {
      server,
      waiting: () => waiting.length,
      release() {
        for (const res of waiting.splice(0)) res.end('done');
      },
    };
  }

  it('counts requests in flight, then reports none with the last request just now', async () => {
    const slow = slowServer();
    const service = await upstreams.routedTo(await upstreams.started(slow.server));
    const replies = Array.from({ length: 5 }, () => call(upstreams.edge, service.hostname));
    await eventually(async () => {
      const { fields } = await activityHash(redisUrl, EDGE_ID);
      expect(fields.get(service.id)?.inFlight).toBe(5);
    });
    // HAProxy counts a request in flight from the moment it has it; the upstream sees it a
    // moment later (on a busy machine, after the report).
    await eventually(() => expect(slow.waiting()).toBe(5));
    slow.release();
    expect((await Promise.all(replies)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const endedAt = Date.now();

    const after = await eventually(async () => {
      const { fields } = await activityHash(redisUrl, EDGE_ID);
      const activity = fields.get(service.id);
      expect(activity?.inFlight).toBe(0);
      return activity!;
    });
    // When the last request ended (HAProxy's clock and this one agree within the read).
    expect(after.lastRequestAt).toBeGreaterThan(endedAt - 2000);
    expect(after.lastRequestAt).toBeLessThanOrEqual(Date.now());
  });

  it('counts an open WebSocket as in flight until it closes', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
    const service = await upstreams.routedTo(await upstreams.started(server));
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${upstreams.edge.port}/`, {
        headers: { Host: service.hostname },
      });
      await once(socket, 'open');
      await eventually(async () => {
        const { fields } = await activityHash(redisUrl, EDGE_ID);
        expect(fields.get(service.id)?.inFlight).toBe(1);
      });
      socket.close(1000);
      await once(socket, 'close');
      await eventually(async () => {
        const { fields } = await activityHash(redisUrl, EDGE_ID);
        expect(fields.get(service.id)?.inFlight).toBe(0);
      });
    } finally {
      wss.close();
    }
  });

  it('always holds the heartbeat, vanishes within five intervals once the agent is gone, and is removed by a full stop', async () => {
    const edgeId = `activity-stop-${process.pid}`;
    const edge = await startEdge(upstreams.t, {
      overrides: { activity: { intervalMs: INTERVAL_MS, edgeId } },
    });
    let adopter: Edge | undefined;
    try {
      // No request yet: the hash exists, so the API knows this edge reports.
      const { fields, ttlMs } = await eventually(async () => {
        const hash = await activityHash(redisUrl, edgeId);
        expect(hash.fields.get(EDGE_HEARTBEAT_FIELD)).toEqual({ inFlight: 0, lastRequestAt: 0 });
        return hash;
      });
      expect(fields.size).toBe(1);
      expect(ttlMs).toBeGreaterThan(0);
      expect(ttlMs).toBeLessThanOrEqual(5 * INTERVAL_MS);

      // The agent stops without a word (as a crash would); HAProxy serves on.
      await edge.detach();
      await eventually(
        async () => expect((await activityHash(redisUrl, edgeId)).fields.size).toBe(0),
        5 * INTERVAL_MS + 2000,
      );

      // A new agent adopts HAProxy; a full stop removes its hash at once.
      const adopterId = `activity-adopter-${process.pid}`;
      adopter = await startEdge(upstreams.t, {
        overrides: {
          http: { port: edge.port, host: '127.0.0.1' },
          haproxy: { runDir: edge.config.haproxy.runDir },
          activity: { intervalMs: INTERVAL_MS, edgeId: adopterId },
        },
      });
      expect(adopter.haproxyStart).toBe('adopted');
      await eventually(async () =>
        expect((await activityHash(redisUrl, adopterId)).fields.size).toBe(1),
      );
      await adopter.close();
      expect((await activityHash(redisUrl, adopterId)).fields.size).toBe(0);
    } finally {
      // Stops whichever HAProxy is still running (close after close is the same close).
      await (adopter ?? edge).close();
    }
  });

  it('counts only requests admitted to the service: not those refused for their credentials', async () => {
    const slow = slowServer();
    const service = await upstreams.routedTo(await upstreams.started(slow.server), 'private');
    const refused = await call(upstreams.edge, service.hostname);
    expect(refused.status).toBe(401);
    // Two intervals later the service still has no entry.
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS + 100));
    const { fields } = await activityHash(redisUrl, EDGE_ID);
    expect(fields.has(service.id)).toBe(false);
  });
});
