import { STATUS_CODES } from 'node:http';
import { type AccessLogRow, pathOf, userAgentOf } from '../telemetry/access-log-store';
import { requestHeader, responseHeader } from './captures';

/**
 * HAProxy's access-log line and its reading by the agent, side by side so they cannot drift.
 * Fields are tab-separated; the ones a client controls went through HAProxy's `json`
 * converter, so none holds a raw tab or newline. HAProxy writes `-` for a missing value.
 */
const FIELDS = [
  ['startUs', '%[var(txn.t0)]'],
  ['serviceId', '%[var(txn.svc)]'],
  ['method', '%HM'],
  ['path', '%[var(txn.path)]'],
  ['status', '%ST'],
  ['durationUs', '%[date(0,us),sub(txn.t0)]'],
  ['bytesUploaded', '%U'],
  ['bytesSent', '%B'],
  ['requestContentLength', `%[${requestHeader('contentLength')}]`],
  ['responseContentLength', `%[${responseHeader('contentLength')}]`],
  ['requestHeadersLength', '%[var(txn.unsized),field(1,:)]'],
  ['urlLength', '%[var(txn.unsized),field(2,:)]'],
  ['responseHeadersLength', '%[var(txn.reshl)]'],
  ['clientIp', '%ci'],
  ['userAgent', `%[${requestHeader('userAgent')},json(utf8s),concat(u)]`],
  ['requestId', '%[var(txn.rid)]'],
  ['termination', '%ts'],
] as const;

type FieldName = (typeof FIELDS)[number][0];

/** The `log-format` HAProxy's frontend uses (a tab between fields, written as `\t`). */
export const ACCESS_LOG_FORMAT = FIELDS.map(([, format]) => format).join('\\t');

/** One request as HAProxy reported it: an access-log row, the service unknown when unrouted. */
export type HaproxyLogRecord = Omit<AccessLogRow, 'serviceId'> & {
  readonly serviceId: string | null;
};

/** A request that reached a service: a row of `access_logs` as it is. */
export function isRouted(record: HaproxyLogRecord): record is AccessLogRow {
  return record.serviceId !== null && record.serviceId !== '';
}

/** nginx's status for a client that went away before it was answered. */
export const CLIENT_CLOSED = 499;
const MISSING = '-';

/**
 * Reads one line; null when it is not one of the edge's access-log lines. Runs for every
 * request, so it reads the split fields by index and allocates nothing but the record.
 */
export function parseAccessLogLine(line: string): HaproxyLogRecord | null {
  const values = line.split('\t');
  if (values.length !== FIELDS.length) return null;
  const startUs = numberAt(values, AT.startUs);
  const method = textAt(values, AT.method);
  if (startUs === undefined || method === undefined) return null;
  const status = numberAt(values, AT.status) ?? -1;
  const userAgent = textAt(values, AT.userAgent);
  return {
    time: new Date(Math.floor(startUs / 1000)),
    serviceId: textAt(values, AT.serviceId) ?? null,
    method,
    path: pathOf(unescapeJson(textAt(values, AT.path) ?? '/')),
    status: status < 100 ? CLIENT_CLOSED : status,
    durationMs: Math.max(1, numberAt(values, AT.durationUs) ?? 0) / 1000,
    bytesIn: bodyIn(values, method),
    bytesOut: bodyOut(values, method, status),
    clientIp: textAt(values, AT.clientIp) ?? null,
    // The value + `u`: HAProxy's `-` for a missing header cannot be confused with a `-` sent.
    userAgent: userAgent === undefined ? null : userAgentOf(unescapeJson(userAgent.slice(0, -1))),
    requestId: textAt(values, AT.requestId) ?? '',
  };
}

/** Each field's position in the line. */
const AT = Object.fromEntries(FIELDS.map(([name], index) => [name, index])) as Record<
  FieldName,
  number
>;

function textAt(values: readonly string[], index: number): string | undefined {
  const value = values[index];
  return value === MISSING ? undefined : value;
}

function numberAt(values: readonly string[], index: number): number | undefined {
  const value = values[index];
  if (value === undefined || value === MISSING) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * The request body: its declared length; none for a request that declared no body; else
 * (chunked, or a WebSocket's traffic) what HAProxy read less the request's head. HAProxy
 * counts payload, not chunk framing.
 */
function bodyIn(values: readonly string[], method: string): number {
  const declared = numberAt(values, AT.requestContentLength);
  if (declared !== undefined) return declared;
  const headers = numberAt(values, AT.requestHeadersLength);
  if (headers === undefined) return 0;
  // "METHOD SP target SP HTTP/1.1 CRLF" + the header block.
  const head = method.length + 1 + (numberAt(values, AT.urlLength) ?? 0) + 1 + 8 + 2 + headers;
  return Math.max(0, (numberAt(values, AT.bytesUploaded) ?? 0) - head);
}

/**
 * The response body: its declared length (none for HEAD, 204, 304); else what HAProxy read
 * from the instance (`%B`: status line, head and payload) less the status line and head.
 */
function bodyOut(values: readonly string[], method: string, status: number): number {
  if (method === 'HEAD' || status === 204 || status === 304) return 0;
  const declared = numberAt(values, AT.responseContentLength);
  if (declared !== undefined) return declared;
  const headers = numberAt(values, AT.responseHeadersLength);
  const read = numberAt(values, AT.bytesSent) ?? 0;
  if (headers === undefined) return read;
  // "HTTP/1.1 SP 3DIGIT SP reason CRLF", the reason taken to be the standard one.
  const statusLine = 13 + (STATUS_CODES[status]?.length ?? 0) + 2;
  return Math.max(0, read - statusLine - headers);
}

/**
 * HAProxy's `json` converter output back to text. Cheap when there is no escape at all,
 * which is nearly always.
 */
export function unescapeJson(value: string): string {
  if (!value.includes('\\')) return value;
  try {
    return JSON.parse(`"${value}"`) as string;
  } catch {
    return value;
  }
}
