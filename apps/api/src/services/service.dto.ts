import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACCESS_TYPES,
  DEFAULT_SERVICE_CATEGORY,
  SERVICE_STATUSES,
  type AccessType,
  type ServiceResource,
  type ServiceStatus,
  type Labels,
} from '@slipway/contracts';
import { Transform, Type } from 'class-transformer';
import { MAX_REPLICAS } from '@slipway/k8s-spec';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PaginationQuery } from '../common/http/pagination.dto';
import { IsLabelFilter } from '../common/validation/label-filter';
import { IsLabels, LabelsView, labelsOf } from '../common/validation/labels';
import { IsServicePort } from '../common/validation/port';
import { IsTagFilter, IsTags, TagsView } from '../common/validation/tags';
import { MAX_DOMAINS_PER_SERVICE } from './custom-domains';
import { RepoDto, RepoView } from './repo.dto';
import { type Service } from './service.entity';

/** A DNS label that also leaves room for `-<short id>` in the 63-character hostname label. */
export const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,52}[a-z0-9])?$/;
const CATEGORY = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class AccessControlDto {
  @ApiProperty({ enum: ACCESS_TYPES, default: 'private' })
  @IsIn(ACCESS_TYPES, { message: `must be one of ${ACCESS_TYPES.join(', ')}` })
  access_type!: AccessType;
}

/** Fields a service is created with and may change later. */
export class ServiceFieldsDto {
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String })
  @IsOptional()
  @MaxLength(500, { message: 'must be at most 500 characters' })
  @IsString({ message: 'must be a string' })
  description?: string | null;

  @ApiPropertyOptional({ type: AccessControlDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AccessControlDto)
  access_control?: AccessControlDto;

  @ApiPropertyOptional({ example: DEFAULT_SERVICE_CATEGORY })
  @IsOptional()
  @Matches(CATEGORY, { message: 'must be lowercase letters, digits, - or _ (at most 63)' })
  @IsString({ message: 'must be a string' })
  category?: string;

  @IsLabels(
    'Labels, e.g. the owning stack; on update they replace the current ones ({} removes them all)',
  )
  labels?: Labels;

  @IsTags()
  tags?: string[];

  @IsServicePort(
    'The port the container listens on, given to it as PORT (default 8080). Changing it on a deployed service redeploys the current deployment with the new port.',
  )
  port?: number;
}

export class UpdateServiceDto extends ServiceFieldsDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: MAX_REPLICAS,
    description: 'Lower bound for autoscaling and `POST /scale` (null removes it)',
  })
  @IsOptional()
  @Max(MAX_REPLICAS, { message: `must be at most ${MAX_REPLICAS}` })
  @Min(0, { message: 'must be at least 0' })
  @IsInt({ message: 'must be an integer' })
  min_replicas?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_REPLICAS,
    description: 'Upper bound for autoscaling and `POST /scale` (null removes it)',
  })
  @IsOptional()
  @Max(MAX_REPLICAS, { message: `must be at most ${MAX_REPLICAS}` })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  max_replicas?: number | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_DOMAINS_PER_SERVICE,
    example: ['shop.example.com'],
    description:
      'Custom domains, replacing the current list ([] removes them all): lowercase DNS names outside the apps domain, each unique across the platform. Point their DNS at the TLS terminator in front of the edge.',
  })
  @IsOptional()
  @IsString({ each: true, message: 'must be a list of hostnames' })
  @IsArray({ message: 'must be a list of hostnames' })
  domains?: string[];

  @ApiPropertyOptional({
    type: RepoDto,
    nullable: true,
    description:
      'Deploy from this git repository: connecting it, or changing what is built (repository, branch, Dockerfile, context, token), deploys the branch head at once. null disconnects it (the running deployment stays).',
  })
  @ValidateIf((dto: { repo?: unknown }) => dto.repo !== null)
  @IsOptional()
  @ValidateNested()
  @Type(() => RepoDto)
  repo?: RepoDto | null;
}

