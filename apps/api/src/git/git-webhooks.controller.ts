import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, type DataEnvelope } from '@slipway/contracts';
import { type Request } from 'express';
import { Public } from '../auth/decorators';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse, ErrorResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { type RawBodyRequest } from '../common/http/json-body';
import { GitPushes } from './git-pushes';
import { type Headers as HeaderMap } from './push-events';

export class PushOutcomeView {
  @ApiProperty({ description: 'Whether the push started a deployment' }) deployed!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) deployment_id!: string | null;
  @ApiProperty({ example: "push to 'main': deploying its head" }) reason!: string;
}

/**
 * `POST /v1/hooks/git/{service_id}`: where GitHub and GitLab send pushes. No credential but
 * the webhook secret: a request it does not sign (GitHub) or carry (GitLab) is 401 with
 * nothing started. Pushes to other branches, other events and redeliveries are 200 and say so.
 */
@ApiTags('git')
@Public()
@Controller('v1/hooks/git')
export class GitWebhooksController {
  constructor(private readonly pushes: GitPushes) {}

  @Post(':service_id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Push webhook of a service connected to a git repository (GitHub or GitLab)',
    description:
      "Set the webhook's content type to application/json and its secret to the one shown when the repository was connected. A push to the service's branch deploys the branch head through the deploy queue; redeliveries (same X-GitHub-Delivery or X-Gitlab-Event-UUID) are ignored.",
  })
  @ApiDataResponse(PushOutcomeView)
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'Not signed with the secret' })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'No repository on that service' })
  @ApiResponse({ status: 415, type: ErrorResponse, description: 'Not application/json' })
  async receive(
    @UuidParam('service_id') serviceId: string,
    @Req() req: Request,
    @Headers() headers: HeaderMap,
  ): Promise<DataEnvelope<PushOutcomeView>> {
    const rawBody = (req as RawBodyRequest).rawBody;
    if (rawBody === undefined) {
      throw new DomainError(
        ErrorCode.UnsupportedMediaType,
        "A push webhook must be sent as application/json (set the webhook's content type)",
      );
    }
    return one(await this.pushes.receive(serviceId, headers, rawBody, req.body));
  }
}
