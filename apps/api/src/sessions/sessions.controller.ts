import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, SESSION_COOKIE, type DataEnvelope } from '@slipway/contracts';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import { type Request, type Response } from 'express';
import { CurrentPrincipal, Public } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse, ErrorResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { sessionCookieOf } from './session-cookie';
import { type Session } from './session.entity';
import { SessionsService } from './sessions.service';

export class OpenSessionDto {
  @ApiProperty({ writeOnly: true, description: 'A Personal Access Token (slp_pat_…)' })
  @MaxLength(512, { message: 'must be at most 512 characters' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  token!: string;
}

export class SessionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
  @ApiProperty({
    required: false,
    description: 'Send it as X-CSRF-Token with every change made through the cookie',
  })
  csrf_token?: string;
}

const view = (session: Session, csrfToken?: string): SessionView => ({
  id: session.id,
  expires_at: session.expiresAt.toISOString(),
  ...(csrfToken !== undefined && { csrf_token: csrfToken }),
});

/**
 * Browser sign-in: a Personal Access Token is exchanged for an HttpOnly, SameSite=Strict
 * session cookie (Secure over HTTPS), so the token never sits in browser storage.
 */
@ApiTags('sessions')
@Controller('v1/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Open a browser session with a Personal Access Token',
    description:
      'Sets the HttpOnly session cookie (12 hours at most, and no longer than the token) and answers the CSRF token that changes made with the cookie must carry as X-CSRF-Token.',
  })
  @ApiDataResponse(SessionView)
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'The token is not valid' })
  async open(
    @Body() body: OpenSessionDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DataEnvelope<SessionView>> {
    const opened = await this.sessions.open(body.token);
    res.cookie(SESSION_COOKIE, opened.secret, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      expires: opened.session.expiresAt,
    });
    return one(view(opened.session, opened.csrfToken));
  }

  @Get('current')
  @ApiOperation({
    summary: 'The session this request came with, and its CSRF token (for a page opened later)',
  })
  @ApiDataResponse(SessionView)
  async current(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<DataEnvelope<SessionView>> {
    const session = await this.sessions.get(sessionOf(principal));
    const secret = sessionCookieOf(req);
    return one(view(session, secret && this.sessions.csrfTokenOf(secret)));
  }

  @Delete('current')
  @ApiOperation({ summary: 'Sign out: end the session and clear its cookie' })
  @ApiDataResponse(SessionView)
  async close(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DataEnvelope<SessionView>> {
    const id = sessionOf(principal);
    await this.sessions.revoke(id);
    res.clearCookie(SESSION_COOKIE, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
    });
    return one(view(await this.sessions.get(id)));
  }
}

function sessionOf(principal: Principal): string {
  if (principal.sessionId === undefined) {
    throw new DomainError(
      ErrorCode.NotFound,
      'This request came with a token, not a session cookie: there is no current session',
    );
  }
  return principal.sessionId;
}
