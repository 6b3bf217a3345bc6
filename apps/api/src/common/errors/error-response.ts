import { type ErrorBody, type ErrorCode } from '@slipway/contracts';
import { type Response } from 'express';

/** Writes the one error body; shared by the exception filter and pre-routing middleware. */
export function sendError(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const body: ErrorBody = { error: { code, message, request_id: requestId } };
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json(body);
}
