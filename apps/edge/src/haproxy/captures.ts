/**
 * The headers HAProxy's frontend captures. A capture is taken once while the head is parsed
 * and read by index; a `req.hdr()` fetch searches every header each time it is evaluated
 * (~1.5k instructions, callgrind), and the edge's rules read a few headers many times. A
 * capture also outlives the exchange, so the access log can read it.
 */
const REQUEST = {
  // The access log's.
  userAgent: ['User-Agent', 512],
  contentLength: ['Content-Length', 20],
  // Routing and the checks. Longer than any hostname with a port: a longer one routes nowhere.
  host: ['Host', 262],
  // One longer than an id is allowed to be, so a longer one fails its check.
  requestId: ['X-Request-Id', 129],
  transferEncoding: ['Transfer-Encoding', 64],
  upgrade: ['Upgrade', 64],
  // Whether there is one only: the credential itself is never kept.
  authorization: ['Authorization', 1],
  cookie: ['Cookie', 1],
  // Truncated, it still names a field other than close/keep-alive/upgrade.
  connection: ['Connection', 256],
} as const;

const RESPONSE = {
  contentLength: ['Content-Length', 20],
  connection: ['Connection', 256],
} as const;

type RequestCapture = keyof typeof REQUEST;
type ResponseCapture = keyof typeof RESPONSE;

/** The sample fetch of a captured request header (HAProxy indexes them in declaration order). */
export function requestHeader(name: RequestCapture): string {
  return `capture.req.hdr(${Object.keys(REQUEST).indexOf(name)})`;
}

/** The sample fetch of a captured response header. */
export function responseHeader(name: ResponseCapture): string {
  return `capture.res.hdr(${Object.keys(RESPONSE).indexOf(name)})`;
}

/** The frontend's `capture` lines, in the order the indexes above count. */
export function captureDeclarations(): string[] {
  return [
    ...Object.values(REQUEST).map(([header, len]) => `capture request header ${header} len ${len}`),
    ...Object.values(RESPONSE).map(
      ([header, len]) => `capture response header ${header} len ${len}`,
    ),
  ];
}
