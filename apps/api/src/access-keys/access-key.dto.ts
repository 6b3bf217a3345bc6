import { NOT_BLANK } from '../common/validation/patterns';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOKEN_PREFIX, type Labels } from '@slipway/contracts';
import { IsDateString, IsOptional, IsString, IsUUID, MaxLength, Matches } from 'class-validator';
import { PaginationQuery } from '../common/http/pagination.dto';
import { IsLabelFilter } from '../common/validation/label-filter';
import { IsLabels, LabelsView, labelsOf } from '../common/validation/labels';
import { type AccessKey } from './access-key.entity';

export class CreateAccessKeyDto {
  @ApiProperty({ example: 'frontend', maxLength: 100 })
  @Matches(NOT_BLANK, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  @IsString({ message: 'must be a string' })
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Org-scoped key: valid for every service of the org',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  org_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Project-scoped key: valid only for this project's services",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  project_id?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({}, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;

  @IsLabels('Labels, e.g. the owning stack (set at creation only: keys are immutable)')
  labels?: Labels;
}

export class ListAccessKeysQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  org_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  project_id?: string;

  @IsLabelFilter()
  label?: string[];
}

export class AccessKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['org', 'project'] }) scope!: 'org' | 'project';
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) project_id!: string | null;
  @ApiProperty({ example: TOKEN_PREFIX.accessKey }) prefix!: string;
  @ApiProperty({ example: 'x9Qz' }) last_four!: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired'] }) status!:
    'active' | 'revoked' | 'expired';
  @LabelsView() labels!: Labels;
  @ApiProperty({ format: 'uuid' }) created_by!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revoked_at!: string | null;
}

export class CreatedAccessKeyView extends AccessKeyView {
  @ApiProperty({ description: 'The key itself; shown only in this response' }) key!: string;
}

export function toAccessKeyView(key: AccessKey): AccessKeyView {
  const expired = key.expiresAt !== null && key.expiresAt.getTime() <= Date.now();
  return {
    id: key.id,
    name: key.name,
    scope: key.projectId ? 'project' : 'org',
    org_id: key.orgId,
    project_id: key.projectId,
    prefix: TOKEN_PREFIX.accessKey,
    last_four: key.lastFour,
    status: key.revokedAt ? 'revoked' : expired ? 'expired' : 'active',
    labels: labelsOf(key.labels),
    created_by: key.createdBy,
    created_at: key.createdAt.toISOString(),
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}
