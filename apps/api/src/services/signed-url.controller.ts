import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEFAULT_MAX_EDGE_TOKEN_TTL_SECONDS,
  EDGE_TOKEN_QUERY_PARAM,
  edgeTokenSigner,
  type DataEnvelope,
  type EdgeTokenSigner,
} from '@slipway/contracts';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { ApiDataResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { ServiceRoutes } from './services-enabled.guard';
import { ServicesService } from './services.service';

/** The longest lifetime a signed URL may have. */
export const MAX_SIGNED_URL_TTL_SECONDS = DEFAULT_MAX_EDGE_TOKEN_TTL_SECONDS;
const DEFAULT_TTL_SECONDS = 3600;

export class CreateSignedUrlDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_SIGNED_URL_TTL_SECONDS,
    default: DEFAULT_TTL_SECONDS,
    description: 'How long the URL (and the browser session it opens) stays valid',
  })
  @IsOptional()
  @Max(MAX_SIGNED_URL_TTL_SECONDS, { message: `must be at most ${MAX_SIGNED_URL_TTL_SECONDS}` })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  ttl_seconds?: number;

  @ApiPropertyOptional({
    example: 'shop.example.com',
    description: "The service's hostname (default) or one of its custom domains",
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  hostname?: string;
}

export class SignedUrlView {
  @ApiProperty({
    example: 'https://web-1a2b3c4d.apps.example.com/?edge_token=slp_et_…',
    description:
      'Opens the service in a browser: the edge swaps the token for an HttpOnly cookie scoped to the host',
  })
  url!: string;

  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

@ServiceRoutes('services')
@Controller('v1/services')
export class SignedUrlController {
  private readonly signer: EdgeTokenSigner;

  constructor(
    private readonly services: ServicesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.signer = edgeTokenSigner(config.secretKey);
  }

  @Post(':id/signed-url')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A URL that opens a private service without an Access Key until it expires (for browsers and WebSocket clients)',
  })
  @ApiDataResponse(SignedUrlView)
  async create(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: CreateSignedUrlDto,
  ): Promise<DataEnvelope<SignedUrlView>> {
    const service = await this.services.get(principal.userId, id);
    const hostname = body.hostname ?? service.hostname;
    if (hostname !== service.hostname && !service.domains.includes(hostname)) {
      throw DomainError.validation(
        `hostname: must be the service's hostname or one of its custom domains (got '${hostname}')`,
      );
    }
    const expiresAt = Math.floor(Date.now() / 1000) + (body.ttl_seconds ?? DEFAULT_TTL_SECONDS);
    const token = this.signer.sign({ serviceId: service.id, expiresAt });
    return one({
      url: `https://${hostname}/?${EDGE_TOKEN_QUERY_PARAM}=${token}`,
      expires_at: new Date(expiresAt * 1000).toISOString(),
    });
  }
}
