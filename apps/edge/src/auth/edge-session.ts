import type { IncomingMessage } from 'node:http';
import {
  EDGE_SESSION_COOKIE,
  ErrorCode,
  edgeTokenSigner,
  splitEdgeToken,
  type EdgeTokenClaims,
  type EdgeTokenSigner,
} from '@slipway/contracts';
import { EdgeError } from '../http/edge-error';

export interface EdgeSessionOptions {
  readonly secretKey: string;
  /** Mark the cookie `Secure` on every answer, not only when `X-Forwarded-Proto` says https. */
  readonly secureCookie: boolean;
}

/** Where a signed URL's browser session goes next: the same URL without the token. */
export interface SessionRedirect {
  readonly location: string;
  readonly setCookie: string;
}

/**
 * Signed edge URLs on the edge's side: a valid `edge_token` in the query is swapped (302) for
 * an HttpOnly cookie carrying the same token, which then admits requests and WebSocket
 * upgrades to that one service until the token expires. The token format and its checks are
 * `@slipway/contracts`' (shared with the API, which signs).
 */
export class EdgeSessions {
  private readonly signer: EdgeTokenSigner;

  constructor(private readonly options: EdgeSessionOptions) {
    this.signer = edgeTokenSigner(options.secretKey);
  }

  /**
   * Takes the token out of the request target, so neither the instance nor any log sees it,
   * and returns it (undefined when there is none).
   */
  static takeQueryToken(req: IncomingMessage): string | undefined {
    const { target, token } = splitEdgeToken(req.url ?? '/');
    if (token !== undefined) req.url = target;
    return token;
  }

  /** The session cookie's value, if the request carries one. */
  static cookieToken(header: string | undefined): string | undefined {
    if (header === undefined || !header.includes(EDGE_SESSION_COOKIE)) return undefined;
    for (const pair of header.split(';')) {
      const equals = pair.indexOf('=');
      if (equals < 0 || pair.slice(0, equals).trim() !== EDGE_SESSION_COOKIE) continue;
      return pair.slice(equals + 1).trim();
    }
    return undefined;
  }

  /** The token's claims when it is valid for the service now; otherwise throws the 401. */
  verify(token: string, serviceId: string, from: 'query' | 'cookie'): EdgeTokenClaims {
    const check = this.signer.verify(token, serviceId);
    if (check.ok) return check.claims;
    if (from === 'query') {
      throw unauthorized('The signed URL is not valid or has expired; ask for a new one');
    }
    throw unauthorized(
      'The signed-URL session is not valid or has expired; open a new signed URL',
      // Let the browser forget it rather than send it again.
      this.cookie('', 0, false),
    );
  }

  /** The 302 that stores the token in a cookie scoped to this host and drops it from the URL. */
  redirect(req: IncomingMessage, token: string, claims: EdgeTokenClaims): SessionRedirect {
    const maxAge = Math.max(1, claims.expiresAt - Math.floor(Date.now() / 1000));
    return {
      location: req.url && req.url.startsWith('/') ? req.url : '/',
      setCookie: this.cookie(token, maxAge, this.secure(req)),
    };
  }

  private secure(req: IncomingMessage): boolean {
    if (this.options.secureCookie) return true;
    // Browsers drop Secure cookies set over plain http, so only when TLS ended in front.
    const proto = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim();
    return first?.toLowerCase() === 'https';
  }

  private cookie(value: string, maxAge: number, secure: boolean): string {
    // No Domain attribute: a host-only cookie, never sent to another service's hostname.
    const attributes = [`Max-Age=${maxAge}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
    if (secure) attributes.push('Secure');
    return [`${EDGE_SESSION_COOKIE}=${value}`, ...attributes].join('; ');
  }
}

function unauthorized(message: string, setCookie?: string): EdgeError {
  return new EdgeError(401, ErrorCode.Unauthorized, message, {
    'WWW-Authenticate': 'Bearer',
    ...(setCookie === undefined ? {} : { 'Set-Cookie': setCookie }),
  });
}
