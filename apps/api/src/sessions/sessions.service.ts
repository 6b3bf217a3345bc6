import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { type Principal } from '../auth/principal';
import { CredentialHasher } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { TokensService } from '../tokens/tokens.service';
import { Session } from './session.entity';

/** How long a browser session lasts (at most as long as its token). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface OpenedSession {
  readonly session: Session;
  /** The cookie's value: shown to the browser once, stored hashed. */
  readonly secret: string;
  /** Sent back in `X-CSRF-Token` with every change made through the cookie. */
  readonly csrfToken: string;
}

/** Browser sessions: opened with a Personal Access Token, held in an HttpOnly cookie. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly tokens: TokensService,
    private readonly hasher: CredentialHasher,
  ) {}

  async open(personalAccessToken: string): Promise<OpenedSession> {
    const principal = await this.tokens.authenticate(personalAccessToken);
    const secret = randomBytes(32).toString('base64url');
    const session = await this.sessions.save(
      this.sessions.create({
        id: randomUUID(),
        tokenId: principal.tokenId,
        secretHash: this.hasher.hash(secret),
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
        revokedAt: null,
      }),
    );
    return { session, secret, csrfToken: this.csrfTokenOf(secret) };
  }

  /**
   * The session's CSRF token: derived from its cookie with the server's key, so any page of
   * the session can ask for it (`GET /v1/sessions/current`) and nothing else can compute it.
   */
  csrfTokenOf(secret: string): string {
    return this.hasher.hash(`csrf:${secret}`);
  }

  /** The caller behind a session cookie; `csrfToken` is checked when the request changes things. */
  async authenticate(secret: string, csrfToken: string | null): Promise<Principal> {
    const session = await this.find(secret);
    if (csrfToken !== null) {
      const given = Buffer.from(csrfToken);
      const expected = Buffer.from(this.csrfTokenOf(secret));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw DomainError.forbidden(
          'The X-CSRF-Token header does not match this session: send the csrf_token POST /v1/sessions answered',
        );
      }
    }
    return { ...(await this.tokens.authenticateById(session.tokenId)), sessionId: session.id };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  get(sessionId: string): Promise<Session> {
    return this.sessions.findOneByOrFail({ id: sessionId });
  }

  private async find(secret: string): Promise<Session> {
    const session = await this.sessions.findOneBy({ secretHash: this.hasher.hash(secret) });
    if (!session) throw DomainError.unauthorized('The session is not valid; sign in again');
    if (session.revokedAt) throw DomainError.unauthorized('The session has ended; sign in again');
    if (session.expiresAt.getTime() <= Date.now()) {
      throw DomainError.unauthorized(
        `The session expired at ${session.expiresAt.toISOString()}; sign in again`,
      );
    }
    return session;
  }
}
