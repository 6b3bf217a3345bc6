/**
 * The deploy request (`POST /v1/services/{id}/deploy`), in the shapes DESIGN.md gives and the
 * Dynamiq CLI sends. Shape and type checks live here; what needs the whole request (requests
 * within limits, reserved env names, image reference syntax) is checked by `@slipway/k8s-spec`
 * when the deployment is resolved.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_IDLE_TIMEOUT_SECONDS, MAX_STOP_GRACE_SECONDS } from '@slipway/contracts';
import { IsServicePort } from '../common/validation/port';
import { RepoDto } from '../services/repo.dto';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HTTP_PATH = /^\/[\x21-\x7e]*$/;

export class ResourceQuantitiesDto {
  @ApiPropertyOptional({
    example: '500m',
    description: 'CPU: cores ("2", "0.5") or millicores ("500m")',
  })
  @IsOptional()
  @MaxLength(32, { message: 'must be at most 32 characters' })
  @IsString({ message: 'must be a string such as "500m"' })
  cpu?: string;

  @ApiPropertyOptional({
    example: '1Gi',
    description: 'Memory: bytes with a unit ("512Mi", "2Gi")',
  })
  @IsOptional()
  @MaxLength(32, { message: 'must be at most 32 characters' })
  @IsString({ message: 'must be a string such as "512Mi"' })
  memory?: string;
}

export class ResourcesDto {
  @ApiPropertyOptional({ type: ResourceQuantitiesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourceQuantitiesDto)
  requests?: ResourceQuantitiesDto;

  @ApiPropertyOptional({ type: ResourceQuantitiesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourceQuantitiesDto)
  limits?: ResourceQuantitiesDto;
}

/** Volumes per service: each instance gets its own disk of each (docker: named volumes). */
export const MAX_VOLUMES = 8;

