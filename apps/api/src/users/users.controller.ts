import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope } from '@slipway/contracts';
import { DataSource } from 'typeorm';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { TokensService } from '../tokens/tokens.service';
import { CreatedUserView, CreateUserDto, toUserView, UserView } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly dataSource: DataSource,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The caller' })
  @ApiDataResponse(UserView)
  async me(@CurrentPrincipal() principal: Principal): Promise<DataEnvelope<UserView>> {
    return one(toUserView(await this.users.get(principal.userId)));
  }

  @Post('users')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a user (admins only); answers with their first token' })
  @ApiDataResponse(CreatedUserView)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateUserDto,
  ): Promise<DataEnvelope<CreatedUserView>> {
    if (!principal.isAdmin) throw DomainError.forbidden('Only admins can create users');
    // One transaction: a user is never left behind without the token that lets them in.
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.create(body.email, body.name, body.is_admin ?? false, manager);
      const { plaintext } = await this.tokens.issue(user.id, 'initial', null, undefined, manager);
      return one({ ...toUserView(user), token: plaintext });
    });
  }
}
