import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ApiListResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { PaginationQuery, pageRequest } from '../common/http/pagination.dto';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import {
  AddMemberDto,
  CreateOrgDto,
  MemberView,
  OrgView,
  toMemberView,
  toOrgView,
} from './org.dto';
import { OrgsService } from './orgs.service';

@ApiTags('orgs')
@ApiBearerAuth()
@Controller('v1/orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Get()
  @ApiOperation({ summary: 'Organizations you belong to' })
  @ApiListResponse(OrgView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQuery,
  ): Promise<ListEnvelope<OrgView>> {
    const request = pageRequest(query);
    const [orgs, total] = await this.orgs.list(principal.userId, request);
    return page(orgs.map(toOrgView), total, request.page, request.perPage);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create an organization; you become its owner' })
  @ApiDataResponse(OrgView)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateOrgDto,
  ): Promise<DataEnvelope<OrgView>> {
    return one(
      toOrgView(await this.orgs.create(principal.userId, body.name, body.description ?? null)),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One organization' })
  @ApiDataResponse(OrgView)
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<DataEnvelope<OrgView>> {
    return one(toOrgView(await this.orgs.requireMembership(principal.userId, id)));
  }

  @Get(':id/members')
  @ApiOperation({ summary: "An organization's members" })
  @ApiListResponse(MemberView)
  async members(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: PaginationQuery,
  ): Promise<ListEnvelope<MemberView>> {
    const request = pageRequest(query);
    const [members, total] = await this.orgs.listMembers(principal.userId, id, request);
    return page(members.map(toMemberView), total, request.page, request.perPage);
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an existing user to an organization (owners and admins)' })
  @ApiDataResponse(MemberView)
  async addMember(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: AddMemberDto,
  ): Promise<DataEnvelope<MemberView>> {
    return one(
      toMemberView(
        await this.orgs.addMember(principal.userId, id, body.email, body.role ?? 'member'),
      ),
    );
  }
}