export class CreateServiceDto extends ServiceFieldsDto {
  @ApiProperty({
    example: 'ocr-service',
    description:
      'Lowercase DNS label: starts with a letter, at most 54 characters, unique in the project',
  })
  @Matches(SERVICE_NAME, {
    message:
      'must be a DNS label: lowercase letters, digits and dashes, starting with a letter, not ending with a dash, at most 54 characters',
  })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  name!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  @IsDefined({ message: 'is required' })
  project_id!: string;
}

/** `project_id`, `org_id` or both (then the project must be in that org). */
export class ListServicesQuery extends PaginationQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The project's services. Required unless org_id is given.",
  })
  @ValidateIf(
    (query: ListServicesQuery) => query.org_id === undefined || query.project_id !== undefined,
  )
  @IsUUID('all', { message: 'must be a UUID' })
  @IsDefined({ message: 'is required unless org_id is given' })
  project_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "Every service of the organization's projects. Required unless project_id is given; with both, the project must belong to this organization.",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  org_id?: string;

  @ApiPropertyOptional({ enum: SERVICE_STATUSES })
  @IsOptional()
  @IsIn(SERVICE_STATUSES, { message: `must be one of ${SERVICE_STATUSES.join(', ')}` })
  status?: ServiceStatus;

  @IsLabelFilter()
  label?: string[];

  @IsTagFilter()
  tag?: string[];
}

class AccessControlView {
  @ApiProperty({ enum: ACCESS_TYPES }) access_type!: AccessType;
}

export class ServiceView implements ServiceResource {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ format: 'uuid' }) project_id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ example: DEFAULT_SERVICE_CATEGORY }) category!: string;
  @ApiProperty({ enum: SERVICE_STATUSES }) status!: ServiceStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the service is degraded or failed (which instances, what they report)',
    example:
      '1 of 2 instances available; slp-web-1a2b3c4d-5e6f7a8b-1: restarting after exit code 1',
  })
  status_reason!: string | null;
  @ApiProperty({ example: 'ocr-service-1a2b3c4d.apps.example.com' }) hostname!: string;
  @ApiProperty({
    type: [String],
    example: ['shop.example.com'],
    description: 'Custom domains, routed like the hostname',
  })
  domains!: string[];
  @ApiProperty({ type: AccessControlView }) access_control!: { access_type: AccessType };
  @ApiProperty({ example: 8080, description: 'The port the container listens on (PORT)' })
  port!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Instances set by POST /scale (0 = paused); null: as the live deployment asks',
  })
  instances!: number | null;
  @ApiProperty({ type: Number, nullable: true }) min_replicas!: number | null;
  @ApiProperty({ type: Number, nullable: true }) max_replicas!: number | null;
  @LabelsView() labels!: Labels;
  @TagsView() tags!: string[];
  @ApiProperty({
    type: RepoView,
    nullable: true,
    description: 'The git repository it deploys from (pushes to the branch redeploy)',
  })
  repo!: RepoView | null;
  @ApiProperty({ format: 'uuid', description: 'The user who created the service' })
  created_by!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export function toServiceView(service: Service, repo: RepoView | null = null): ServiceView {
  return {
    id: service.id,
    name: service.name,
    description: service.description,
    project_id: service.projectId,
    org_id: service.orgId,
    category: service.category,
    status: service.status,
    status_reason: service.statusReason,
    hostname: service.hostname,
    domains: [...(service.domains ?? [])],
    access_control: { access_type: service.accessType },
    port: service.port,
    instances: service.instances,
    min_replicas: service.minReplicas,
    max_replicas: service.maxReplicas,
    labels: labelsOf(service.labels),
    tags: [...(service.tags ?? [])],
    repo,
    created_by: service.createdBy,
    created_at: service.createdAt.toISOString(),
    updated_at: service.updatedAt.toISOString(),
  };
}

/** `DELETE /v1/services/{id}?force=true`. */
export class DeleteServiceQuery {
  @ApiPropertyOptional({
    default: false,
    description:
      'Skip the drain and the stop grace period: instances are killed at once. Without it, requests already inside finish (the drain), then each instance gets SIGTERM and its grace period.',
  })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  force?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      "Keep a stateful service's volumes (and their data) instead of deleting them with it. On docker they stay as named volumes `slipway-<service>-<id>-<volume>-<ordinal>`; on Kubernetes as PersistentVolumeClaims.",
  })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  keep_volumes?: boolean;
}
