import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse, ApiListResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { pageRequest } from '../common/http/pagination.dto';
import { parseLabelFilter } from '../common/validation/label-filter';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { Idempotent } from '../idempotency/idempotent.decorator';
import {
  AccessKeyView,
  CreateAccessKeyDto,
  CreatedAccessKeyView,
  ListAccessKeysQuery,
  toAccessKeyView,
} from './access-key.dto';
import { AccessKeysService } from './access-keys.service';

@ApiTags('access-keys')
@ApiBearerAuth()
@Controller('v1/access-keys')
export class AccessKeysController {
  constructor(private readonly keys: AccessKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Access keys of your orgs (filter by org_id or project_id)' })
  @ApiListResponse(AccessKeyView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAccessKeysQuery,
  ): Promise<ListEnvelope<AccessKeyView>> {
    const request = pageRequest(query);
    const [keys, total] = await this.keys.list(
      principal.userId,
      { orgId: query.org_id, projectId: query.project_id },
      parseLabelFilter(query.label),
      request,
    );
    return page(keys.map(toAccessKeyView), total, request.page, request.perPage);
  }

  @Post()
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Create an org- or project-scoped access key (its value is shown once)',
  })
  @ApiDataResponse(CreatedAccessKeyView)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateAccessKeyDto,
  ): Promise<DataEnvelope<CreatedAccessKeyView>> {
    const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw DomainError.validation('expires_at: must be in the future');
    const { key, plaintext } = await this.keys.create(
      principal.userId,
      body.name,
      { orgId: body.org_id, projectId: body.project_id },
      { expiresAt, labels: body.labels ?? {} },
    );
    return one({ ...toAccessKeyView(key), key: plaintext });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an access key' })
  @ApiDataResponse(AccessKeyView)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<AccessKeyView>> {
    return one(toAccessKeyView(await this.keys.revoke(principal.userId, id)));
  }
}
