import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse, ApiListResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { PaginationQuery, pageRequest } from '../common/http/pagination.dto';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { CreatedTokenView, CreateTokenDto, TokenView, toTokenView } from './token.dto';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({ summary: "List the caller's Personal Access Tokens" })
  @ApiListResponse(TokenView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQuery,
  ): Promise<ListEnvelope<TokenView>> {
    const request = pageRequest(query);
    const [tokens, total] = await this.tokens.list(principal.userId, request);
    return page(tokens.map(toTokenView), total, request.page, request.perPage);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a Personal Access Token (its value is shown once)' })
  @ApiDataResponse(CreatedTokenView)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTokenDto,
  ): Promise<DataEnvelope<CreatedTokenView>> {
    const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw DomainError.validation('expires_at: must be in the future');
    }
    const { token, plaintext } = await this.tokens.issue(principal.userId, body.name, expiresAt);
    return one({ ...toTokenView(token), token: plaintext });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke one of your tokens' })
  @ApiDataResponse(TokenView)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<TokenView>> {
    return one(toTokenView(await this.tokens.revoke(principal.userId, id)));
  }
}
