import { SESSION_COOKIE } from '@slipway/contracts';
import { parse } from 'cookie';
import { type IncomingMessage } from 'node:http';

/** The session cookie's value on a request, if it carries one. */
export function sessionCookieOf(req: IncomingMessage): string | undefined {
  return parse(req.headers.cookie ?? '')[SESSION_COOKIE] || undefined;
}
