/**
 * Access logs and request metrics end to end: requests through a real edge to a local
 * upstream, written by the edge to PostgreSQL, read back through the API's routes.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type TestApi, bearer } from '@slipway/api-testing';
import type { AccessLogResource, ListEnvelope, MetricSeriesResource } from '@slipway/contracts';
import { Pool } from 'pg';
import { WebSocket, WebSocketServer } from 'ws';
import type { Edge } from '../src';
import { accessLogLine, copyAccessLogs } from '../src/telemetry/access-log-store';
import { type LocalUpstreams, startLocalUpstreams } from './support/local-upstreams';
import { call, eventually } from './support/stack';

jest.setTimeout(120_000);

/** 500 for /fail, an echo of the body's length otherwise; WebSockets echo. */
function appServer() {
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      const body = `got ${bytes}`;
      res.writeHead(req.url?.startsWith('/fail') ? 500 : 200, { 'Content-Type': 'text/plain' });
      res.end(body);
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
  return { server, wss };
}

describe('access logs and request metrics through the edge', () => {
  let upstreams: LocalUpstreams;
  let t: TestApi;
  let edge: Edge;
  let wss: WebSocketServer;
  let service: { id: string; hostname: string };

  beforeAll(async () => {
    // A long flush interval: what the specs read was written by the explicit flush.
    upstreams = await startLocalUpstreams({ accessLog: { flushIntervalMs: 60_000 } });
    ({ t, edge } = upstreams);
    const app = appServer();
    wss = app.wss;
    service = await upstreams.routedTo(await upstreams.started(app.server));
  });
  afterAll(async () => {
    wss?.close();
    await upstreams?.close();
  });

  async function accessLogs(query = ''): Promise<AccessLogResource[]> {
    const res = await t.http
      .get(`/v1/services/${service.id}/access-logs${query}`)
      .set(bearer(t.adminToken))
      .expect(200);
    return (res.body as ListEnvelope<AccessLogResource>).data;
  }

  it('records each request once, then answers them newest first with their filters', async () => {
    const sent = [
      await call(edge, service.hostname, {
        path: '/orders?token=secret',
        headers: { 'User-Agent': 'e2e-agent/1.0', 'X-Request-Id': 'e2e-first' },
      }),
      await call(edge, service.hostname, { path: '/orders', method: 'POST', body: 'x'.repeat(42) }),
      await call(edge, service.hostname, { path: '/fail' }),
    ];
    expect(sent.map((reply) => reply.status)).toEqual([200, 200, 500]);

    // A WebSocket: one row with 101 once its tunnel closes.
    const socket = new WebSocket(`ws://127.0.0.1:${edge.port}/live`, {
      headers: { Host: service.hostname },
    });
    await once(socket, 'open');
    socket.send('ping');
    await once(socket, 'message');
    socket.close(1000);
    await once(socket, 'close');

    const rows = await eventually(async () => {
      await edge.flushTelemetry();
      const found = await accessLogs();
      expect(found).toHaveLength(4);
      return found;
    });
    expect(rows.map((row) => `${row.method} ${row.path} ${row.status}`)).toEqual([
      'GET /live 101',
      'GET /fail 500',
      'POST /orders 200',
      'GET /orders 200',
    ]);
    const [ws, , post, first] = rows;
    // The query string is never stored: it may carry credentials.
    expect(first).toMatchObject({
      path: '/orders',
      user_agent: 'e2e-agent/1.0',
      request_id: 'e2e-first',
      client_ip: '127.0.0.1',
      bytes_in: 0,
      bytes_out: 'got 0'.length,
    });
    expect(post).toMatchObject({ bytes_in: 42, bytes_out: 'got 42'.length });
    expect(post?.request_id).toBe(sent[1]?.headers['x-request-id']);
    expect(ws?.bytes_in).toBeGreaterThan(0);
    expect(ws?.bytes_out).toBeGreaterThan(0);
    for (const row of rows) expect(row.duration_ms).toBeGreaterThan(0);

    expect((await accessLogs('?status=500')).map((row) => row.path)).toEqual(['/fail']);
    expect((await accessLogs('?method=POST')).map((row) => row.path)).toEqual(['/orders']);
    expect((await accessLogs('?path_contains=ORD&limit=1')).map((row) => row.method)).toEqual([
      'POST',
    ]);
    expect(await accessLogs('?since=3600&status=404')).toEqual([]);
  });

  it('rolls the requests up into request_rate, error_rate and latency_p95', async () => {
    // After the first spec's flush: these requests land in (at least) one more row.
    for (let i = 0; i < 5; i += 1) {
      expect((await call(edge, service.hostname, { path: '/ok' })).status).toBe(200);
    }
    await edge.flushTelemetry();
    const res = await t.http
      .get(`/v1/services/${service.id}/metrics?names=request_rate,error_rate,latency_p95&since=600`)
      .set(bearer(t.adminToken))
      .expect(200);
    const [rate, errors, p95] = (res.body as { data: MetricSeriesResource[] }).data;
    expect(rate?.status).toBe('ok');
    // 4 + 5 requests over the 10 s buckets they fell in: rates are requests / 10.
    const total = (rate?.points ?? []).reduce((sum, point) => sum + point.value * 10, 0);
    expect(Math.round(total)).toBe(9);
    const failed = (errors?.points ?? []).reduce((sum, point) => sum + point.value * 10, 0);
    expect(Math.round(failed)).toBe(1);
    expect(p95?.points.length).toBeGreaterThan(0);
    for (const point of p95?.points ?? []) expect(point.value).toBeGreaterThan(0);
  });

  it("stores a path and user agent holding COPY's special characters exactly", async () => {
    // Tab, backslash and a literal \N: the text format's separator, escape and NULL.
    const userAgent = 'agent\tv1 \\N \\t';
    const reply = await call(edge, service.hostname, {
      path: '/esc\\aped',
      headers: { 'User-Agent': userAgent },
    });
    expect(reply.status).toBe(200);
    const rows = await eventually(async () => {
      await edge.flushTelemetry();
      const found = await accessLogs('?path_contains=aped');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(rows[0]).toMatchObject({ path: '/esc\\aped', user_agent: userAgent });
  });

  it('writes a batch whole or not at all, and a refused COPY does not spoil the pool', async () => {
    const pool = new Pool({ connectionString: t.databaseUrl, max: 1 });
    try {
      const line = accessLogLine({
        time: new Date(),
        serviceId: service.id,
        method: 'GET',
        path: '/copied-after-refusal',
        status: 200,
        durationMs: 1,
        bytesIn: 0,
        bytesOut: 2,
        clientIp: null,
        userAgent: null,
        requestId: 'copy-1',
      });
      const refused = line.replace(service.id, 'not-a-uuid');
      await expect(
        copyAccessLogs(pool, [
          { text: line, rows: 1 },
          { text: refused, rows: 1 },
        ]),
      ).rejects.toThrow(/uuid/);
      expect(await accessLogs('?path_contains=copied-after-refusal')).toEqual([]);

      await copyAccessLogs(pool, [{ text: line, rows: 1 }]);
      const rows = await accessLogs('?path_contains=copied-after-refusal');
      expect(rows.map((row) => row.request_id)).toEqual(['copy-1']);
    } finally {
      await pool.end();
    }
  });
});
