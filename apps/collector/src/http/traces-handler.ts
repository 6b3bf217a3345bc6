import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@slipway/contracts';
import type { Logger } from 'pino';
import type { ServiceTokenAuth } from '../auth/service-token-auth';
import { readJsonTraceRequest } from '../otlp/json';
import { MalformedPayloadError } from '../otlp/otlp-types';
import { decodeTraceRequest, encodeTraceResponse } from '../otlp/protobuf';
import { toSpanRows } from '../otlp/span-rows';
import { RejectedRowsError, type SpanWriter, WriteFailedError } from '../storage/span-writer';
import { HttpError, errors } from './http-error';
import { type ContentEncoding, type DrainLimits, readBody } from './read-body';
import {
  JSON_CONTENT_TYPE,
  PROTOBUF_CONTENT_TYPE,
  type PayloadFormat,
  send,
  sendError,
} from './responses';

export interface TracesHandlerDeps {
  readonly auth: ServiceTokenAuth;
  readonly writer: SpanWriter;
  readonly maxBodyBytes: number;
  /** How much of a body left unread by an early answer is still read before closing. */
  readonly drain: DrainLimits;
  readonly logger: Logger;
  readonly isClosing: () => boolean;
}

/**
 * `POST /v1/traces` (OTLP/HTTP). Checks run cheapest first: media type, token (cached), body
 * size while streaming, decoding, then queue room. The 200 is sent only once every accepted
 * span is committed, so an SDK that sees success never loses a span.
 */
export async function handleTraces(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  deps: TracesHandlerDeps,
): Promise<void> {
  let format: PayloadFormat | null = null;
  try {
    if (req.method !== 'POST') throw errors.methodNotAllowed(req.method ?? '?', 'POST');
    format = formatOf(req.headers['content-type']);
    const encoding = encodingOf(req.headers['content-encoding']);
    if (deps.isClosing()) throw errors.shuttingDown();
    const serviceId = await authenticate(req, deps.auth);

    const body = await readBody(req, encoding, deps.maxBodyBytes);
    const request = format === 'protobuf' ? decodeTraceRequest(body) : readJsonTraceRequest(body);
    const { rows, rejectedSpans, errorMessage } = toSpanRows(request, serviceId);

    const written = deps.writer.write(rows);
    if (!written) throw errors.queueFull();
    await written;

    if (rejectedSpans > 0) {
      deps.logger.debug({ serviceId, rejectedSpans, errorMessage, requestId }, 'spans rejected');
    }
    if (format === 'protobuf') {
      send(res, 200, PROTOBUF_CONTENT_TYPE, encodeTraceResponse(rejectedSpans, errorMessage));
    } else {
      const response =
        rejectedSpans > 0
          ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } }
          : {};
      send(res, 200, JSON_CONTENT_TYPE, JSON.stringify(response));
    }
  } catch (error) {
    const httpError = toHttpError(error, deps.logger, requestId);
    // The body may be half read: do not reuse the connection.
    if (httpError.status === 413 || httpError.status === 400 || !req.complete) {
      res.setHeader('Connection', 'close');
    }
    sendError(res, httpError, format, requestId, deps.drain);
  }
}

function formatOf(contentType: string | undefined): PayloadFormat {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf')
    return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  throw errors.unsupportedMediaType(contentType ?? '(none)');
}

function encodingOf(header: string | undefined): ContentEncoding {
  const encoding = (header ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'identity';
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  throw errors.unsupportedEncoding(encoding);
}

async function authenticate(req: IncomingMessage, auth: ServiceTokenAuth): Promise<string> {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) {
    throw errors.unauthorized(
      'Send the service token as Authorization: Bearer <token> (OTEL_EXPORTER_OTLP_HEADERS)',
    );
  }
  let serviceId: string | null;
  try {
    serviceId = await auth.serviceFor(match[1]);
  } catch {
    throw errors.databaseUnavailable();
  }
  if (!serviceId) throw errors.unauthorized('The token is not a current service token');
  return serviceId;
}

function toHttpError(error: unknown, logger: Logger, requestId: string): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof MalformedPayloadError) {
    return errors.malformed(
      error.format === 'json' ? ErrorCode.MalformedJson : ErrorCode.ValidationFailed,
      error.message,
    );
  }
  if (error instanceof RejectedRowsError) {
    return errors.malformed(
      ErrorCode.ValidationFailed,
      `The database refused these spans: ${error.message}`,
    );
  }
  if (error instanceof WriteFailedError) {
    return errors.databaseUnavailable();
  }
  logger.error({ err: error, requestId }, 'unexpected error handling a trace export');
  return errors.internal();
}