export class VolumeDto {
  @ApiProperty({ example: 'data', description: 'A DNS label, unique within the service' })
  @MaxLength(63, { message: 'must be at most 63 characters' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  name!: string;

  @ApiProperty({
    example: '/var/lib/data',
    description: 'Where each instance sees its volume: an absolute path, not under /tmp',
  })
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  mount_path!: string;

  @ApiProperty({
    example: '10Gi',
    description:
      "The size of each instance's volume (1Gi..16Ti). Enforced on Kubernetes; on docker the local volume driver cannot cap it, so it is recorded and reported",
  })
  @MaxLength(32, { message: 'must be at most 32 characters' })
  @IsString({ message: 'must be a string such as "10Gi"' })
  @IsDefined({ message: 'is required' })
  size!: string;
}

export class EnvVarDto {
  @ApiProperty({ example: 'LOG_LEVEL' })
  @Matches(ENV_NAME, { message: 'must be letters, digits and _, not starting with a digit' })
  @MaxLength(255, { message: 'must be at most 255 characters' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  name!: string;

  @ApiProperty({ example: 'info' })
  @MaxLength(32768, { message: 'must be at most 32768 characters' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  value!: string;

  @ApiPropertyOptional({ default: false, description: 'Stored encrypted; never returned' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  secret?: boolean;
}

export class UtilizationTargetDto {
  @ApiProperty({ enum: ['utilization'] })
  @Equals('utilization', { message: 'must be "utilization"' })
  type!: 'utilization';

  @ApiProperty({ minimum: 1, maximum: 100, example: 80 })
  @Max(100, { message: 'must be at most 100' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  average_utilization!: number;
}

export class MetricResourceDto {
  @ApiProperty({ enum: ['cpu'] })
  @Equals('cpu', { message: 'must be "cpu"' })
  name!: 'cpu';

  @ApiProperty({ type: UtilizationTargetDto })
  @ValidateNested()
  @Type(() => UtilizationTargetDto)
  @IsDefined({ message: 'is required' })
  target!: UtilizationTargetDto;
}

export class AutoscalingMetricDto {
  @ApiProperty({ enum: ['resource'] })
  @Equals('resource', { message: 'must be "resource"' })
  type!: 'resource';

  @ApiProperty({ type: MetricResourceDto })
  @ValidateNested()
  @Type(() => MetricResourceDto)
  @IsDefined({ message: 'is required' })
  resource!: MetricResourceDto;
}

export class AutoscalingDto {
  @ApiProperty({ minimum: 0, maximum: 100, example: 1 })
  @Max(100, { message: 'must be at most 100' })
  @Min(0, { message: 'must be at least 0' })
  @IsInt({ message: 'must be an integer' })
  min_replicas!: number;

  @ApiProperty({ minimum: 1, maximum: 100, example: 3 })
  @Max(100, { message: 'must be at most 100' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  max_replicas!: number;

  @ApiPropertyOptional({ type: [AutoscalingMetricDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => AutoscalingMetricDto)
  @ArrayMaxSize(1, { message: 'must hold at most one metric (CPU utilization)' })
  @IsArray({ message: 'must be an array' })
  metrics?: AutoscalingMetricDto[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    example: 20,
    description:
      'In-flight requests per instance (docker runtime): more scales out at once, fewer scales in after a calm minute',
  })
  @IsOptional()
  @Max(1000, { message: 'must be at most 1000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  target_concurrency?: number;

  @ApiPropertyOptional({
    minimum: 10,
    maximum: 86400,
    example: 900,
    description: `With min_replicas 0: seconds without a request before the service sleeps (default ${DEFAULT_IDLE_TIMEOUT_SECONDS}); the next request wakes it`,
  })
  @IsOptional()
  @Max(86400, { message: 'must be at most 86400' })
  @Min(10, { message: 'must be at least 10' })
  @IsInt({ message: 'must be an integer' })
  idle_timeout_seconds?: number;
}

export class StartupProbeDto {
  @ApiPropertyOptional({ example: '/healthz' })
  @IsOptional()
  @Matches(HTTP_PATH, { message: 'must be an absolute HTTP path such as /healthz' })
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  @IsString({ message: 'must be a string' })
  path?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 3600 })
  @IsOptional()
  @Max(3600, { message: 'must be at most 3600' })
  @Min(0, { message: 'must be at least 0' })
  @IsInt({ message: 'must be an integer' })
  initial_delay_seconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 300 })
  @IsOptional()
  @Max(300, { message: 'must be at most 300' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  period_seconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 60 })
  @IsOptional()
  @Max(60, { message: 'must be at most 60' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  timeout_seconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 })
  @IsOptional()
  @Max(1000, { message: 'must be at most 1000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  failure_threshold?: number;
}

export class DockerBuildDto {
  @ApiProperty({ example: 'Dockerfile', description: 'Dockerfile path inside the bundle' })
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  @MinLength(1, { message: 'must not be empty' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  file!: string;

  @ApiProperty({ example: '.', description: 'Build context directory inside the bundle' })
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  @MinLength(1, { message: 'must not be empty' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  context!: string;
}

/** Every field of a deploy except what says where the code comes from. */
export class DeploySettingsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A resource profile instead of `resources`' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  resource_profile_id?: string;

  @ApiPropertyOptional({ type: ResourcesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourcesDto)
  resources?: ResourcesDto;

  @ApiPropertyOptional({ type: [EnvVarDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => EnvVarDto)
  @ArrayMaxSize(500, { message: 'must hold at most 500 variables' })
  @IsArray({ message: 'must be an array of {name, value, secret}' })
  env?: EnvVarDto[];

  @ApiPropertyOptional({
    type: [VolumeDto],
    description: `Persistent storage: each instance gets its own volume of each (at most ${MAX_VOLUMES}), kept across deploys, restarts and scaling; rollouts replace instances one at a time`,
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => VolumeDto)
  @ArrayMaxSize(MAX_VOLUMES, { message: `must hold at most ${MAX_VOLUMES} volumes` })
  @IsArray({ message: 'must be an array of {name, mount_path, size}' })
  volumes?: VolumeDto[];

  @ApiPropertyOptional({ type: AutoscalingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoscalingDto)
  autoscaling?: AutoscalingDto;

  @ApiPropertyOptional({ type: StartupProbeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StartupProbeDto)
  startup_probe?: StartupProbeDto;

  @ApiPropertyOptional({ type: [String], description: "Overrides the image's ENTRYPOINT" })
  @IsOptional()
  @MaxLength(4096, { each: true, message: 'entries must be at most 4096 characters' })
  @IsString({ each: true, message: 'must be an array of strings' })
  @ArrayMaxSize(100, { message: 'must hold at most 100 entries' })
  @IsArray({ message: 'must be an array of strings' })
  command?: string[];

  @ApiPropertyOptional({ type: [String], description: "Overrides the image's CMD" })
  @IsOptional()
  @MaxLength(4096, { each: true, message: 'entries must be at most 4096 characters' })
  @IsString({ each: true, message: 'must be an array of strings' })
  @ArrayMaxSize(100, { message: 'must hold at most 100 entries' })
  @IsArray({ message: 'must be an array of strings' })
  args?: string[];

  @IsServicePort(
    "The port the container listens on, given to it as PORT. Default: the service's port (8080 unless set); a deploy that names one sets the service's port too.",
  )
  port?: number;

  @ApiPropertyOptional({
    example: '/healthz',
    description:
      'Readiness check path (the HTTP readiness probe); a TCP connect to the port when unset',
  })
  @IsOptional()
  @Matches(HTTP_PATH, { message: 'must be an absolute HTTP path such as /healthz' })
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  @IsString({ message: 'must be a string' })
  health_check_path?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 300,
    description:
      'Seconds an instance gets between SIGTERM and SIGKILL when it stops, after the drain. Default: 10 on docker (SLIPWAY_DOCKER_STOP_TIMEOUT_SECONDS), 30 on Kubernetes',
  })
  @IsOptional()
  @Max(MAX_STOP_GRACE_SECONDS, { message: `must be at most ${MAX_STOP_GRACE_SECONDS}` })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  stop_grace_period_seconds?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100,
    default: 1,
    description: 'Fixed instance count (not with autoscaling)',
  })
  @IsOptional()
  @Max(100, { message: 'must be at most 100' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  replicas?: number;
}

/** `application/json`: deploy a prebuilt image. */
export class ImageDeployDto extends DeploySettingsDto {
  @ApiProperty({ example: 'registry.example.com/team/app:1.2' })
  @MaxLength(512, { message: 'must be at most 512 characters' })
  @IsString({ message: 'must be a string' })
  @IsDefined({
    message:
      'is required for a JSON deploy (send a source bundle as multipart/form-data to build one)',
  })
  image!: string;
}

/** The `data` part of a `multipart/form-data` deploy: how to build the `source` bundle. */
export class SourceDeployDto extends DeploySettingsDto {
  @ApiProperty({ type: DockerBuildDto })
  @ValidateNested()
  @Type(() => DockerBuildDto)
  @IsDefined({
    message: 'is required with a source bundle: {"file": "Dockerfile", "context": "."}',
  })
  docker!: DockerBuildDto;
}

/** `application/json` with `repo`: build the branch head of a git repository and deploy it. */
export class RepoDeployDto extends DeploySettingsDto {
  @ApiProperty({
    type: RepoDto,
    description:
      'Connects the service to the repository (or changes it) and builds its branch head; pushes to the branch redeploy through the webhook',
  })
  @ValidateNested()
  @Type(() => RepoDto)
  @IsDefined({ message: 'is required' })
  repo!: RepoDto;
}
