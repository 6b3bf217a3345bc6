/**
 * Telemetry for the dashboard's browser test, made from real requests to a deployed instance.
 * The docker stack runs no edge and its site image has no OpenTelemetry SDK, so the test
 * calls the instance itself (as the edge would proxy a caller), then hands what it saw to
 * the stores the API reads: spans through the collector's OTLP/HTTP route with the token the
 * instance was given, access-log rows and request-metric rollups as the edge writes them.
 */
import { randomUUID, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { REQUEST_METRICS_BUCKET_SECONDS } from '@slipway/contracts';
import { accessLogs, insertRows, requestMetrics, type Queryable } from '@slipway/db-schema';
import { type DataSource } from 'typeorm';
import { type Endpoint } from '../../../test/support/docker-stack';

export const TRAFFIC_USER_AGENT = 'slipway-dashboard-e2e/1.0';

/** One request as the edge's access log would have it. */
export interface ObservedRequest {
  readonly start: Date;
  readonly end: Date;
  /** Milliseconds, fractional. */
  readonly durationMs: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Of the response's body alone. */
  readonly responseBodyBytes: number;
  readonly clientIp: string | null;
  readonly requestId: string;
}

/** One HTTP/1.1 request to an instance, timed and counted on the wire. */
export function observe(
  endpoint: Endpoint,
  method: string,
  path: string,
): Promise<ObservedRequest> {
  const requestId = randomUUID();
  const body = method === 'POST' ? JSON.stringify({ item: 'book', quantity: 1 }) : undefined;
  const start = new Date();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        ...endpoint,
        method,
        path,
        agent: false,
        timeout: 10_000,
        headers: {
          'User-Agent': TRAFFIC_USER_AGENT,
          'X-Request-Id': requestId,
          ...(body !== undefined && {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          }),
        },
      },
      (res) => {
        // Read now: once the instance closes the connection the socket forgets its address.
        const clientIp = res.socket?.localAddress?.replace(/^::ffff:/, '') ?? null;
        let responseBodyBytes = 0;
        res.on('data', (chunk: Buffer) => (responseBodyBytes += chunk.length));
        res.on('end', () =>
          resolve({
            start,
            end: new Date(),
            durationMs: performance.now() - t0,
            method,
            path,
            status: res.statusCode ?? 0,
            bytesIn: req.socket?.bytesWritten ?? 0,
            bytesOut: res.socket?.bytesRead ?? 0,
            responseBodyBytes,
            clientIp,
            requestId,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', (error) => reject(new Error(`${method} ${path}: ${error.message}`)));
    req.end(body);
  });
}

/**
 * What a caller asks the site for, in turn: mostly the page, now and then a missing one (404)
 * or a POST, which busybox httpd does not implement (501).
 */
const PLAN: readonly (readonly [string, string])[] = [
  ['GET', '/index.html'],
  ['GET', '/'],
  ['GET', '/index.html'],
  ['GET', '/missing.html'],
  ['GET', '/index.html'],
  ['POST', '/index.html'],
  ['GET', '/index.html'],
  ['GET', '/favicon.ico'],
];

export interface Traffic {
  /** How many requests were answered so far. */
  count(): number;
  /** Stops sending; resolves with every request answered, oldest first. */
  stop(): Promise<ObservedRequest[]>;
}

/** Requests the plan in a loop, one every `gapMs`, at the endpoints `endpoints()` gives then. */
export function startTraffic(endpoints: () => Promise<Endpoint[]>, gapMs = 300): Traffic {
  const seen: ObservedRequest[] = [];
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    for (let n = 0; running; n += 1) {
      const [method, path] = PLAN[n % PLAN.length]!;
      const list = await endpoints();
      const endpoint = list[n % Math.max(1, list.length)];
      if (endpoint) seen.push(await observe(endpoint, method, path));
      // Paced like a light caller (not a wait for a condition); stop() cuts it short.
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, gapMs);
      });
    }
  })();
  return {
    count: () => seen.length,
    async stop() {
      running = false;
      wake?.();
      await loop;
      return seen;
    },
  };
}

/** The nearest-rank percentile of `values` (0 < p ≤ 1). */
function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

/** The requests by 10 s bucket (by the time each ended, as the edge rolls them up), oldest first. */
function bucketsOf(requests: readonly ObservedRequest[]): Map<number, ObservedRequest[]> {
  const bucketMs = REQUEST_METRICS_BUCKET_SECONDS * 1000;
  const buckets = new Map<number, ObservedRequest[]>();
  for (const r of requests) {
    const start = r.end.getTime() - (r.end.getTime() % bucketMs);
    buckets.set(start, [...(buckets.get(start) ?? []), r]);
  }
  return buckets;
}

