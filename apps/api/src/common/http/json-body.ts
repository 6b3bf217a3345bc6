import { ErrorCode } from '@slipway/contracts';
import { type IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { sendError } from '../errors/error-response';
import { JSON_TOO_DEEP_MESSAGE, jsonDepthExceeds } from './json-depth';
import { requestIdOf } from './request-id';

/** Requests under this path keep their raw body (webhooks, whose signatures cover it). */
export const RAW_BODY_PATH_PREFIX = '/v1/hooks/';

export type RawBodyRequest = IncomingMessage & { rawBody?: Buffer };

interface BodyParserError extends Error {
  type?: string;
}

interface ParserFailure {
  status: number;
  code: ErrorCode;
  message: (error: Error) => string;
}

const parserFailures = (limitBytes: number): Record<string, ParserFailure> => ({
  'entity.too.large': {
    status: 413,
    code: ErrorCode.PayloadTooLarge,
    message: () => `The request body exceeds the limit of ${limitBytes} bytes`,
  },
  'encoding.unsupported': {
    status: 415,
    code: ErrorCode.UnsupportedMediaType,
    message: (e) => e.message,
  },
  'charset.unsupported': {
    status: 415,
    code: ErrorCode.UnsupportedMediaType,
    message: (e) => e.message,
  },
  'entity.parse.failed': {
    status: 400,
    code: ErrorCode.MalformedJson,
    message: (e) => `The request body is not valid JSON: ${e.message}`,
  },
});

/**
 * Parses JSON bodies up to `limitBytes`. Malformed, oversize or too deeply nested bodies are
 * answered here in the platform's error shape, before routing, so they can never surface as
 * a 500 (JSON.parse takes any depth; the validation after it overflows the stack).
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const failures = parserFailures(limitBytes);
  const parse = express.json({
    limit: limitBytes,
    type: ['application/json', 'application/*+json'],
    // Signed webhooks are verified over the bytes as sent, not over re-serialised JSON.
    verify: (req, _res, buffer) => {
      if (req.url?.startsWith(RAW_BODY_PATH_PREFIX)) (req as RawBodyRequest).rawBody = buffer;
    },
  });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (!error) {
        if (jsonDepthExceeds(req.body)) {
          sendError(res, 400, ErrorCode.MalformedJson, JSON_TOO_DEEP_MESSAGE, requestIdOf(req));
          return;
        }
        if (
          req.body === undefined &&
          (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH')
        ) {
          req.body = {};
        }
        next();
        return;
      }
      const requestId = requestIdOf(req);
      const failure = failures[(error as BodyParserError).type ?? ''] ?? {
        status: 400,
        code: ErrorCode.ValidationFailed,
        message: (e: Error) => `The request body could not be read: ${e.message}`,
      };
      sendError(res, failure.status, failure.code, failure.message(error as Error), requestId);
    });
  };
}
