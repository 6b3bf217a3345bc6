import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type GitCredentials } from '@slipway/contracts';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { CredentialHasher } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { ErrorResponse } from '../common/http/api-responses';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { Deployment } from '../deployments/deployment.entity';
import { ServiceRepositories } from '../services/service-repositories';

const REFUSED = 'The build token is not valid for this deployment: wrong, or the build has ended';

/**
 * Where a builder gets the token to clone a private repository. Not for users: the caller
 * presents the deployment's build token, good only while it is building. The token never
 * travels in the build job, which sits in Redis.
 */
@ApiTags('internal')
@Public()
@Controller('internal/v1/git-credentials')
export class GitCredentialsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repos: ServiceRepositories,
    private readonly hasher: CredentialHasher,
  ) {}

  @Get(':deployment_id')
  @ApiOperation({ summary: "A building git deployment's clone credentials, for builders" })
  @ApiOkResponse({ description: '{"username", "password"} for HTTP Basic' })
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'Missing or refused build token' })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'The repository has no token' })
  async credentials(
    @UuidParam('deployment_id') deploymentId: string,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GitCredentials> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) {
      throw DomainError.unauthorized('A build token is required: Authorization: Bearer <token>');
    }
    const deployment = await this.dataSource
      .getRepository(Deployment)
      .findOneBy({ id: deploymentId });
    const stored = deployment?.buildTokenHash;
    const presented = this.hasher.hash(token);
    if (
      !deployment?.repo ||
      deployment.status !== 'building' ||
      !stored ||
      !timingSafeEqual(Buffer.from(stored), Buffer.from(presented))
    ) {
      throw DomainError.unauthorized(REFUSED);
    }
    const repo = await this.repos.find(deployment.serviceId);
    const credentials = repo?.url === deployment.repo.url ? this.repos.credentials(repo) : null;
    if (!credentials) {
      throw DomainError.notFound('Token of the repository of deployment', deploymentId);
    }
    res.setHeader('Cache-Control', 'no-store');
    return credentials;
  }
}