/** What the Metrics tab's request-rate card says of `requests` (apps/web's wording). */
export function requestRateSummary(requests: readonly ObservedRequest[]): string {
  const rates = [...bucketsOf(requests).values()].map(
    (rows) => rows.length / REQUEST_METRICS_BUCKET_SECONDS,
  );
  const perSecond = (rate: number) => `${Number(rate.toFixed(2))} req/s`;
  const latest = perSecond(rates.at(-1) ?? 0);
  return rates.length === 1
    ? `Now ${latest}`
    : `Latest ${latest} · peak ${perSecond(Math.max(...rates))}`;
}

/**
 * Writes `requests` to `access_logs` and their 10 s rollups to `request_metrics`, the rows
 * apps/edge writes (by its COPY and INSERT; the same table declarations, @slipway/db-schema).
 * SQL because the API has no ingest route for either: the edge is their only writer, and it
 * is not part of the docker stack.
 */
export async function recordAsTheEdge(
  dataSource: DataSource,
  serviceId: string,
  requests: readonly ObservedRequest[],
): Promise<void> {
  const db: Queryable = {
    query: async (sql, values) => ({ rows: await dataSource.query(sql, values) }),
  };
  await insertRows(
    db,
    accessLogs,
    requests.map((r) => ({
      time: r.start,
      service_id: serviceId,
      method: r.method,
      path: r.path,
      status: r.status,
      duration_ms: r.durationMs,
      bytes_in: String(r.bytesIn),
      bytes_out: String(r.bytesOut),
      client_ip: r.clientIp,
      user_agent: TRAFFIC_USER_AGENT,
      request_id: r.requestId,
    })),
  );
  await insertRows(
    db,
    requestMetrics,
    [...bucketsOf(requests)].map(([start, rows]) => ({
      service_id: serviceId,
      bucket_start: new Date(start),
      requests: rows.length,
      errors_5xx: rows.filter((r) => r.status >= 500).length,
      latency_p95_ms: percentile(
        rows.map((r) => r.durationMs),
        0.95,
      ),
    })),
  );
}

type OtlpValue = { stringValue: string } | { intValue: string };
const attributes = (values: Record<string, string | number>) =>
  Object.entries(values).map(([key, value]): { key: string; value: OtlpValue } => ({
    key,
    value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
  }));
const nanos = (date: Date, offsetMs = 0): string =>
  String(BigInt(date.getTime()) * 1_000_000n + BigInt(Math.round(offsetMs * 1e6)));

interface SpanOptions {
  readonly id?: string;
  readonly parent?: string;
  readonly attrs?: Record<string, string | number>;
  /** An OTLP error status with this message. */
  readonly error?: string;
}

/**
 * The spans an instrumented static server would report for one request: the server span,
 * the file lookup (failed for a missing file) and sending the file; a method it does not
 * implement is refused before any lookup.
 */
function spansOf(r: ObservedRequest) {
  const traceId = randomBytes(16).toString('hex');
  const rootId = randomBytes(8).toString('hex');
  const file = r.path === '/' ? '/index.html' : r.path;
  /** A span over `from`..`to` of the request's duration. */
  const span = (name: string, kind: number, from: number, to: number, o: SpanOptions = {}) => ({
    traceId,
    spanId: o.id ?? randomBytes(8).toString('hex'),
    ...(o.parent && { parentSpanId: o.parent }),
    name,
    kind,
    startTimeUnixNano: nanos(r.start, from * r.durationMs),
    endTimeUnixNano: nanos(r.start, to * r.durationMs),
    attributes: attributes(o.attrs ?? {}),
    ...(o.error !== undefined && { status: { code: 2, message: o.error } }),
  });
  const root = span(`${r.method} ${r.path}`, 2, 0, 1, {
    id: rootId,
    attrs: {
      'http.request.method': r.method,
      'url.path': r.path,
      'http.response.status_code': r.status,
      'user_agent.original': TRAFFIC_USER_AGENT,
      'http.request.header.x-request-id': r.requestId,
    },
    ...(r.status >= 500 && { error: `${r.method} is not implemented` }),
  });
  if (r.status >= 500) return [root];
  const lookup = span(`stat /www${file}`, 1, 0.1, 0.35, {
    parent: rootId,
    ...(r.status === 404 && { error: `no such file: /www${file}` }),
  });
  if (r.status >= 400) return [root, lookup];
  const send = span(`send ${file}`, 1, 0.4, 0.95, {
    parent: rootId,
    attrs: { 'http.response.body.size': r.responseBodyBytes },
  });
  return [root, lookup, send];
}

/** Exports one trace per request to the collector (OTLP/HTTP JSON), as the instance's SDK would. */
export async function exportTraces(
  collectorUrl: string,
  serviceToken: string,
  serviceName: string,
  requests: readonly ObservedRequest[],
): Promise<void> {
  const res = await fetch(`${collectorUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}` },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: attributes({ 'service.name': serviceName }) },
          scopeSpans: [{ scope: { name: 'busybox-httpd' }, spans: requests.flatMap(spansOf) }],
        },
      ],
    }),
  });
  if (res.status !== 200)
    throw new Error(`the collector answered ${res.status}: ${await res.text()}`);
}
