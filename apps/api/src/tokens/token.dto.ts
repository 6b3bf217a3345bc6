import { NOT_BLANK } from '../common/validation/patterns';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength, Matches } from 'class-validator';
import { TOKEN_PREFIX } from '@slipway/contracts';
import { type PersonalAccessToken } from './personal-access-token.entity';

export class CreateTokenDto {
  @ApiProperty({ example: 'laptop', maxLength: 100 })
  @Matches(NOT_BLANK, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  @IsString({ message: 'must be a string' })
  name!: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the token stops working; never if absent',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}

export class TokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: TOKEN_PREFIX.personalAccessToken }) prefix!: string;
  @ApiProperty({ example: 'a1b2' }) last_four!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_used_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class CreatedTokenView extends TokenView {
  @ApiProperty({ description: 'The token itself; shown only in this response' }) token!: string;
}

export function toTokenView(token: PersonalAccessToken): TokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: TOKEN_PREFIX.personalAccessToken,
    last_four: token.lastFour,
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    revoked_at: token.revokedAt?.toISOString() ?? null,
    created_at: token.createdAt.toISOString(),
  };
}
