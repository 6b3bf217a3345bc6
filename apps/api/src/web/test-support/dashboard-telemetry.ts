/**
 * Traffic and traces for the dashboard's browser test. A caller sends real requests through
 * the edge (which writes the access logs and the request rollups), and since the site image
 * has no OpenTelemetry SDK, the test exports the spans an instrumented site would have sent,
 * through the collector's OTLP/HTTP route with the token the instance was given.
 */
import { randomUUID, randomBytes } from 'node:crypto';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';

export const TRAFFIC_USER_AGENT = 'slipway-dashboard-e2e/1.0';

/** One request as the caller saw it. */
export interface ObservedRequest {
  readonly start: Date;
  readonly end: Date;
  /** Milliseconds, fractional. */
  readonly durationMs: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Of the response's body alone. */
  readonly responseBodyBytes: number;
  readonly requestId: string;
}

/** Where requests go: a host and port, and headers every request carries (Host, a key). */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly headers: OutgoingHttpHeaders;
}

/** One HTTP/1.1 request, timed and counted on the wire. */
export function observe(target: Target, method: string, path: string): Promise<ObservedRequest> {
  const requestId = randomUUID();
  const body = method === 'POST' ? JSON.stringify({ item: 'book', quantity: 1 }) : undefined;
  const start = new Date();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.host,
        port: target.port,
        method,
        path,
        agent: false,
        timeout: 10_000,
        headers: {
          ...target.headers,
          'User-Agent': TRAFFIC_USER_AGENT,
          'X-Request-Id': requestId,
          ...(body !== undefined && {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          }),
        },
      },
      (res) => {
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
            responseBodyBytes,
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

/** Requests the plan in a loop, one every `gapMs`, from `target`. */
export function startTraffic(target: Target, gapMs = 300): Traffic {
  const seen: ObservedRequest[] = [];
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    for (let n = 0; running; n += 1) {
      const [method, path] = PLAN[n % PLAN.length]!;
      seen.push(await observe(target, method, path));
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
