import { timingSafeEqual } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { BlobStore } from '../blob-store/blob-store';
import { CredentialHasher } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { ErrorResponse } from '../common/http/api-responses';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { Deployment } from './deployment.entity';

/** A builder that shuts down or stalls hands its job back without using an attempt: one spare. */
const MAX_FETCHES_PER_ATTEMPT = 2;

const REFUSED =
  'The build token is not valid for this bundle: wrong, already used by every build attempt, or the build has ended';

/**
 * Where builders download a deployment's source bundle. Not for users: the caller presents
 * the deployment's build token, good only while it is building, for a few downloads per
 * build attempt (a retried build after a builder died needs another one).
 */
@ApiTags('internal')
@Public()
@Controller('internal/v1/bundles')
export class BundlesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly hasher: CredentialHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':deployment_id')
  @ApiOperation({ summary: "A building deployment's source bundle, for builders (build token)" })
  @ApiOkResponse({ description: 'The .tar.gz bundle', content: { 'application/gzip': {} } })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'Malformed deployment id' })
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'Missing or refused build token' })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'The bundle is gone' })
  async download(
    @UuidParam('deployment_id') deploymentId: string,
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token)
      throw DomainError.unauthorized('A build token is required: Authorization: Bearer <token>');
    const source = await this.claim(deploymentId, this.hasher.hash(token));
    const blob = await this.blobs.open(source.blobKey);
    if (!blob) throw DomainError.notFound('Source bundle of deployment', deploymentId);
    res.status(200);
    res.setHeader('Content-Type', 'application/gzip');
    res.setHeader('Content-Length', String(blob.sizeBytes));
    res.setHeader('X-Content-SHA256', source.sha256);
    await pipeline(blob.stream, res);
  }

  /** Counts one download against the token, atomically; refuses when none are left. */
  private async claim(
    deploymentId: string,
    tokenHash: string,
  ): Promise<Deployment['source'] & object> {
    const deployment = await this.dataSource
      .getRepository(Deployment)
      .findOne({ where: { id: deploymentId } });
    const stored = deployment?.buildTokenHash;
    if (
      !deployment?.source ||
      !stored ||
      !timingSafeEqual(Buffer.from(stored), Buffer.from(tokenHash))
    ) {
      throw DomainError.unauthorized(REFUSED);
    }
    const claimed = await this.dataSource.query<[unknown[], number]>(
      `UPDATE deployments SET bundle_fetches = bundle_fetches + 1
        WHERE id = $1 AND build_token_hash = $2 AND status = 'building' AND bundle_fetches < $3
        RETURNING id`,
      [deploymentId, tokenHash, this.config.deploy.buildAttempts * MAX_FETCHES_PER_ATTEMPT],
    );
    if (claimed[1] === 0) throw DomainError.unauthorized(REFUSED);
    return deployment.source;
  }
}
